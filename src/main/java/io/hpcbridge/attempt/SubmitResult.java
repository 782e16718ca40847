package io.hpcbridge.attempt;

import java.util.List;

import io.hpcbridge.gateway.JobObservation;

/** What a submission step concluded. */
sealed interface SubmitResult {
    /** A job carrying this attempt's identity already existed (submitted before a crash): it is followed, not duplicated. */
    record Adopted(List<JobObservation> jobs) implements SubmitResult {
        /** The newest job is followed; the others are history. */
        JobObservation newest() {
            return jobs.get(jobs.size() - 1);
        }
    }

    record Submitted(String jobId) implements SubmitResult {
    }

    /** Permanent refusal: resubmitting the same thing cannot help. */
    record Rejected(String reason, String message) implements SubmitResult {
    }

    /** Temporary refusal: nothing was queued, try again later. */
    record Deferred(String message) implements SubmitResult {
    }
}
