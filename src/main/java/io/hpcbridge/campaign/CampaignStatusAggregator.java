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
        tasks.forEach(t -> counts.add(t.getStatus() == null ? null : t.getStatus().getPhase()));
        for (int i = tasks.size(); i < plannedTasks; i++) {
            counts.add(TaskPhase.Pending);
        }
        next.setTasks(counts);

        int finished = counts.getSucceeded() + counts.getFailed() + counts.getSkipped() + counts.getCancelled();
        boolean allEnded = counts.getTotal() > 0 && finished == counts.getTotal() && acceptance == null;
        CampaignPhase phase;
        if (allEnded) {
            phase = counts.getSucceeded() == counts.getTotal() ? CampaignPhase.Succeeded : CampaignPhase.Failed;
        } else if (spec.isSuspended()) {
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
