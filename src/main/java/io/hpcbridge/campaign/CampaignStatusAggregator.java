package io.hpcbridge.campaign;

import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

import io.hpcbridge.api.v1alpha1.CampaignPhase;
import io.hpcbridge.api.v1alpha1.CampaignSpec;
import io.hpcbridge.api.v1alpha1.CampaignStatus;
import io.hpcbridge.api.v1alpha1.ConditionTypes;
import io.hpcbridge.api.v1alpha1.Task;
import io.hpcbridge.api.v1alpha1.TaskCounts;
import io.hpcbridge.api.v1alpha1.TaskPhase;
import io.hpcbridge.status.Conditions;
import io.hpcbridge.status.Readiness;
import io.hpcbridge.status.StatusComparison;
import io.hpcbridge.status.Times;

/** The one place a Campaign's status is built: counts, phase and conditions from its Tasks. Pure. */
public final class CampaignStatusAggregator {
    /** Failed tasks named in the Failed condition's message; the rest are counted. */
    static final int NAMED_FAILURES = 5;

    private CampaignStatusAggregator() {
    }

    /**
     * @param acceptance     null when the spec was accepted, else why not
     * @param plannedTasks   how many tasks the spec defines (Tasks not yet created count as Pending)
     * @param tasks          the campaign's Task objects
     * @param anyAttempt     whether any attempt was ever created
     */
    public static CampaignStatus aggregate(CampaignStatus current, CampaignSpec spec, PlanProblem acceptance, int plannedTasks,
            List<Task> tasks, boolean anyAttempt, long generation, Instant now) {
        return aggregate(current, spec, acceptance, plannedTasks, tasks, anyAttempt, null, generation, now);
    }

    /**
     * @param clusterReachable the cluster's Reachable condition, mirrored so that users of the campaign see an
     *                         outage where they look; null when unknown
     */
    public static CampaignStatus aggregate(CampaignStatus current, CampaignSpec spec, PlanProblem acceptance, int plannedTasks,
            List<Task> tasks, boolean anyAttempt, io.fabric8.kubernetes.api.model.Condition clusterReachable, long generation, Instant now) {
        CampaignStatus next = current == null ? new CampaignStatus() : StatusComparison.copy(current);
        next.setObservedGeneration(generation);
        TaskCounts counts = new TaskCounts();
        tasks.forEach(t -> counts.add(io.hpcbridge.task.TaskProgress.effectivePhase(t)));
        for (int i = tasks.size(); i < plannedTasks; i++) {
            counts.add(TaskPhase.Pending);
        }
        next.setTasks(counts);

        int finished = counts.getSucceeded() + counts.getFailed() + counts.getSkipped() + counts.getCancelled();
        boolean allEnded = counts.getTotal() > 0 && finished == counts.getTotal() && acceptance == null;
        CampaignPhase phase;
        if (allEnded) {
            phase = counts.getSucceeded() == counts.getTotal() ? CampaignPhase.Succeeded : CampaignPhase.Failed;
        } else if (spec.isSuspended() && !spec.isStopped()) {
            // A stop overrides suspend (withProgressDetail makes it Stopping): deciding Suspended here would flip the
            // Suspended condition, and its lastTransitionTime, on every reconcile.
            phase = CampaignPhase.Suspended;
        } else if (anyAttempt) {
            phase = CampaignPhase.Running;
        } else {
            phase = CampaignPhase.Pending;
        }
        next.setPhase(phase);
        if (anyAttempt && next.getStartedAt() == null) {
            next.setStartedAt(Times.format(now));
        }
        next.setFinishedAt(phase.isTerminal() ? (current != null && current.getFinishedAt() != null ? current.getFinishedAt() : Times.format(now)) : null);

        var c = next.getConditions();
        c = acceptance == null
                ? Conditions.set(c, ConditionTypes.ACCEPTED, true, "Accepted", plannedTasks + " tasks planned", generation, now)
                : Conditions.set(c, ConditionTypes.ACCEPTED, false, acceptance.reason(), acceptance.message(), generation, now);
        String summary = summary(counts);
        c = Conditions.set(c, ConditionTypes.COMPLETED, phase.isTerminal(), phase.isTerminal() ? phase.name() : "NotFinished", summary, generation, now);
        c = Conditions.set(c, ConditionTypes.SUCCEEDED, phase == CampaignPhase.Succeeded,
                phase == CampaignPhase.Succeeded ? "AllTasksSucceeded" : phase.name(), summary, generation, now);
        boolean failed = phase == CampaignPhase.Failed;
        c = Conditions.set(c, ConditionTypes.FAILED, failed, failed ? "TasksFailed" : phase.name(),
                failed ? failureMessage(tasks, counts) : summary, generation, now);
        c = Conditions.set(c, ConditionTypes.SUSPENDED, phase == CampaignPhase.Suspended,
                phase == CampaignPhase.Suspended ? "Suspended" : "NotSuspended",
                phase == CampaignPhase.Suspended ? "spec.suspend is true: no new submissions; live jobs are still followed" : "spec.suspend is not set", generation, now);
        if (clusterReachable != null) {
            c = Conditions.set(c, ConditionTypes.CLUSTER_REACHABLE, clusterReachable.getStatus(), clusterReachable.getReason(),
                    "HpcCluster " + spec.getClusterRef().getName() + ": " + clusterReachable.getMessage(), generation, now);
        }
        next.setConditions(c);
        return next;
    }

    /** Recent failures listed in status; per-attempt detail stays in the TaskAttempt objects. */
    static final int RECENT_FAILURES = 20;
    static final int FAILURE_MESSAGE_CHARS = 200;

    /**
     * Adds what the scheduler knows beyond the Tasks' phases: stop (Stopping until every cancel is confirmed, then
     * Stopped), why ready work waits ({@code blockedBy}), the latest failures and the retry-failed request acted on.
     */
    public static CampaignStatus withProgressDetail(CampaignStatus next, CampaignSpec spec, boolean anyLive,
            java.util.Map<String, Integer> blockedBy, List<io.hpcbridge.api.v1alpha1.FailureRecord> recentFailures,
            String retryFailedActed, long generation, Instant now) {
        next.setBlockedBy(blockedBy == null ? null : blockedBy.entrySet().stream()
                .sorted(java.util.Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(java.util.Map.Entry.comparingByKey()))
                .map(e -> new io.hpcbridge.api.v1alpha1.BlockedCount(e.getKey(), e.getValue()))
                .toList());
        next.setRecentFailures(recentFailures);
        if (retryFailedActed != null) {
            next.setLastRetryFailed(retryFailedActed);
        }
        CampaignPhase phase = next.getPhase();
        if (spec.isStopped() && phase != CampaignPhase.Succeeded) {
            TaskCounts t = next.getTasks();
            boolean tasksEnded = t == null || t.getSucceeded() + t.getFailed() + t.getSkipped() + t.getCancelled() == t.getTotal();
            // Stopped once every cancel is confirmed and every Task has recorded its end.
            CampaignPhase stopped = anyLive || !tasksEnded ? CampaignPhase.Stopping : CampaignPhase.Stopped;
            next.setPhase(stopped);
            next.setFinishedAt(stopped == CampaignPhase.Stopped ? (next.getFinishedAt() != null ? next.getFinishedAt() : Times.format(now)) : null);
            String summary = summary(next.getTasks());
            String message = stopped == CampaignPhase.Stopping
                    ? "spec.stop is true: cancelling live jobs; " + summary
                    : "stopped (spec.stop): every cancel confirmed; " + summary;
            var c = next.getConditions();
            c = Conditions.set(c, ConditionTypes.COMPLETED, stopped == CampaignPhase.Stopped, stopped.name(), message, generation, now);
            c = Conditions.set(c, ConditionTypes.SUCCEEDED, false, stopped.name(), message, generation, now);
            c = Conditions.set(c, ConditionTypes.FAILED, false, stopped.name(), message, generation, now);
            c = Conditions.set(c, ConditionTypes.SUSPENDED, false, "NotSuspended", message, generation, now);
            next.setConditions(c);
        }
        // Last, from the final phase: computed here and not in aggregate, so that a phase this method changes (stop)
        // never flips them back and forth within one reconcile.
        next.setConditions(Readiness.apply(next.getConditions(), readiness(next), generation, now));
        return next;
    }

    /** The reason a campaign waits (not stalled) while its HpcCluster does not exist yet; GitOps may create it later. */
    static final String CLUSTER_NOT_FOUND = "ClusterNotFound";

    /**
     * Ready, Reconciling and Stalled (kstatus) from the final phase and conditions. A campaign is Ready once every task
     * succeeded. It is Stalled when only a user can move it on: a rejected spec, failed tasks (retry-failed reruns them)
     * or a finished stop, so that GitOps health checks (Flux) fail at once instead of waiting for their timeout and
     * nothing that depends on the campaign's results goes ahead.
     */
    static Readiness.Summary readiness(CampaignStatus s) {
        var conditions = s.getConditions();
        var accepted = Conditions.find(conditions, ConditionTypes.ACCEPTED);
        if (accepted.isPresent() && Conditions.FALSE.equals(accepted.get().getStatus())) {
            String reason = accepted.get().getReason();
            String message = accepted.get().getMessage();
            return CLUSTER_NOT_FOUND.equals(reason)
                    ? Readiness.Summary.waiting(reason, message + "; the campaign starts once it exists")
                    : Readiness.Summary.stalled(reason, "spec not accepted: " + message + "; fix the spec to go on");
        }
        String summary = s.getTasks() == null ? "no tasks yet" : summary(s.getTasks());
        var cluster = Conditions.find(conditions, ConditionTypes.CLUSTER_REACHABLE);
        return switch (s.getPhase()) {
            case Succeeded -> Readiness.Summary.ready("Succeeded", summary);
            case Failed -> Readiness.Summary.stalled("TasksFailed",
                    Conditions.find(conditions, ConditionTypes.FAILED).map(c -> c.getMessage()).orElse(summary)
                            + "; annotate " + io.hpcbridge.api.v1alpha1.Constants.ANNOTATION_RETRY_FAILED + " to rerun the failed tasks");
            case Stopped -> Readiness.Summary.stalled("Stopped", "stopped at the user's request (spec.stop); " + summary);
            case Stopping -> Readiness.Summary.reconciling("Stopping", "spec.stop is true: cancelling live jobs; " + summary);
            case Suspended -> Readiness.Summary.waiting("Suspended", "spec.suspend is true: nothing new is submitted; " + summary);
            case Pending, Running -> {
                if (cluster.isPresent() && Conditions.FALSE.equals(cluster.get().getStatus())) {
                    yield Readiness.Summary.reconciling(io.hpcbridge.task.TaskProgress.CLUSTER_UNREACHABLE, cluster.get().getMessage() + "; " + summary);
                }
                if (cluster.isPresent() && "Paused".equals(cluster.get().getReason())) {
                    yield Readiness.Summary.waiting(io.hpcbridge.task.TaskProgress.CLUSTER_PAUSED, cluster.get().getMessage() + "; " + summary);
                }
                yield Readiness.Summary.reconciling(s.getPhase().name(), summary);
            }
        };
    }

    /** The newest failed, lost or cancelled attempts, newest first, at most {@link #RECENT_FAILURES}. */
    public static List<io.hpcbridge.api.v1alpha1.FailureRecord> recentFailures(List<io.hpcbridge.api.v1alpha1.TaskAttempt> attempts) {
        return attempts.stream()
                .filter(a -> a.getStatus() != null && a.getStatus().getPhase() != null && a.getStatus().getPhase().isTerminal()
                        && a.getStatus().getPhase() != io.hpcbridge.api.v1alpha1.AttemptPhase.Succeeded)
                .sorted(java.util.Comparator.comparing((io.hpcbridge.api.v1alpha1.TaskAttempt a) -> a.getStatus().getFinishedAt(),
                        java.util.Comparator.nullsLast(java.util.Comparator.reverseOrder()))
                        .thenComparing(a -> a.getMetadata().getName()))
                .limit(RECENT_FAILURES)
                .map(a -> new io.hpcbridge.api.v1alpha1.FailureRecord(a.getSpec().getTaskName(), a.getMetadata().getName(),
                        a.getStatus().getPhase(), a.getStatus().getReason(), shorten(firstLine(a.getStatus().getMessage())),
                        a.getStatus().getFinishedAt()))
                .toList();
    }

    private static String shorten(String s) {
        return s.length() <= FAILURE_MESSAGE_CHARS ? s : s.substring(0, FAILURE_MESSAGE_CHARS - 1) + "…";
    }

    static String summary(TaskCounts c) {
        return c.getSucceeded() + "/" + c.getTotal() + " tasks succeeded, " + c.getRunning() + " running, " + c.getFailed()
                + " failed, " + c.getSkipped() + " skipped, " + c.getCancelled() + " cancelled";
    }

    /** Names the failed tasks and why, so `kubectl describe` answers "what went wrong" without digging. */
    static String failureMessage(List<Task> tasks, TaskCounts counts) {
        List<Task> failed = tasks.stream()
                .filter(t -> t.getStatus() != null && (t.getStatus().getPhase() == TaskPhase.Failed || t.getStatus().getPhase() == TaskPhase.Cancelled))
                .sorted(java.util.Comparator.comparing(t -> t.getSpec().getTaskName()))
                .toList();
        String named = failed.stream().limit(NAMED_FAILURES)
                .map(t -> "task " + t.getSpec().getTaskName() + " " + t.getStatus().getPhase().name().toLowerCase() + " ("
                        + t.getStatus().getReason() + "): " + firstLine(t.getStatus().getMessage()))
                .collect(Collectors.joining("; "));
        String more = failed.size() > NAMED_FAILURES ? "; and " + (failed.size() - NAMED_FAILURES) + " more" : "";
        String skipped = counts.getSkipped() > 0 ? "; " + counts.getSkipped() + " downstream task(s) skipped" : "";
        return named + more + skipped;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
