package io.hpcbridge.api.v1alpha1;

/**
 * Life of one remote job. Held means the scheduler holds the job in its queue (HTCondor); it is live like Queued and
 * ends Failed, reason Held, after the cluster's heldTimeout. Settling means the job left the queue and its end is not
 * yet confirmed by accounting: missing from the queue is not done.
 */
public enum AttemptPhase {
    Pending,
    Submitting,
    Queued,
    Held,
    Running,
    Settling,
    Succeeded,
    Failed,
    Cancelled,
    Lost;

    public boolean isTerminal() {
        return this == Succeeded || this == Failed || this == Cancelled || this == Lost;
    }

    /** Counts against parallelism caps: everything that may hold or soon hold scheduler resources. */
    public boolean isLive() {
        return !isTerminal();
    }
}
