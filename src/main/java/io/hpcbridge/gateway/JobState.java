package io.hpcbridge.gateway;

/**
 * Where a job stands, in the port's words. Adapters map their own states onto these and keep the native word for
 * display ({@link JobObservation#nativeState()}).
 */
public enum JobState {
    /** Waiting in the queue to be started (also configuring, requeued, idle after an eviction). */
    QUEUED,
    /** Kept out of the queue's running until released, by a user or by policy; see {@link JobObservation#hold()}. */
    HELD,
    /** Has its resources and runs (also completing, staging out). */
    RUNNING,
    /** Stopped by the scheduler with its resources kept; it will resume. */
    SUSPENDED,
    /** Over; {@link JobObservation#endCause()} says how. */
    ENDED,
    /** A word the adapter does not know: never an end, and not progress either. */
    UNKNOWN;

    public boolean ended() {
        return this == ENDED;
    }
}
