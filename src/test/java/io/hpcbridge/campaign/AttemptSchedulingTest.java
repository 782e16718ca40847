package io.hpcbridge.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.hpcbridge.api.v1alpha1.AttemptPhase;
import io.hpcbridge.api.v1alpha1.Task;
import io.hpcbridge.api.v1alpha1.TaskAttempt;
import io.hpcbridge.api.v1alpha1.TaskAttemptStatus;
import io.hpcbridge.api.v1alpha1.TaskPhase;
import io.hpcbridge.api.v1alpha1.TaskStatus;
import io.hpcbridge.status.Times;

class AttemptSchedulingTest {
    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

    private static Task task(String name, TaskPhase phase, String... deps) {
        Task t = new Task();
        t.getMetadata().setName("c-" + name);
        t.getSpec().setTaskName(name);
        t.getSpec().setDependsOn(List.of(deps));
        if (phase != null) {
            TaskStatus s = new TaskStatus();
            s.setPhase(phase);
            t.setStatus(s);
        } else {
            t.setStatus(null);
        }
        return t;
    }

    private static TaskAttempt attempt(String task, int index, AttemptPhase phase) {
        TaskAttempt a = new TaskAttempt();
        a.getMetadata().setName("c-" + task + "-" + index);
        a.getSpec().setTask("c-" + task);
        a.getSpec().setIndex(index);
        TaskAttemptStatus s = new TaskAttemptStatus();
        s.setPhase(phase);
        a.setStatus(s);
        return a;
    }

    private static List<String> created(AttemptScheduling.Decision d) {
        return d.create().stream().map(n -> n.task().getSpec().getTaskName() + "-" + n.index()).toList();
    }

    @Test
    void readyTasksStartInPlanOrderUpToTheCap() {
        List<Task> tasks = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            tasks.add(task("t" + i, null));
        }
        var d = AttemptScheduling.decide(tasks, Map.of(), Map.of(), 4, true, NOW);
        assertThat(created(d)).containsExactly("t0-1", "t1-1", "t2-1", "t3-1");
        assertThat(d.heldBack()).isEqualTo(6);
    }

    @Test
    void liveAttemptsIncludingSettlingCountAgainstTheCap() {
        List<Task> tasks = List.of(task("a", TaskPhase.Running), task("b", TaskPhase.Running), task("c", null), task("d", null));
        Map<String, List<TaskAttempt>> attempts = new HashMap<>();
        attempts.put("c-a", List.of(attempt("a", 1, AttemptPhase.Settling)));
        attempts.put("c-b", List.of(attempt("b", 1, AttemptPhase.Submitting)));
        var d = AttemptScheduling.decide(tasks, attempts, Map.of(), 3, true, NOW);
        assertThat(created(d)).containsExactly("c-1");
    }

    @Test
    void noCapMeansEveryReadyTaskStarts() {
        var d = AttemptScheduling.decide(List.of(task("a", null), task("b", null)), Map.of(), Map.of(), null, true, NOW);
        assertThat(created(d)).containsExactly("a-1", "b-1");
    }

    @Test
    void aTaskWaitsUntilEveryDependencySucceeded() {
        List<Task> tasks = List.of(task("a", TaskPhase.Succeeded), task("b", TaskPhase.Running), task("c", null, "a", "b"));
        Map<String, List<TaskAttempt>> attempts = Map.of("c-a", List.of(attempt("a", 1, AttemptPhase.Succeeded)),
                "c-b", List.of(attempt("b", 1, AttemptPhase.Running)));
        var waiting = AttemptScheduling.decide(tasks, attempts, Map.of("a", TaskPhase.Succeeded, "b", TaskPhase.Running), null, true, NOW);
        assertThat(created(waiting)).isEmpty();
        attempts = Map.of("c-a", List.of(attempt("a", 1, AttemptPhase.Succeeded)), "c-b", List.of(attempt("b", 1, AttemptPhase.Succeeded)));
        var ready = AttemptScheduling.decide(tasks, attempts, Map.of("a", TaskPhase.Succeeded, "b", TaskPhase.Succeeded), null, true, NOW);
        assertThat(created(ready)).containsExactly("c-1");
    }

    @Test
    void suspendedCampaignsStartNothingButCountWhatIsHeldBack() {
        var d = AttemptScheduling.decide(List.of(task("a", null), task("b", null)), Map.of(), Map.of(), null, false, NOW);
        assertThat(d.create()).isEmpty();
        assertThat(d.heldBack()).isEqualTo(2);
    }

    @Test
    void aRetryStartsOnlyAfterItsBackoffAndOnlyOnceTheTaskCountedEveryAttempt() {
        Task retrying = task("a", TaskPhase.Retrying);
        retrying.getStatus().setAttempts(1);
        retrying.getStatus().setNextAttemptAfter(Times.format(NOW.plusSeconds(30)));
        Map<String, List<TaskAttempt>> attempts = Map.of("c-a", List.of(attempt("a", 1, AttemptPhase.Failed)));

        var early = AttemptScheduling.decide(List.of(retrying), attempts, Map.of(), null, true, NOW);
        assertThat(early.create()).isEmpty();
        assertThat(early.nextWake()).isEqualTo(NOW.plusSeconds(30));

        var due = AttemptScheduling.decide(List.of(retrying), attempts, Map.of(), null, true, NOW.plusSeconds(30));
        assertThat(created(due)).containsExactly("a-2");

        retrying.getStatus().setAttempts(0); // the Task has not yet seen attempt 1 end
        assertThat(AttemptScheduling.decide(List.of(retrying), attempts, Map.of(), null, true, NOW.plusSeconds(30)).create()).isEmpty();
    }

    @Test
    void endedTasksNeverGetAnotherAttempt() {
        Task failed = task("a", TaskPhase.Failed);
        var d = AttemptScheduling.decide(List.of(failed), Map.of("c-a", List.of(attempt("a", 1, AttemptPhase.Failed))), Map.of(), null, true, NOW);
        assertThat(d.create()).isEmpty();
    }
}
