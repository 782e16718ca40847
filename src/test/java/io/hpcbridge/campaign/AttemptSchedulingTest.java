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

    /** Survey and admit in one go, as the campaign reconciler does when the cluster has no cap. */
    private static AttemptScheduling.Decision decide(List<Task> tasks, Map<String, List<TaskAttempt>> attempts, Integer parallelism,
            String blockedReason, Instant now) {
        var survey = AttemptScheduling.survey(tasks, attempts, now);
        return AttemptScheduling.admit(survey.ready(), survey.live(), parallelism, blockedReason, Integer.MAX_VALUE);
    }

    @Test
    void readyTasksStartInPlanOrderUpToTheCapAndTheRestAreHeldByTheCap() {
        List<Task> tasks = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            tasks.add(task("t" + i, null));
        }
        var d = decide(tasks, Map.of(), 4, null, NOW);
        assertThat(created(d)).containsExactly("t0-1", "t1-1", "t2-1", "t3-1");
        assertThat(d.held()).hasSize(6).containsEntry("c-t9", AttemptScheduling.PARALLELISM_LIMIT);
    }

    @Test
    void liveAttemptsIncludingSettlingCountAgainstTheCap() {
        List<Task> tasks = List.of(task("a", TaskPhase.Running), task("b", TaskPhase.Running), task("c", null), task("d", null));
        Map<String, List<TaskAttempt>> attempts = new HashMap<>();
        attempts.put("c-a", List.of(attempt("a", 1, AttemptPhase.Settling)));
        attempts.put("c-b", List.of(attempt("b", 1, AttemptPhase.Submitting)));
        var d = decide(tasks, attempts, 3, null, NOW);
        assertThat(created(d)).containsExactly("c-1");
        assertThat(d.held()).containsOnly(Map.entry("c-d", AttemptScheduling.PARALLELISM_LIMIT));
    }

    @Test
    void noCapMeansEveryReadyTaskStarts() {
        var d = decide(List.of(task("a", null), task("b", null)), Map.of(), null, null, NOW);
        assertThat(created(d)).containsExactly("a-1", "b-1");
        assertThat(d.held()).isEmpty();
    }

    @Test
    void theClusterGrantLimitsWhatTheCampaignCapWouldAllowAndSaysSo() {
        List<Task> tasks = List.of(task("a", null), task("b", null), task("c", null), task("d", null));
        var survey = AttemptScheduling.survey(tasks, Map.of(), NOW);
        var d = AttemptScheduling.admit(survey.ready(), survey.live(), 3, null, 1);
        assertThat(created(d)).containsExactly("a-1");
        assertThat(d.held()).containsEntry("c-b", AttemptScheduling.CLUSTER_LIMIT).containsEntry("c-c", AttemptScheduling.CLUSTER_LIMIT)
                .containsEntry("c-d", AttemptScheduling.PARALLELISM_LIMIT);
    }

    @Test
    void aTaskWaitsUntilEveryDependencySucceeded() {
        Task a = task("a", TaskPhase.Succeeded);
        Task b = task("b", TaskPhase.Running);
        Task c = task("c", null, "a", "b");
        Map<String, List<TaskAttempt>> attempts = Map.of("c-a", List.of(attempt("a", 1, AttemptPhase.Succeeded)),
                "c-b", List.of(attempt("b", 1, AttemptPhase.Running)));
        var waiting = AttemptScheduling.survey(List.of(a, b, c), attempts, NOW);
        assertThat(waiting.ready()).isEmpty();
        assertThat(waiting.waiting()).containsEntry("WaitingForDependencies", 1);
        b.getStatus().setPhase(TaskPhase.Succeeded);
        attempts = Map.of("c-a", List.of(attempt("a", 1, AttemptPhase.Succeeded)), "c-b", List.of(attempt("b", 1, AttemptPhase.Succeeded)));
        assertThat(created(decide(List.of(a, b, c), attempts, null, null, NOW))).containsExactly("c-1");
    }

    @Test
    void aDependencyWhoseStatusHasNotSeenItsResetIsNotSucceeded() {
        Task a = task("a", TaskPhase.Succeeded);
        a.getMetadata().setGeneration(2L); // reset for a rerun; its status still describes generation 1
        a.getStatus().setObservedGeneration(1L);
        Task c = task("c", null, "a");
        var d = decide(List.of(a, c), Map.of("c-a", List.of(attempt("a", 1, AttemptPhase.Succeeded))), null, null, NOW);
        assertThat(created(d)).isEmpty();
    }

    @Test
    void aBlockedCampaignStartsNothingAndHoldsEveryReadyTaskWithTheReason() {
        var d = decide(List.of(task("a", null), task("b", null)), Map.of(), null, "Suspended", NOW);
        assertThat(d.create()).isEmpty();
        assertThat(d.held()).containsOnly(Map.entry("c-a", "Suspended"), Map.entry("c-b", "Suspended"));
    }

    @Test
    void aRetryStartsOnlyAfterItsBackoffAndOnlyOnceTheTaskCountedEveryAttempt() {
        Task retrying = task("a", TaskPhase.Retrying);
        retrying.getStatus().setAttempts(1);
        retrying.getStatus().setNextAttemptAfter(Times.format(NOW.plusSeconds(30)));
        Map<String, List<TaskAttempt>> attempts = Map.of("c-a", List.of(attempt("a", 1, AttemptPhase.Failed)));

        var early = AttemptScheduling.survey(List.of(retrying), attempts, NOW);
        assertThat(early.ready()).isEmpty();
        assertThat(early.nextWake()).isEqualTo(NOW.plusSeconds(30));
        assertThat(early.waiting()).containsEntry("BackoffUntil", 1);

        assertThat(created(decide(List.of(retrying), attempts, null, null, NOW.plusSeconds(30)))).containsExactly("a-2");

        retrying.getStatus().setAttempts(0); // the Task has not yet seen attempt 1 end
        assertThat(decide(List.of(retrying), attempts, null, null, NOW.plusSeconds(30)).create()).isEmpty();
    }

    @Test
    void endedTasksNeverGetAnotherAttempt() {
        Task failed = task("a", TaskPhase.Failed);
        var d = decide(List.of(failed), Map.of("c-a", List.of(attempt("a", 1, AttemptPhase.Failed))), null, null, NOW);
        assertThat(d.create()).isEmpty();
    }

    @Test
    void aRerunTaskStartsItsNewRunWithTheNextIndex() {
        Task a = task("a", TaskPhase.Succeeded);
        a.getMetadata().setGeneration(2L);
        a.getStatus().setObservedGeneration(1L);
        a.getSpec().setRerun(new io.hpcbridge.api.v1alpha1.TaskRerun("rerun:x", 3, "x"));
        Map<String, List<TaskAttempt>> attempts = Map.of("c-a", List.of(attempt("a", 1, AttemptPhase.Failed), attempt("a", 2, AttemptPhase.Succeeded)));
        assertThat(created(decide(List.of(a), attempts, null, null, NOW))).containsExactly("a-3");
    }

    @Test
    void aStoppedTaskNeverStarts() {
        Task a = task("a", null);
        a.getSpec().setStop(true);
        assertThat(decide(List.of(a), Map.of(), null, null, NOW).create()).isEmpty();
    }

    @Test
    void readyTasksStartOldestReadyFirst() {
        Task early = task("early", TaskPhase.Succeeded);
        early.getStatus().setFinishedAt(Times.format(NOW.minusSeconds(600)));
        Task late = task("late", TaskPhase.Succeeded);
        late.getStatus().setFinishedAt(Times.format(NOW.minusSeconds(10)));
        Task afterLate = task("x", null, "late");
        Task afterEarly = task("y", null, "early");
        Map<String, List<TaskAttempt>> attempts = Map.of("c-early", List.of(attempt("early", 1, AttemptPhase.Succeeded)),
                "c-late", List.of(attempt("late", 1, AttemptPhase.Succeeded)));
        var d = decide(List.of(early, late, afterLate, afterEarly), attempts, 1, null, NOW);
        assertThat(created(d)).containsExactly("y-1");
    }
}
