package io.hpcbridge.campaign;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.hpcbridge.api.v1alpha1.Task;
import io.hpcbridge.api.v1alpha1.TaskAttempt;
import io.hpcbridge.api.v1alpha1.TaskPhase;
import io.hpcbridge.api.v1alpha1.TaskStatus;
import io.hpcbridge.status.Times;

/**
 * Which tasks get a new attempt now, under the campaign's parallelism cap. Pure: tasks are taken in plan order
 * (dependency order, then spec order), so earlier tasks are never starved by later ones.
 */
public final class AttemptScheduling {
    private AttemptScheduling() {
    }

    /** A new attempt to create: the task and the attempt's index. */
    public record NewAttempt(Task task, int index) {
    }

    /**
     * @param nextWake earliest time a task in backoff becomes ready, or null
     * @param heldBack tasks ready to run but held back by the cap or by suspension
     */
    public record Decision(List<NewAttempt> create, Instant nextWake, int heldBack) {
    }

    public static Decision decide(List<Task> tasksInPlanOrder, Map<String, List<TaskAttempt>> attemptsByTask,
            Map<String, TaskPhase> phaseByTaskName, Integer parallelism, boolean admitting, Instant now) {
        long live = attemptsByTask.values().stream().flatMap(List::stream).filter(AttemptScheduling::isLive).count();
        long capacity = parallelism == null ? Long.MAX_VALUE : Math.max(0, parallelism - live);
        List<NewAttempt> create = new ArrayList<>();
        Instant wake = null;
        int heldBack = 0;
        for (Task task : tasksInPlanOrder) {
            List<TaskAttempt> attempts = attemptsByTask.getOrDefault(task.getMetadata().getName(), List.of());
            Readiness r = readiness(task, attempts, phaseByTaskName, now);
            if (r.waitUntil() != null) {
                wake = wake == null || r.waitUntil().isBefore(wake) ? r.waitUntil() : wake;
            }
            if (!r.ready()) {
                continue;
            }
            if (!admitting || capacity == 0) {
                heldBack++;
                continue;
            }
            int index = attempts.stream().mapToInt(a -> a.getSpec().getIndex()).max().orElse(0) + 1;
            create.add(new NewAttempt(task, index));
            capacity--;
        }
        return new Decision(create, wake, heldBack);
    }

    record Readiness(boolean ready, Instant waitUntil) {
    }

    static Readiness readiness(Task task, List<TaskAttempt> attempts, Map<String, TaskPhase> phaseByTaskName, Instant now) {
        TaskStatus status = task.getStatus();
        TaskPhase phase = status == null ? null : status.getPhase();
        if (phase != null && phase.isTerminal()) {
            return new Readiness(false, null);
        }
        if (attempts.stream().anyMatch(AttemptScheduling::isLive)) {
            return new Readiness(false, null);
        }
        if (attempts.isEmpty()) {
            boolean depsDone = task.getSpec().getDependsOn().stream().allMatch(d -> phaseByTaskName.get(d) == TaskPhase.Succeeded);
            return new Readiness(depsDone, null);
        }
        // A retry: only once the Task has counted every attempt so far and decided on another.
        if (phase != TaskPhase.Retrying || status.getAttempts() == null || status.getAttempts() != attempts.size()) {
            return new Readiness(false, null);
        }
        Instant after = Times.parse(status.getNextAttemptAfter());
        if (after != null && after.isAfter(now)) {
            return new Readiness(false, after);
        }
        return new Readiness(true, null);
    }

    static boolean isLive(TaskAttempt a) {
        return a.getStatus() == null || a.getStatus().getPhase() == null || a.getStatus().getPhase().isLive();
    }
}
