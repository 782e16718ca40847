package io.hpcbridge.task;

import io.hpcbridge.api.v1alpha1.JobEndCause;
import io.hpcbridge.api.v1alpha1.RetryPolicy;

/** How an attempt's end relates to the retry policies. */
enum FailureCategory {
    APPLICATION, RESOURCE, INFRASTRUCTURE, CANCELLED, PERMANENT;

    /**
     * How the attempt ended, for the retry policies: by the job's end cause when a job ended (the scheduler's word, in
     * the port's terms), else by the reason (a refused submission, a work-directory conflict, a lost job).
     */
    static FailureCategory of(JobEndCause cause, String reason) {
        if (cause == null) {
            return ofReason(reason);
        }
        return switch (cause) {
            case Exited, Signalled -> APPLICATION;
            case TimeLimit, MemoryLimit, DiskLimit -> RESOURCE;
            case Cancelled, RemovedExternally -> CANCELLED;
            case NodeFailure, BootFailure, Preempted, Deadline, Other -> INFRASTRUCTURE;
        };
    }

    static FailureCategory ofReason(String reason) {
        if (reason == null) {
            return INFRASTRUCTURE;
        }
        return switch (reason) {
            case "NonZeroExit", "Signal" -> APPLICATION;
            case "Timeout", "OutOfMemory", "OutOfDisk" -> RESOURCE;
            case "Cancelled" -> CANCELLED;
            // The same request would be refused again, or would clobber another attempt's files.
            case "SubmitRejected", "WorkDirConflict", "InvalidSubmission" -> PERMANENT;
            default -> INFRASTRUCTURE; // NodeFail, BootFail, Preempted, Deadline, SchedulerLost, ...
        };
    }

    boolean retriedUnder(RetryPolicy policy) {
        if (this == PERMANENT) {
            return false;
        }
        return switch (policy) {
            case Never -> false;
            case Always -> true;
            case OnFailure -> this != CANCELLED;
            case OnApplicationError -> this == APPLICATION;
            case OnInfrastructure -> this == INFRASTRUCTURE;
            case OnResource -> this == RESOURCE;
        };
    }
}
