package io.hpcbridge.gateway;

import java.time.Instant;

/**
 * A job the operator follows: its id, the identity it was submitted with, and what is already known of it, so an
 * adapter can tell a restart under the same id from the first run.
 *
 * @param submittedAt        when the operator submitted or adopted it
 * @param knownQueueTime     the scheduler's own queue time as last recorded, or null
 * @param knownRestarts      restarts recorded so far, or null
 */
public record TrackedJob(String jobId, JobIdentity identity, Instant submittedAt, Instant knownQueueTime, Integer knownRestarts) {
    public TrackedJob(String jobId, JobIdentity identity, Instant submittedAt) {
        this(jobId, identity, submittedAt, null, null);
    }
}
