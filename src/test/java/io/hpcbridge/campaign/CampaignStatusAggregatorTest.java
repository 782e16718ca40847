package io.hpcbridge.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Condition;
import io.hpcbridge.api.v1alpha1.CampaignPhase;
import io.hpcbridge.api.v1alpha1.CampaignSpec;
import io.hpcbridge.api.v1alpha1.CampaignStatus;
import io.hpcbridge.api.v1alpha1.NameReference;
import io.hpcbridge.api.v1alpha1.Task;
import io.hpcbridge.api.v1alpha1.TaskPhase;
import io.hpcbridge.api.v1alpha1.TaskStatus;

class CampaignStatusAggregatorTest {
    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

    private static CampaignSpec spec(boolean suspend) {
        CampaignSpec s = new CampaignSpec();
        s.setClusterRef(new NameReference("site"));
        s.setSuspend(suspend);
        return s;
    }

    private static Task task(String name, TaskPhase phase, String reason, String message) {
        Task t = new Task();
        t.getSpec().setTaskName(name);
        TaskStatus s = new TaskStatus();
        s.setPhase(phase);
        s.setReason(reason);
        s.setMessage(message);
        t.setStatus(s);
        return t;
    }

    private static Condition condition(CampaignStatus s, String type) {
        return s.getConditions().stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow();
    }

    @Test
    void allSucceededIsSucceededWithMatchingConditions() {
        CampaignStatus s = CampaignStatusAggregator.aggregate(null, spec(false), null, 2,
                List.of(task("a", TaskPhase.Succeeded, null, null), task("b", TaskPhase.Succeeded, null, null)), true, 3L, T0);
        assertThat(s.getPhase()).isEqualTo(CampaignPhase.Succeeded);
        assertThat(s.getObservedGeneration()).isEqualTo(3L);
        assertThat(condition(s, "Succeeded").getStatus()).isEqualTo("True");
        assertThat(condition(s, "Completed").getStatus()).isEqualTo("True");
        assertThat(condition(s, "Failed").getStatus()).isEqualTo("False");
        assertThat(s.getFinishedAt()).isEqualTo("2026-11-23T10:00:00Z");
    }

    @Test
    void aFailedTaskMakesTheCampaignFailedOnceNothingElseRunsAndTheMessageSaysWhy() {
        List<Task> running = List.of(task("breaks", TaskPhase.Failed, "NonZeroExit", "attempt c-breaks-1 ended Failed (NonZeroExit): job 8 exited with code 3\nmore"),
                task("other", TaskPhase.Running, "Running", "attempt runs"));
        assertThat(CampaignStatusAggregator.aggregate(null, spec(false), null, 2, running, true, 1L, T0).getPhase())
                .isEqualTo(CampaignPhase.Running);

        List<Task> ended = List.of(running.get(0), task("after", TaskPhase.Skipped, "UpstreamFailed", "not run"),
                task("other", TaskPhase.Succeeded, null, null));
        CampaignStatus s = CampaignStatusAggregator.aggregate(null, spec(false), null, 3, ended, true, 1L, T0);
        assertThat(s.getPhase()).isEqualTo(CampaignPhase.Failed);
        assertThat(condition(s, "Failed").getMessage())
                .isEqualTo("task breaks failed (NonZeroExit): attempt c-breaks-1 ended Failed (NonZeroExit): job 8 exited with code 3; 1 downstream task(s) skipped");
    }

    @Test
    void notYetCreatedTasksCountAsPendingSoNothingEndsEarly() {
        CampaignStatus s = CampaignStatusAggregator.aggregate(null, spec(false), null, 3,
                List.of(task("a", TaskPhase.Succeeded, null, null)), true, 1L, T0);
        assertThat(s.getTasks().getTotal()).isEqualTo(3);
        assertThat(s.getTasks().getPending()).isEqualTo(2);
        assertThat(s.getPhase()).isEqualTo(CampaignPhase.Running);
    }

    @Test
    void anUnacceptedSpecIsNeverCompleteAndSaysWhy() {
        CampaignStatus s = CampaignStatusAggregator.aggregate(null, spec(false),
                new PlanProblem(PlanProblem.DEPENDENCY_CYCLE, "dependency cycle: a -> b -> a"), 2, List.of(), false, 1L, T0);
        assertThat(s.getPhase()).isEqualTo(CampaignPhase.Pending);
        assertThat(condition(s, "Accepted").getStatus()).isEqualTo("False");
        assertThat(condition(s, "Accepted").getReason()).isEqualTo("DependencyCycle");
        assertThat(condition(s, "Accepted").getMessage()).isEqualTo("dependency cycle: a -> b -> a");
    }

    @Test
    void suspendShowsAsPhaseAndCondition() {
        CampaignStatus s = CampaignStatusAggregator.aggregate(null, spec(true), null, 1,
                List.of(task("a", TaskPhase.Pending, "Ready", "ready")), false, 1L, T0);
        assertThat(s.getPhase()).isEqualTo(CampaignPhase.Suspended);
        assertThat(condition(s, "Suspended").getStatus()).isEqualTo("True");
    }

    @Test
    void transitionTimesAreKeptWhenNothingChanged() {
        CampaignStatus first = CampaignStatusAggregator.aggregate(null, spec(false), null, 1,
                List.of(task("a", TaskPhase.Running, "Running", "runs")), true, 1L, T0);
        CampaignStatus later = CampaignStatusAggregator.aggregate(first, spec(false), null, 1,
                List.of(task("a", TaskPhase.Running, "Running", "runs")), true, 1L, T0.plusSeconds(600));
        assertThat(condition(later, "Completed").getLastTransitionTime()).isEqualTo(condition(first, "Completed").getLastTransitionTime());
        assertThat(later.getStartedAt()).isEqualTo(first.getStartedAt());
    }
}
