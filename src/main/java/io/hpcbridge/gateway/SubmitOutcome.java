package io.hpcbridge.gateway;

/** The scheduler's answer to one submission. */
public sealed interface SubmitOutcome {
    /** Accepted with this job id. */
    record Submitted(String jobId) implements SubmitOutcome {
    }

    /** Refused for good (bad account, partition, limits, a malformed request): the same request cannot succeed. */
    record Rejected(String message) implements SubmitOutcome {
    }

    /** Refused for now (scheduler busy or unreachable) with nothing queued: the same request may be tried again. */
    record TryLater(String message) implements SubmitOutcome {
    }

    /**
     * The job may or may not have been queued (lost channel, an ambiguous answer such as HTCondor's "Failed to
     * commit"): the identity must be looked up before anything is submitted again.
     */
    record Unconfirmed(String message) implements SubmitOutcome {
    }
}
