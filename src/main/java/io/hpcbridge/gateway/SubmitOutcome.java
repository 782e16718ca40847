package io.hpcbridge.gateway;

/** The scheduler's answer to a submission. */
public sealed interface SubmitOutcome {
    /** Accepted with this job id. */
    record Submitted(String jobId) implements SubmitOutcome {
    }

    /** Refused for good (bad account, partition, limits): retrying the same request cannot help. */
    record Rejected(String message) implements SubmitOutcome {
    }

    /**
     * Refused for now (controller busy or unreachable): the same request may be tried again. A timed-out answer can
     * still have queued the job, so look the identity up before trying again.
     */
    record TryLater(String message) implements SubmitOutcome {
    }
}
