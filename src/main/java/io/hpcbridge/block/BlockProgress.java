package io.hpcbridge.block;

import java.time.Instant;
import java.util.List;

import io.hpcbridge.api.v1alpha1.BlockPhase;
import io.hpcbridge.api.v1alpha1.ConditionTypes;
import io.hpcbridge.api.v1alpha1.ProcessingBlockStatus;
import io.hpcbridge.api.v1alpha1.Task;
import io.hpcbridge.api.v1alpha1.TaskPhase;
import io.hpcbridge.status.Conditions;
import io.hpcbridge.status.Readiness;
import io.hpcbridge.status.StatusComparison;

/** A processing block's counts and phase from the Tasks that name it. Pure. Archiving comes later. */
public final class BlockProgress {
    private BlockProgress() {
    }

    public static ProcessingBlockStatus decide(ProcessingBlockStatus current, List<Task> tasks, long generation, Instant now) {
        ProcessingBlockStatus next = current == null ? new ProcessingBlockStatus() : StatusComparison.copy(current);
        next.setObservedGeneration(generation);
        int total = tasks.size();
        long succeeded = tasks.stream().filter(t -> phase(t) == TaskPhase.Succeeded).count();
        List<String> broken = tasks.stream()
                .filter(t -> phase(t) == TaskPhase.Failed || phase(t) == TaskPhase.Skipped || phase(t) == TaskPhase.Cancelled)
                .map(t -> t.getSpec().getTaskName()).sorted().toList();
        next.setTotalTasks(total);
        next.setCompletedTasks((int) succeeded);
        BlockPhase phase;
        String reason;
        String message;
        if (!broken.isEmpty()) {
            phase = BlockPhase.Failed;
            reason = "TasksDidNotSucceed";
            message = "tasks that did not succeed: " + String.join(", ", broken);
        } else if (total > 0 && succeeded == total) {
            phase = BlockPhase.Complete;
            reason = "AllTasksSucceeded";
            message = "all " + total + " tasks succeeded";
        } else {
            phase = BlockPhase.Open;
            reason = "TasksPending";
            message = succeeded + " of " + total + " tasks succeeded";
        }
        next.setPhase(phase);
        var c = Conditions.set(next.getConditions(), ConditionTypes.COMPLETED, phase != BlockPhase.Open, reason, message, generation, now);
        c = Conditions.set(c, ConditionTypes.FAILED, phase == BlockPhase.Failed, reason, message, generation, now);
        // kstatus: Ready once complete, Stalled once a task of the block did not succeed (a rerun can reopen it).
        Readiness.Summary readiness = switch (phase) {
            case Complete, Archived -> Readiness.Summary.ready(reason, message);
            case Failed, Invalidated -> Readiness.Summary.stalled(reason, message);
            case Open -> Readiness.Summary.reconciling(reason, message);
        };
        next.setConditions(Readiness.apply(c, readiness, generation, now));
        return next;
    }

    private static TaskPhase phase(Task t) {
        return t.getStatus() == null ? null : t.getStatus().getPhase();
    }
}
