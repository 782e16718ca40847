package io.hpcbridge.gateway;

/** Scheduler-neutral job states. Adapters map their own words onto these. */
public enum RemoteState {
    /** Waiting in the queue (also held, configuring, requeued). */
    QUEUED,
    /** Has an allocation and runs (also suspended, completing, stage-out). */
    RUNNING,
    /** Ended with success: state COMPLETED and exit code 0. */
    COMPLETED,
    /** The script exited non-zero or was killed by a signal. */
    FAILED,
    CANCELLED,
    TIMEOUT,
    OUT_OF_MEMORY,
    NODE_FAIL,
    BOOT_FAIL,
    PREEMPTED,
    DEADLINE,
    /** A word the adapter does not know: never treated as an end. */
    UNKNOWN;

    public boolean isTerminal() {
        return switch (this) {
            case QUEUED, RUNNING, UNKNOWN -> false;
            default -> true;
        };
    }
}
