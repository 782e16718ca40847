package io.hpcbridge.cluster;

import java.time.Instant;

import io.hpcbridge.gateway.JobObservation;

/**
 * What the cluster's poller last knew about one job. {@code exitFileCode} is what the job's wrapper wrote into the
 * attempt's exit-code file, read once the job is no longer live in the queue (null when there is no such file).
 * {@code asOf} is the time of the latest successful poll that saw the job this way. MISSING means a poll succeeded and found the job neither in the
 * queue nor in accounting; it is evidence to weigh, never an end by itself.
 */
public record JobView(Kind kind, JobObservation observation, Instant asOf, Integer exitFileCode) {
    public enum Kind {
        NOT_YET_POLLED, SEEN, MISSING
    }

    public static JobView notYetPolled() {
        return new JobView(Kind.NOT_YET_POLLED, null, null, null);
    }

    public static JobView seen(JobObservation observation, Instant at) {
        return new JobView(Kind.SEEN, observation, at, null);
    }

    public static JobView missing(Instant at) {
        return new JobView(Kind.MISSING, null, at, null);
    }

    public JobView withExitFileCode(Integer code) {
        return new JobView(kind, observation, asOf, code);
    }

    /** Same knowledge, whenever it was learnt. */
    public boolean sameMeaning(JobView other) {
        return kind == other.kind && java.util.Objects.equals(observation, other.observation)
                && java.util.Objects.equals(exitFileCode, other.exitFileCode);
    }
}
