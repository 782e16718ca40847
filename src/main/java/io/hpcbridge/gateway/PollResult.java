package io.hpcbridge.gateway;

import java.util.Map;

/**
 * The outcome of one batched poll. A tracked job absent from {@code jobs} was found neither in the queue nor in the
 * scheduler's history: that is not an end.
 *
 * @param jobs            observations by job id, for tracked jobs only
 * @param liveOwnedJobs   how many of this operator's jobs the queue listed as not yet ended
 * @param historyAnswered false when history (accounting) was needed and did not answer: then a job's absence from
 *                        {@code jobs} says nothing at all, and must not count towards declaring it lost
 */
public record PollResult(Map<String, JobObservation> jobs, int liveOwnedJobs, boolean historyAnswered) {
    public PollResult(Map<String, JobObservation> jobs, int liveOwnedJobs) {
        this(jobs, liveOwnedJobs, true);
    }
}
