package io.hpcbridge.campaign;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.jboss.logging.Logger;

import io.hpcbridge.api.v1alpha1.Campaign;
import io.hpcbridge.api.v1alpha1.Constants;
import io.hpcbridge.api.v1alpha1.Task;
import io.hpcbridge.api.v1alpha1.TaskAttempt;
import io.hpcbridge.api.v1alpha1.TaskPhase;
import io.hpcbridge.status.Events;
import io.hpcbridge.task.TaskProgress;
import io.hpcbridge.util.LogContext;
import io.javaoperatorsdk.operator.api.reconciler.Context;

/**
 * The user's verbs on a campaign, carried out on the objects the operator owns: {@code spec.stop} (mark Tasks stopped,
 * ask live attempts to cancel), {@code hpcbridge.io/retry-failed} and {@code hpcbridge.io/rerun} (start new runs).
 * Never touches the user's spec; each annotation value is acted on once.
 */
final class CampaignVerbs {
    private static final Logger LOG = Logger.getLogger(CampaignVerbs.class);
    static final String STOP_REASON = "campaign stopped";

    private final KubeWrites writes;
    private final RecentWrites<Task> recentTasks;
    private final Supplier<Instant> clock;

    CampaignVerbs(KubeWrites writes, RecentWrites<Task> recentTasks, Supplier<Instant> clock) {
        this.writes = writes;
        this.recentTasks = recentTasks;
        this.clock = clock;
    }

    /** spec.stop: every unfinished Task is marked stopped and every live attempt is asked to cancel its job. */
    void stop(List<Task> ordered, List<TaskAttempt> attempts, Context<Campaign> context, Instant now) {
        List<Runnable> work = new ArrayList<>();
        for (Task task : ordered) {
            if (!TaskProgress.effectivePhase(task).isTerminal() && !task.getSpec().isStopped()) {
                work.add(() -> patchTaskSpec(task, Map.of("stop", true), context, now));
            }
        }
        for (TaskAttempt attempt : attempts) {
            if (AttemptScheduling.isLive(attempt) && CampaignReconciler.annotation(attempt, Constants.ANNOTATION_CANCEL) == null
                    && attempt.getMetadata().getUid() != null) {
                work.add(() -> writes.annotate(context.getClient(), TaskAttempt.class, attempt, Constants.ANNOTATION_CANCEL, STOP_REASON));
            }
        }
        writes.runAll(work);
    }

    /** hpcbridge.io/retry-failed: a new run for Failed and Cancelled tasks and their Skipped downstream. */
    String retryFailed(Campaign campaign, CampaignPlan plan, List<Task> ordered, Map<String, List<TaskAttempt>> attemptsByTask,
            Context<Campaign> context, Instant now) {
        String token = CampaignReconciler.annotation(campaign, Constants.ANNOTATION_RETRY_FAILED);
        String last = campaign.getStatus() == null ? null : campaign.getStatus().getLastRetryFailed();
        if (token == null || token.equals(last)) {
            return null;
        }
        Map<String, Task> byTaskName = new LinkedHashMap<>();
        ordered.forEach(t -> byTaskName.put(t.getSpec().getTaskName(), t));
        Downstream downstream = new Downstream(plan.tasks());
        Set<String> targets = new java.util.LinkedHashSet<>();
        for (Task t : ordered) {
            TaskPhase p = TaskProgress.effectivePhase(t);
            if (p == TaskPhase.Failed || p == TaskPhase.Cancelled) {
                targets.add(t.getSpec().getTaskName());
                for (String d : downstream.of(t.getSpec().getTaskName())) {
                    Task down = byTaskName.get(d);
                    if (down != null && TaskProgress.effectivePhase(down) == TaskPhase.Skipped) {
                        targets.add(d);
                    }
                }
            }
        }
        if (targets.stream().map(byTaskName::get).anyMatch(t -> hasLive(t, attemptsByTask))) {
            return null; // acted on once those attempts end
        }
        List<Runnable> work = new ArrayList<>();
        for (String n : targets) {
            Task t = byTaskName.get(n);
            work.add(() -> reset(t, "retry-failed:" + token, requestOf(t), attemptsByTask, context, now));
        }
        writes.runAll(work);
        replaceAll(ordered);
        Events.emit(context.getClient(), campaign, Events.NORMAL, "RetryFailed", targets.isEmpty()
                ? "retry-failed " + token + ": no failed task to rerun"
                : "retry-failed " + token + ": new run for " + targets.size() + " task(s): " + abbreviate(targets));
        return token;
    }

    /** hpcbridge.io/rerun on a Task: one new attempt for it, and with rerun-downstream for everything after it. */
    void reruns(CampaignPlan plan, List<Task> ordered, Map<String, List<TaskAttempt>> attemptsByTask,
            Context<Campaign> context, Instant now) {
        // Runs on every reconcile: with no new request, touch nothing beyond one pass over the annotations.
        List<Task> requested = ordered.stream().filter(CampaignVerbs::hasNewRerunRequest).toList();
        if (requested.isEmpty()) {
            return;
        }
        Map<String, Task> byTaskName = new LinkedHashMap<>();
        ordered.forEach(t -> byTaskName.put(t.getSpec().getTaskName(), t));
        Downstream downstream = new Downstream(plan.tasks());
        boolean changed = false;
        for (Task task : requested) {
            String request = CampaignReconciler.annotation(task, Constants.ANNOTATION_RERUN);
            List<Task> targets = new ArrayList<>();
            targets.add(byTaskName.get(task.getSpec().getTaskName()));
            if ("true".equals(CampaignReconciler.annotation(task, Constants.ANNOTATION_RERUN_DOWNSTREAM))) {
                downstream.of(task.getSpec().getTaskName()).stream().map(byTaskName::get).filter(java.util.Objects::nonNull)
                        .forEach(targets::add);
            }
            if (targets.stream().anyMatch(t -> hasLive(t, attemptsByTask))) {
                continue; // a rerun starts once the live attempts have ended
            }
            for (Task t : targets) {
                boolean own = t == targets.get(0);
                Task updated = reset(t, "rerun:" + request + (own ? "" : " of " + task.getSpec().getTaskName()),
                        own ? request : requestOf(t), attemptsByTask, context, now);
                if (updated != null) {
                    byTaskName.put(updated.getSpec().getTaskName(), updated);
                }
            }
            Events.emit(context.getClient(), task, Events.NORMAL, "Rerun", "rerun " + request + ": new attempt"
                    + (targets.size() > 1 ? " for this task and " + (targets.size() - 1) + " downstream task(s)" : ""));
            changed = true;
        }
        if (changed) {
            replaceAll(ordered);
        }
    }

    /** Starts a new run of the task: attempts so far stay as evidence; retries count from the next index. */
    private Task reset(Task task, String token, String request, Map<String, List<TaskAttempt>> attemptsByTask,
            Context<Campaign> context, Instant now) {
        int next = attemptsByTask.getOrDefault(task.getMetadata().getName(), List.of()).stream()
                .mapToInt(a -> a.getSpec().getIndex()).max().orElse(0) + 1;
        Map<String, Object> rerun = new LinkedHashMap<>();
        rerun.put("token", token);
        rerun.put("firstAttempt", next);
        rerun.put("request", request);
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("rerun", rerun);
        spec.put("stop", null);
        try (LogContext log = LogContext.of(task)) {
            LOG.infof("task %s/%s: new run from attempt %d (%s)", task.getMetadata().getNamespace(), task.getMetadata().getName(), next, token);
            return patchTaskSpec(task, spec, context, now);
        }
    }

    private Task patchTaskSpec(Task task, Map<String, Object> spec, Context<Campaign> context, Instant now) {
        Task updated = writes.mergePatch(context.getClient(), Task.class, task, Map.of("spec", spec));
        if (updated != null) {
            recentTasks.record(updated, now);
        }
        return updated;
    }

    /** Swaps in the freshly written Tasks, so this reconcile schedules from what it just wrote. */
    private void replaceAll(List<Task> ordered) {
        Map<String, Task> fresh = recentTasks.overlay(ordered, t -> false, clock.get());
        ordered.replaceAll(t -> fresh.getOrDefault(t.getMetadata().getName(), t));
    }

    private static boolean hasLive(Task task, Map<String, List<TaskAttempt>> attemptsByTask) {
        return task != null && attemptsByTask.getOrDefault(task.getMetadata().getName(), List.of()).stream().anyMatch(AttemptScheduling::isLive);
    }

    private static boolean hasNewRerunRequest(Task task) {
        String request = CampaignReconciler.annotation(task, Constants.ANNOTATION_RERUN);
        return request != null && !request.equals(requestOf(task));
    }

    private static String requestOf(Task task) {
        return task.getSpec().getRerun() == null ? null : task.getSpec().getRerun().getRequest();
    }

    private static String abbreviate(java.util.Collection<String> names) {
        String joined = names.stream().limit(10).collect(Collectors.joining(", "));
        return names.size() > 10 ? joined + " and " + (names.size() - 10) + " more" : joined;
    }
}
