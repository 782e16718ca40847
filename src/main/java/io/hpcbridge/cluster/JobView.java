package io.hpcbridge.cluster;

import java.time.Instant;

import io.hpcbridge.gateway.JobObservation;

/**
 * What the cluster's poller last knew about one job. {@code exitFileCode} is what the job's wrapper wrote into the
 * attempt's exit-code file, read once the job is no longer live in the queue (null when there is no such file).
 * {@code asOf} is the time of the latest successful poll that saw the job this way. {@code missingSince} is when an
 * unbroken run of polls, each with queue AND accounting answering, began to find the job nowhere; null while
 * accounting is down, so an accounting outage never counts towards declaring a job lost. MISSING means a poll succeeded and found the job neither in the
 * queue nor in accounting; it is evidence to weigh, never an end by itself.
 */
public record JobView(Kind kind, JobObservation observation, Instant asOf, Integer exitFileCode, Instant missingSince) {
    public enum Kind {
        NOT_YET_POLLED, SEEN, MISSING
    }

    public static JobView notYetPolled() {
        return new JobView(Kind.NOT_YET_POLLED, null, null, null, null);
    }

    public static JobView seen(JobObservation observation, Instant at) {
        return new JobView(Kind.SEEN, observation, at, null, null);
    }

    /** Confirmed missing by queue and accounting, continuously since {@code since}. */
    public static JobView missing(Instant since, Instant at) {
        return new JobView(Kind.MISSING, null, at, null, since);
    }

    public static JobView missing(Instant at) {
        return missing(at, at);
    }

    /** Not in the queue, but accounting did not answer: nothing is known about its end. */
    public static JobView missingUnconfirmed(Instant at) {
        return new JobView(Kind.MISSING, null, at, null, null);
    }

    public JobView withExitFileCode(Integer code) {
        return new JobView(kind, observation, asOf, code, missingSince);
    }

    /** Same knowledge, whenever it was learnt. */
    public boolean sameMeaning(JobView other) {
        return kind == other.kind && java.util.Objects.equals(observation, other.observation)
                && java.util.Objects.equals(exitFileCode, other.exitFileCode);
    }
}
