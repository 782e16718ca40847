package io.hpcbridge.campaign;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.hpcbridge.api.v1alpha1.Task;
import io.hpcbridge.api.v1alpha1.TaskAttempt;
import io.hpcbridge.api.v1alpha1.TaskPhase;
import io.hpcbridge.api.v1alpha1.TaskStatus;
import io.hpcbridge.status.Times;
import io.hpcbridge.task.TaskProgress;

/**
 * Which tasks get a new attempt now. Pure, in two steps: {@link #survey} finds the ready tasks (oldest-ready first,
 * then plan order) and why the others wait; {@link #admit} applies suspension, the campaign's parallelism and the
 * cluster's grant, and says for every ready task that does not start why it is held.
 */
public final class AttemptScheduling {
    public static final String PARALLELISM_LIMIT = "ParallelismLimit";
    public static final String CLUSTER_LIMIT = "ClusterLimit";

    private AttemptScheduling() {
    }

    /** A new attempt to create: the task and the attempt's index. */
    public record NewAttempt(Task task, int index) {
    }

    /** A task that may start now; {@code readySince} orders tasks oldest-first. */
    public record ReadyTask(Task task, int index, Instant readySince) {
    }

    /**
     * @param ready     tasks that may start now, oldest-ready first
     * @param nextWake  earliest time a task in backoff becomes ready, or null
     * @param waiting   tasks that cannot start yet, counted by reason (WaitingForDependencies, BackoffUntil)
     * @param live      live attempts of the campaign (queued, held, running, settling, or not yet submitted)
     */
    public record Survey(List<ReadyTask> ready, Instant nextWake, Map<String, Integer> waiting, long live) {
    }

    /** @param held ready tasks that do not start now, by Task object name, with the reason */
    public record Decision(List<NewAttempt> create, Map<String, String> held) {
    }

    public static Survey survey(List<Task> tasksInPlanOrder, Map<String, List<TaskAttempt>> attemptsByTask, Instant now) {
        Map<String, Task> byTaskName = new LinkedHashMap<>();
        tasksInPlanOrder.forEach(t -> byTaskName.put(t.getSpec().getTaskName(), t));
        long live = attemptsByTask.values().stream().flatMap(List::stream).filter(AttemptScheduling::isLive).count();
        List<ReadyTask> ready = new ArrayList<>();
        Map<String, Integer> waiting = new LinkedHashMap<>();
        Instant wake = null;
        for (Task task : tasksInPlanOrder) {
            List<TaskAttempt> attempts = attemptsByTask.getOrDefault(task.getMetadata().getName(), List.of());
            Readiness r = readiness(task, attempts, byTaskName, now);
            if (r.waitUntil() != null) {
                wake = wake == null || r.waitUntil().isBefore(wake) ? r.waitUntil() : wake;
            }
            if (r.waitingReason() != null) {
                waiting.merge(r.waitingReason(), 1, Integer::sum);
            }
            if (r.ready()) {
                int index = attempts.stream().mapToInt(a -> a.getSpec().getIndex()).max().orElse(0) + 1;
                ready.add(new ReadyTask(task, index, r.readySince()));
            }
        }
        // Stable: equal times keep plan order.
        ready.sort(Comparator.comparing(ReadyTask::readySince, Comparator.nullsFirst(Comparator.naturalOrder())));
        return new Survey(List.copyOf(ready), wake, waiting, live);
    }

    /**
     * @param blockedReason why nothing may start at all (Suspended, Stopped, ClusterUnreachable, ClusterPaused), or null
     * @param clusterGrant  how many new attempts the cluster's maxActiveJobs allows this campaign now
     */
    public static Decision admit(List<ReadyTask> ready, long live, Integer parallelism, String blockedReason, int clusterGrant) {
        long capacity = parallelism == null ? Long.MAX_VALUE : Math.max(0, parallelism - live);
        List<NewAttempt> create = new ArrayList<>();
        Map<String, String> held = new LinkedHashMap<>();
        int granted = Math.max(0, clusterGrant);
        for (ReadyTask r : ready) {
            String name = r.task().getMetadata().getName();
            if (blockedReason != null) {
                held.put(name, blockedReason);
            } else if (capacity == 0) {
                held.put(name, PARALLELISM_LIMIT);
            } else if (granted == 0) {
                // Within the campaign's cap, so the cluster is what holds it; later ones would meet the cap first.
                held.put(name, CLUSTER_LIMIT);
                capacity--;
            } else {
                create.add(new NewAttempt(r.task(), r.index()));
                capacity--;
                granted--;
            }
        }
        return new Decision(List.copyOf(create), held);
    }

    record Readiness(boolean ready, Instant readySince, Instant waitUntil, String waitingReason) {
        static final Readiness NO = new Readiness(false, null, null, null);
    }

    static Readiness readiness(Task task, List<TaskAttempt> attempts, Map<String, Task> byTaskName, Instant now) {
        TaskPhase phase = TaskProgress.effectivePhase(task);
        if (phase.isTerminal() || task.getSpec().isStopped()) {
            return Readiness.NO;
        }
        if (attempts.stream().anyMatch(AttemptScheduling::isLive)) {
            return Readiness.NO;
        }
        List<TaskAttempt> run = runAttempts(task, attempts);
        if (run.isEmpty()) {
            Instant since = Times.parse(task.getMetadata().getCreationTimestamp());
            for (String dep : task.getSpec().getDependsOn()) {
                Task d = byTaskName.get(dep);
                if (d == null || TaskProgress.effectivePhase(d) != TaskPhase.Succeeded) {
                    return new Readiness(false, null, null, TaskProgress.WAITING_FOR_DEPENDENCIES);
                }
                Instant finished = Times.parse(d.getStatus().getFinishedAt());
                since = max(since, finished);
            }
            return new Readiness(true, since, null, null);
        }
        // A retry: only once the Task has counted every attempt so far and decided on another.
        TaskStatus status = task.getStatus();
        if (phase != TaskPhase.Retrying || status.getAttempts() == null || status.getAttempts() != attempts.size()) {
            return Readiness.NO;
        }
        Instant after = Times.parse(status.getNextAttemptAfter());
        if (after != null && after.isAfter(now)) {
            return new Readiness(false, null, after, TaskProgress.BACKOFF_UNTIL);
        }
        TaskAttempt last = run.get(run.size() - 1);
        Instant since = after != null ? after : last.getStatus() == null ? null : Times.parse(last.getStatus().getFinishedAt());
        return new Readiness(true, since, null, null);
    }

    /** The attempts of the task's current run, by index; earlier ones are history kept as evidence. */
    public static List<TaskAttempt> runAttempts(Task task, List<TaskAttempt> attempts) {
        int first = task.getSpec().firstAttempt();
        return attempts.stream()
                .filter(a -> a.getSpec().getIndex() != null && a.getSpec().getIndex() >= first)
                .sorted(Comparator.comparingInt(a -> a.getSpec().getIndex()))
                .toList();
    }

    public static boolean isLive(TaskAttempt a) {
        return a.getStatus() == null || a.getStatus().getPhase() == null || a.getStatus().getPhase().isLive();
    }

    private static Instant max(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isAfter(b) ? a : b;
    }
}
