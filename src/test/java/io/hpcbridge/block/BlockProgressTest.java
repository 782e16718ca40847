package io.hpcbridge.block;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.hpcbridge.api.v1alpha1.BlockPhase;
import io.hpcbridge.api.v1alpha1.ProcessingBlockStatus;
import io.hpcbridge.api.v1alpha1.Task;
import io.hpcbridge.api.v1alpha1.TaskPhase;
import io.hpcbridge.api.v1alpha1.TaskStatus;

class BlockProgressTest {
    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

    private static Task task(String name, TaskPhase phase) {
        Task t = new Task();
        t.getSpec().setTaskName(name);
        TaskStatus s = new TaskStatus();
        s.setPhase(phase);
        t.setStatus(s);
        return t;
    }

    @Test
    void countsAndPhaseFollowTheBlocksTasks() {
        ProcessingBlockStatus open = BlockProgress.decide(null, List.of(task("a", TaskPhase.Succeeded), task("b", TaskPhase.Running)), 1L, T0);
        assertThat(open.getPhase()).isEqualTo(BlockPhase.Open);
        assertThat(open.getTotalTasks()).isEqualTo(2);
        assertThat(open.getCompletedTasks()).isEqualTo(1);

        ProcessingBlockStatus complete = BlockProgress.decide(open, List.of(task("a", TaskPhase.Succeeded), task("b", TaskPhase.Succeeded)), 1L, T0);
        assertThat(complete.getPhase()).isEqualTo(BlockPhase.Complete);

        ProcessingBlockStatus failed = BlockProgress.decide(open, List.of(task("a", TaskPhase.Succeeded), task("b", TaskPhase.Skipped)), 1L, T0);
        assertThat(failed.getPhase()).isEqualTo(BlockPhase.Failed);
        assertThat(failed.getConditions()).anySatisfy(c -> assertThat(c.getMessage()).contains("b"));
    }
    private static void assertKstatus(ProcessingBlockStatus s, String ready, String reconciling, String stalled, String reason,
            io.hpcbridge.status.Kstatus.Result kstatus) {
        io.hpcbridge.status.Kstatus.assertConditions(s.getConditions(), 4, s.getObservedGeneration(), ready, reconciling, stalled, reason,
                kstatus);
    }

    @Test
    void kstatusConditionsFollowThePhase() {
        ProcessingBlockStatus open = BlockProgress.decide(null, List.of(task("a", TaskPhase.Succeeded), task("b", TaskPhase.Running)), 4L, T0);
        assertKstatus(open, "False", "True", "False", "TasksPending", io.hpcbridge.status.Kstatus.Result.InProgress);

        ProcessingBlockStatus complete = BlockProgress.decide(open, List.of(task("a", TaskPhase.Succeeded), task("b", TaskPhase.Succeeded)), 4L, T0);
        assertKstatus(complete, "True", "False", "False", "AllTasksSucceeded", io.hpcbridge.status.Kstatus.Result.Current);

        ProcessingBlockStatus failed = BlockProgress.decide(open, List.of(task("a", TaskPhase.Running), task("b", TaskPhase.Cancelled)), 4L, T0);
        assertKstatus(failed, "False", "False", "True", "TasksDidNotSucceed", io.hpcbridge.status.Kstatus.Result.Failed);
        assertThat(io.hpcbridge.status.Conditions.find(failed.getConditions(), "Stalled")).get()
                .extracting(io.fabric8.kubernetes.api.model.Condition::getMessage).isEqualTo("tasks that did not succeed: b");

        ProcessingBlockStatus reopened = BlockProgress.decide(failed, List.of(task("a", TaskPhase.Running), task("b", TaskPhase.Pending)), 4L, T0);
        assertKstatus(reopened, "False", "True", "False", "TasksPending", io.hpcbridge.status.Kstatus.Result.InProgress);
    }
}
