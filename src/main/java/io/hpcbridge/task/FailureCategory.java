package io.hpcbridge.task;

import io.hpcbridge.api.v1alpha1.RetryPolicy;

/** How an attempt's end relates to the retry policies. */
enum FailureCategory {
    APPLICATION, RESOURCE, INFRASTRUCTURE, CANCELLED, PERMANENT;

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
