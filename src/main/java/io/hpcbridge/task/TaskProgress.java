package io.hpcbridge.task;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.hpcbridge.api.v1alpha1.AttemptPhase;
import io.hpcbridge.api.v1alpha1.Backoff;
import io.hpcbridge.api.v1alpha1.ConditionTypes;
import io.hpcbridge.api.v1alpha1.RetryPolicy;
import io.hpcbridge.api.v1alpha1.RetryStrategy;
import io.hpcbridge.api.v1alpha1.TaskAttempt;
import io.hpcbridge.api.v1alpha1.TaskAttemptStatus;
import io.hpcbridge.api.v1alpha1.TaskPhase;
import io.hpcbridge.api.v1alpha1.TaskSpec;
import io.hpcbridge.api.v1alpha1.TaskStatus;
import io.hpcbridge.status.Conditions;
import io.hpcbridge.status.Readiness;
import io.hpcbridge.status.StatusComparison;
import io.hpcbridge.status.Times;
import io.hpcbridge.util.Durations;

/**
 * A Task's status as a pure function of its spec, its attempts, its dependencies' phases and the clock. The Task
 * reconciler only fetches these inputs and writes the result.
 */
public final class TaskProgress {
    public static final String WAITING_FOR_DEPENDENCIES = "WaitingForDependencies";
    public static final String UPSTREAM_FAILED = "UpstreamFailed";
    public static final String READY = "Ready";
    public static final String BACKOFF_UNTIL = "BackoffUntil";
    public static final String SUCCEEDED = "Succeeded";
    public static final String STOPPED = "Stopped";
    public static final String SUSPENDED = "Suspended";
    public static final String CLUSTER_UNREACHABLE = "ClusterUnreachable";
    public static final String CLUSTER_PAUSED = "ClusterPaused";

    private TaskProgress() {
    }

    /**
     * @param dependencyPhases phase of each dependency by campaign task name; a missing entry counts as not yet
     *                         created (Pending)
     */
    public static TaskStatus decide(TaskSpec spec, TaskStatus current, List<TaskAttempt> attempts,
            Map<String, TaskPhase> dependencyPhases, long generation, Instant now) {
        return decide(spec, current, attempts, dependencyPhases, null, generation, now);
    }

    /**
     * @param held why the campaign holds this ready task back (the operator's hpcbridge.io/held annotation), or null
     */
    public static TaskStatus decide(TaskSpec spec, TaskStatus current, List<TaskAttempt> attempts,
            Map<String, TaskPhase> dependencyPhases, String held, long generation, Instant now) {
        TaskStatus next = current == null ? new TaskStatus() : StatusComparison.copy(current);
        next.setObservedGeneration(generation);
        next.setLastRerun(spec.getRerun() == null ? null : spec.getRerun().getRequest());
        List<TaskAttempt> all = attempts.stream()
                .sorted(Comparator.comparingInt(a -> a.getSpec().getIndex()))
                .toList();
        // Attempts before the current run (a rerun) are evidence, not part of this run's retry budget.
        List<TaskAttempt> sorted = all.stream().filter(a -> a.getSpec().getIndex() >= spec.firstAttempt()).toList();
        next.setAttempts(all.size());
        next.setCurrentAttempt(all.isEmpty() ? null : all.get(all.size() - 1).getMetadata().getName());
        TaskAttempt latest = sorted.isEmpty() ? null : sorted.get(sorted.size() - 1);
        next.setNextAttemptAfter(null);
        if (latest == null && !all.isEmpty()) {
            // A new run: what the earlier run decided no longer holds.
            next.setStartedAt(null);
            next.setFinishedAt(null);
        }
        decidePhase(spec, next, sorted, latest, dependencyPhases, now);
        applyStopAndHold(spec, next, latest, held, now);
        return withConditions(next, generation, now);
    }

    private static void decidePhase(TaskSpec spec, TaskStatus next, List<TaskAttempt> sorted, TaskAttempt latest,
            Map<String, TaskPhase> dependencyPhases, Instant now) {
        if (latest != null && next.getStartedAt() == null) {
            next.setStartedAt(Times.format(now));
        }

        if (latest == null) {
            List<String> failedUpstream = spec.getDependsOn().stream()
                    .filter(d -> isUnsuccessfulEnd(dependencyPhases.get(d)))
                    .toList();
            List<String> waiting = spec.getDependsOn().stream()
                    .filter(d -> dependencyPhases.get(d) != TaskPhase.Succeeded)
                    .toList();
            if (!failedUpstream.isEmpty()) {
                set(next, TaskPhase.Skipped, UPSTREAM_FAILED,
                        "not run because upstream " + plural("task", failedUpstream) + " " + String.join(", ", failedUpstream)
                                + " did not succeed", now);
            } else if (!waiting.isEmpty()) {
                set(next, TaskPhase.Pending, WAITING_FOR_DEPENDENCIES,
                        "waiting for " + String.join(", ", waiting), now);
            } else {
                set(next, TaskPhase.Pending, READY, "ready to run; waiting for a submission slot", now);
            }
            return;
        }

        TaskAttemptStatus s = latest.getStatus();
        AttemptPhase phase = s == null || s.getPhase() == null ? AttemptPhase.Pending : s.getPhase();
        String name = latest.getMetadata().getName();
        switch (phase) {
            case Pending, Submitting, Queued, Held, Running, Settling ->
                set(next, TaskPhase.Running, phase.name(), "attempt " + name + " is " + phase.name().toLowerCase()
                        + (s != null && s.getJobId() != null ? " (job " + s.getJobId() + ")" : ""), now);
            case Succeeded -> set(next, TaskPhase.Succeeded, SUCCEEDED,
                    "attempt " + name + " succeeded" + (s.getJobId() != null ? " (job " + s.getJobId() + ")" : ""), now);
            case Failed, Lost, Cancelled -> decideAfterFailure(spec, next, sorted, latest, phase, now);
        }
    }

    /** A stopped campaign ends what has not ended; a ready task held back by the campaign says why. */
    private static void applyStopAndHold(TaskSpec spec, TaskStatus next, TaskAttempt latest, String held, Instant now) {
        TaskPhase p = next.getPhase();
        if (spec.isStopped()) {
            // Skipped here means "its upstream was cancelled by the same stop": it too was stopped, not skipped.
            if (p == TaskPhase.Pending || p == TaskPhase.Retrying || (p == TaskPhase.Skipped && latest == null)) {
                set(next, TaskPhase.Cancelled, STOPPED, "not run to its end: the campaign was stopped (spec.stop)"
                        + (latest == null ? "" : "; last attempt " + latest.getMetadata().getName()), now);
                next.setNextAttemptAfter(null);
            } else if (p == TaskPhase.Running) {
                next.setMessage(next.getMessage() + "; being cancelled because the campaign was stopped");
            }
            return;
        }
        if (held != null && READY.equals(next.getReason()) && (p == TaskPhase.Pending || p == TaskPhase.Retrying)) {
            next.setReason(held);
            next.setMessage(heldMessage(held, spec));
        }
    }

    static String heldMessage(String held, TaskSpec spec) {
        String cluster = spec.getClusterRef() == null ? "its HpcCluster" : "HpcCluster " + spec.getClusterRef().getName();
        return switch (held) {
            case "ParallelismLimit" -> "ready to run; held back by the campaign's spec.parallelism (live attempts at the limit)";
            case "ClusterLimit" -> "ready to run; held back by " + cluster + "'s maxActiveJobs, shared fairly between campaigns";
            case SUSPENDED -> "ready to run; the campaign is suspended (spec.suspend), nothing new is submitted";
            case CLUSTER_UNREACHABLE -> "ready to run; " + cluster + " is unreachable, nothing is submitted until it answers again";
            case CLUSTER_PAUSED -> "ready to run; " + cluster + " is paused (spec.paused)";
            default -> "ready to run; held back: " + held;
        };
    }

    private static void decideAfterFailure(TaskSpec spec, TaskStatus next, List<TaskAttempt> sorted, TaskAttempt latest,
            AttemptPhase phase, Instant now) {
        TaskAttemptStatus s = latest.getStatus();
        String reason = s.getReason() != null ? s.getReason() : phase.name();
        String what = "attempt " + latest.getMetadata().getName() + " ended " + phase + " (" + reason + ")"
                + (s.getMessage() != null && !s.getMessage().isBlank() ? ": " + s.getMessage() : "");
        RetryStrategy retry = spec.getRetryStrategy();
        int limit = retry == null || retry.getLimit() == null ? 0 : retry.getLimit();
        RetryPolicy policy = retry == null || retry.getRetryPolicy() == null ? RetryPolicy.OnFailure : retry.getRetryPolicy();
        int retriesUsed = sorted.size() - 1;
        boolean retryable = FailureCategory.of(s.getEndCause(), reason).retriedUnder(policy);
        Instant failedAt = s.getFinishedAt() != null ? Times.parse(s.getFinishedAt()) : now;
        Instant firstFailure = firstFailure(sorted, failedAt);
        Backoff backoff = retry == null ? null : retry.getBackoff();
        Duration wait = backoff(backoff, retriesUsed + 1);
        Instant nextStart = failedAt.plus(wait);
        boolean withinMaxDuration = backoff == null || backoff.getMaxDuration() == null
                || !nextStart.isAfter(firstFailure.plus(Durations.parse(backoff.getMaxDuration())));

        if (retryable && retriesUsed < limit && withinMaxDuration) {
            next.setNextAttemptAfter(Times.format(nextStart));
            String message = what + "; retry " + (retriesUsed + 1) + " of " + limit
                    + (nextStart.isAfter(now) ? " not before " + Times.format(nextStart) : "");
            set(next, TaskPhase.Retrying, nextStart.isAfter(now) ? BACKOFF_UNTIL : READY, message, now);
            return;
        }
        TaskPhase end = phase == AttemptPhase.Cancelled ? TaskPhase.Cancelled : TaskPhase.Failed;
        String why = !retryable ? (limit > 0 ? "; " + reason + " is not retried under " + policy : "")
                : retriesUsed >= limit ? (limit > 0 ? "; retry limit " + limit + " reached" : "")
                : "; backoff maxDuration reached";
        set(next, end, reason, what + why, now);
    }

    /** duration * factor^(retry-1), capped; zero without a backoff. */
    static Duration backoff(Backoff backoff, int retry) {
        if (backoff == null || backoff.getDuration() == null) {
            return Duration.ZERO;
        }
        Duration base = Durations.parse(backoff.getDuration());
        long factor = backoff.getFactor() == null ? 1 : backoff.getFactor();
        Duration wait = base;
        for (int i = 1; i < retry; i++) {
            wait = wait.multipliedBy(factor);
            if (wait.compareTo(Duration.ofDays(365)) > 0) {
                break;
            }
        }
        if (backoff.getCap() != null) {
            Duration cap = Durations.parse(backoff.getCap());
            if (wait.compareTo(cap) > 0) {
                wait = cap;
            }
        }
        return wait;
    }

    private static Instant firstFailure(List<TaskAttempt> sorted, Instant fallback) {
        return sorted.stream()
                .map(a -> a.getStatus() == null ? null : Times.parse(a.getStatus().getFinishedAt()))
                .filter(java.util.Objects::nonNull)
                .min(Comparator.naturalOrder())
                .orElse(fallback);
    }

    static boolean isUnsuccessfulEnd(TaskPhase phase) {
        return phase == TaskPhase.Failed || phase == TaskPhase.Skipped || phase == TaskPhase.Cancelled;
    }

    private static void set(TaskStatus status, TaskPhase phase, String reason, String message, Instant now) {
        status.setPhase(phase);
        status.setReason(reason);
        status.setMessage(message);
        if (phase.isTerminal()) {
            if (status.getFinishedAt() == null) {
                status.setFinishedAt(Times.format(now));
            }
        } else {
            status.setFinishedAt(null);
        }
    }

    private static TaskStatus withConditions(TaskStatus s, long generation, Instant now) {
        TaskPhase p = s.getPhase();
        var c = s.getConditions();
        c = Conditions.set(c, ConditionTypes.COMPLETED, p.isTerminal(), p.isTerminal() ? p.name() : "NotFinished",
                p.isTerminal() ? s.getMessage() : "task is " + p, generation, now);
        c = Conditions.set(c, ConditionTypes.SUCCEEDED, p == TaskPhase.Succeeded, p == TaskPhase.Succeeded ? SUCCEEDED : s.getReason(),
                s.getMessage(), generation, now);
        c = Conditions.set(c, ConditionTypes.FAILED, p == TaskPhase.Failed || p == TaskPhase.Cancelled || p == TaskPhase.Skipped,
                s.getReason(), s.getMessage(), generation, now);
        s.setConditions(Readiness.apply(c, readiness(s), generation, now));
        return s;
    }

    /**
     * Ready, Reconciling and Stalled (kstatus): Ready once Succeeded; Stalled once Failed, Cancelled or Skipped (only a
     * rerun or retry-failed moves it again); waiting while held by a suspend or a paused cluster; otherwise reconciling
     * (pending, running, retrying), with the task's reason.
     */
    static Readiness.Summary readiness(TaskStatus s) {
        TaskPhase p = s.getPhase();
        String reason = s.getReason() == null || s.getReason().isBlank() ? p.name() : s.getReason();
        String message = s.getMessage() == null || s.getMessage().isBlank() ? "task is " + p : s.getMessage();
        return switch (p) {
            case Succeeded -> Readiness.Summary.ready(SUCCEEDED, message);
            case Failed, Cancelled, Skipped -> Readiness.Summary.stalled(reason, message);
            case Pending, Running, Retrying -> SUSPENDED.equals(reason) || CLUSTER_PAUSED.equals(reason)
                    ? Readiness.Summary.waiting(reason, message)
                    : Readiness.Summary.reconciling(reason, message);
        };
    }

    private static String plural(String word, List<?> items) {
        return items.size() == 1 ? word : word + "s";
    }

    /** Dependencies' phases keyed by campaign task name, from sibling Task objects (see {@link #effectivePhase}). */
    public static Map<String, TaskPhase> phasesByTaskName(List<io.hpcbridge.api.v1alpha1.Task> siblings) {
        return siblings.stream()
                .collect(Collectors.toMap(t -> t.getSpec().getTaskName(), TaskProgress::effectivePhase, (a, b) -> a));
    }

    /**
     * The phase to act on. A status that has not yet seen the Task's current generation (the operator just reset the
     * task for a rerun, or stopped it) says nothing about the current run: the task counts as Pending.
     */
    public static TaskPhase effectivePhase(io.hpcbridge.api.v1alpha1.Task task) {
        TaskStatus s = task.getStatus();
        if (s == null || s.getPhase() == null) {
            return TaskPhase.Pending;
        }
        Long generation = task.getMetadata().getGeneration();
        if (generation != null && (s.getObservedGeneration() == null || s.getObservedGeneration() < generation)) {
            return TaskPhase.Pending;
        }
        return s.getPhase();
    }
}
