package io.hpcbridge.attempt;

/** Typed reasons an attempt is in its phase. Stable strings: users and retry policies match on them. */
public final class AttemptReasons {
    public static final String SUBMITTED = "Submitted";
    public static final String ADOPTED = "Adopted";
    public static final String QUEUED = "Queued";
    public static final String RUNNING = "Running";
    public static final String LEFT_QUEUE = "LeftQueue";
    public static final String COMPLETED = "Completed";
    public static final String NON_ZERO_EXIT = "NonZeroExit";
    public static final String SIGNAL = "Signal";
    public static final String TIMEOUT = "Timeout";
    public static final String OUT_OF_MEMORY = "OutOfMemory";
    public static final String OUT_OF_DISK = "OutOfDisk";
    /** The scheduler holds the job; on its own a hold waits, and past the cluster's heldTimeout the attempt fails. */
    public static final String HELD = "Held";
    /** The job ended in a way the scheduler's adapter does not classify. */
    public static final String SCHEDULER_ENDED = "SchedulerEnded";
    public static final String NODE_FAIL = "NodeFail";
    public static final String BOOT_FAIL = "BootFail";
    public static final String PREEMPTED = "Preempted";
    public static final String DEADLINE = "Deadline";
    public static final String CANCELLED = "Cancelled";
    public static final String SUBMIT_REJECTED = "SubmitRejected";
    public static final String SUBMIT_DEFERRED = "SubmitDeferred";
    public static final String SCHEDULER_LOST = "SchedulerLost";
    public static final String WORK_DIR_CONFLICT = "WorkDirConflict";
    public static final String CLUSTER_UNAVAILABLE = "ClusterUnavailable";
    /** The attempt's resources cannot be expressed for the scheduler; nothing was submitted. */
    public static final String INVALID_SUBMISSION = "InvalidSubmission";

    private AttemptReasons() {
    }
}
