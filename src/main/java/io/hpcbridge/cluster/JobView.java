package io.hpcbridge.cluster;

import java.time.Instant;

import io.hpcbridge.gateway.JobObservation;

/**
 * What the cluster's poller last knew about one job. MISSING means a poll succeeded and found the job neither in the
 * queue nor in accounting; it is evidence to weigh, never an end by itself.
 */
public record JobView(Kind kind, JobObservation observation, Instant asOf) {
    public enum Kind {
        NOT_YET_POLLED, SEEN, MISSING
    }

    public static JobView notYetPolled() {
        return new JobView(Kind.NOT_YET_POLLED, null, null);
    }

    public static JobView seen(JobObservation observation, Instant at) {
        return new JobView(Kind.SEEN, observation, at);
    }

    public static JobView missing(Instant at) {
        return new JobView(Kind.MISSING, null, at);
    }
}
