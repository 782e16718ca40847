package io.hpcbridge.cluster;

import java.time.Instant;

/**
 * How a cluster's login nodes and scheduler answered lately.
 *
 * @param reachable        null until the first poll, then false after {@link ClusterSession#UNREACHABLE_AFTER} failed polls
 * @param failureReason    CamelCase reason of the last failure (e.g. HostKeyMismatch, ConnectionFailed, PollFailed)
 * @param failureMessage   its detail, free of secrets
 */
public record ClusterHealth(Boolean reachable, int consecutiveFailures, Instant lastPollTime, String failureReason,
        String failureMessage, String schedulerVersion, Integer activeJobs, String activeLoginNode) {

    public static ClusterHealth initial() {
        return new ClusterHealth(null, 0, null, null, null, null, null, null);
    }
}
