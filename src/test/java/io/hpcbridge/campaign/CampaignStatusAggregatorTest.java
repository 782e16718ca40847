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

    @Test
    void aStoppedCampaignIsStoppingWhileAnyAttemptIsLiveThenStopped() {
        CampaignSpec spec = spec(false);
        spec.setStop(true);
        List<Task> tasks = List.of(task("a", TaskPhase.Succeeded, null, null), task("b", TaskPhase.Running, "Running", "cancelling"));
        CampaignStatus s = CampaignStatusAggregator.aggregate(null, spec, null, 2, tasks, true, 1L, T0);
        CampaignStatus stopping = CampaignStatusAggregator.withProgressDetail(s, spec, true, java.util.Map.of(), List.of(), null, 1L, T0);
        assertThat(stopping.getPhase()).isEqualTo(CampaignPhase.Stopping);
        assertThat(condition(stopping, "Completed").getStatus()).isEqualTo("False");
        assertThat(stopping.getFinishedAt()).isNull();

        List<Task> ended = List.of(task("a", TaskPhase.Succeeded, null, null), task("b", TaskPhase.Cancelled, "Stopped", "stopped"));
        CampaignStatus s2 = CampaignStatusAggregator.aggregate(stopping, spec, null, 2, ended, true, 1L, T0.plusSeconds(5));
        CampaignStatus stopped = CampaignStatusAggregator.withProgressDetail(s2, spec, false, java.util.Map.of(), List.of(), null, 1L, T0.plusSeconds(5));
        assertThat(stopped.getPhase()).isEqualTo(CampaignPhase.Stopped);
        assertThat(condition(stopped, "Completed").getStatus()).isEqualTo("True");
        assertThat(condition(stopped, "Completed").getReason()).isEqualTo("Stopped");
        assertThat(condition(stopped, "Failed").getStatus()).as("a stop is not a failure").isEqualTo("False");
        assertThat(condition(stopped, "Succeeded").getStatus()).isEqualTo("False");

        List<Task> allDone = List.of(task("a", TaskPhase.Succeeded, null, null), task("b", TaskPhase.Succeeded, null, null));
        CampaignStatus s3 = CampaignStatusAggregator.aggregate(null, spec, null, 2, allDone, true, 1L, T0);
        assertThat(CampaignStatusAggregator.withProgressDetail(s3, spec, false, null, null, null, 1L, T0).getPhase())
                .as("stopping a campaign that already succeeded changes nothing").isEqualTo(CampaignPhase.Succeeded);
    }

    @Test
    void blockedByListsReasonsMostFirstAndRetryFailedIsRecorded() {
        CampaignStatus s = CampaignStatusAggregator.aggregate(null, spec(false), null, 1, List.of(task("a", TaskPhase.Pending, null, null)), false, 1L, T0);
        java.util.Map<String, Integer> counts = new java.util.LinkedHashMap<>();
        counts.put("WaitingForDependencies", 3);
        counts.put("ParallelismLimit", 12);
        counts.put("BackoffUntil", 3);
        CampaignStatus next = CampaignStatusAggregator.withProgressDetail(s, spec(false), true, counts, List.of(), "t1", 1L, T0);
        assertThat(next.getBlockedBy()).extracting(b -> b.getReason() + "=" + b.getTasks())
                .containsExactly("ParallelismLimit=12", "BackoffUntil=3", "WaitingForDependencies=3");
        assertThat(next.getLastRetryFailed()).isEqualTo("t1");
        assertThat(CampaignStatusAggregator.withProgressDetail(next, spec(false), true, counts, List.of(), null, 1L, T0).getLastRetryFailed())
                .as("kept until the next request is acted on").isEqualTo("t1");
    }

    @Test
    void recentFailuresAreTheNewestTwentyFailuresNewestFirstWithShortMessages() {
        List<io.hpcbridge.api.v1alpha1.TaskAttempt> attempts = new java.util.ArrayList<>();
        for (int i = 0; i < 30; i++) {
            io.hpcbridge.api.v1alpha1.TaskAttempt a = new io.hpcbridge.api.v1alpha1.TaskAttempt();
            a.getMetadata().setName("c-t" + i + "-1");
            a.getSpec().setTaskName("t" + i);
            io.hpcbridge.api.v1alpha1.TaskAttemptStatus st = new io.hpcbridge.api.v1alpha1.TaskAttemptStatus();
            st.setPhase(i % 3 == 0 ? io.hpcbridge.api.v1alpha1.AttemptPhase.Succeeded : io.hpcbridge.api.v1alpha1.AttemptPhase.Failed);
            st.setReason("NonZeroExit");
            st.setMessage("x".repeat(500) + "\nsecond line");
            st.setFinishedAt(io.hpcbridge.status.Times.format(T0.plusSeconds(i)));
            a.setStatus(st);
            attempts.add(a);
        }
        var recent = CampaignStatusAggregator.recentFailures(attempts);
        assertThat(recent).hasSize(CampaignStatusAggregator.RECENT_FAILURES);
        assertThat(recent.get(0).getTask()).isEqualTo("t29");
        assertThat(recent).noneMatch(r -> Integer.parseInt(r.getTask().substring(1)) % 3 == 0);
        assertThat(recent.get(0).getMessage()).hasSize(CampaignStatusAggregator.FAILURE_MESSAGE_CHARS).doesNotContain("second line");
    }
    /** What the reconciler does: aggregate, then the progress detail, which sets the kstatus conditions last. */
    private static CampaignStatus finish(CampaignStatus current, CampaignSpec spec, PlanProblem acceptance, int planned, List<Task> tasks,
            boolean anyAttempt, boolean anyLive, Condition clusterReachable, Instant now) {
        CampaignStatus s = CampaignStatusAggregator.aggregate(current, spec, acceptance, planned, tasks, anyAttempt, clusterReachable, 2L, now);
        return CampaignStatusAggregator.withProgressDetail(s, spec, anyLive, java.util.Map.of(), List.of(), null, 2L, now);
    }

    private static Condition reachable(String status, String reason) {
        return new io.fabric8.kubernetes.api.model.ConditionBuilder().withType("Reachable").withStatus(status).withReason(reason)
                .withMessage(reason + " message").build();
    }

    private static void assertKstatus(CampaignStatus s, String ready, String reconciling, String stalled, String reason,
            io.hpcbridge.status.Kstatus.Result kstatus) {
        io.hpcbridge.status.Kstatus.assertConditions(s.getConditions(), 2, s.getObservedGeneration(), ready, reconciling, stalled, reason,
                kstatus);
    }

    @Test
    void kstatusConditionsFollowThePhase() {
        var inProgress = io.hpcbridge.status.Kstatus.Result.InProgress;
        List<Task> running = List.of(task("a", TaskPhase.Succeeded, null, null), task("b", TaskPhase.Running, "Running", "runs"));
        assertKstatus(finish(null, spec(false), null, 2, running, true, true, null, T0), "False", "True", "False", "Running", inProgress);
        assertKstatus(finish(null, spec(false), null, 2, List.of(), false, false, null, T0), "False", "True", "False", "Pending", inProgress);

        List<Task> succeeded = List.of(task("a", TaskPhase.Succeeded, null, null), task("b", TaskPhase.Succeeded, null, null));
        CampaignStatus done = finish(null, spec(false), null, 2, succeeded, true, false, null, T0);
        assertKstatus(done, "True", "False", "False", "Succeeded", io.hpcbridge.status.Kstatus.Result.Current);
        assertThat(condition(done, "Ready").getMessage()).isEqualTo("2/2 tasks succeeded, 0 running, 0 failed, 0 skipped, 0 cancelled");

        List<Task> failed = List.of(task("a", TaskPhase.Failed, "NonZeroExit", "exit 3"), task("b", TaskPhase.Skipped, "UpstreamFailed", "not run"));
        CampaignStatus f = finish(null, spec(false), null, 2, failed, true, false, null, T0);
        assertKstatus(f, "False", "False", "True", "TasksFailed", io.hpcbridge.status.Kstatus.Result.Failed);
        assertThat(condition(f, "Stalled").getMessage()).startsWith("task a failed (NonZeroExit): exit 3").contains("hpcbridge.io/retry-failed");

        List<Task> pending = List.of(task("a", TaskPhase.Pending, "Suspended", "held"));
        assertKstatus(finish(null, spec(true), null, 1, pending, false, false, null, T0), "False", "False", "False", "Suspended", inProgress);
    }

    @Test
    void aRejectedSpecIsStalledButAMissingClusterIsWaitedFor() {
        CampaignStatus cycle = finish(null, spec(false), new PlanProblem(PlanProblem.DEPENDENCY_CYCLE, "dependency cycle: a -> b -> a"), 2,
                List.of(), false, false, null, T0);
        assertKstatus(cycle, "False", "False", "True", "DependencyCycle", io.hpcbridge.status.Kstatus.Result.Failed);
        assertThat(condition(cycle, "Stalled").getMessage()).contains("dependency cycle: a -> b -> a");

        CampaignStatus suspendedCycle = finish(null, spec(true), new PlanProblem(PlanProblem.DEPENDENCY_CYCLE, "cycle"), 2,
                List.of(), false, false, null, T0);
        assertThat(condition(suspendedCycle, "Stalled").getStatus()).as("a rejected spec is stalled even when suspended").isEqualTo("True");

        CampaignStatus noCluster = finish(null, spec(false), new PlanProblem("ClusterNotFound", "HpcCluster site does not exist in namespace n"), 2,
                List.of(), false, false, null, T0);
        assertKstatus(noCluster, "False", "False", "False", "ClusterNotFound", io.hpcbridge.status.Kstatus.Result.InProgress);
    }

    @Test
    void anUnreachableClusterKeepsTheCampaignReconcilingAndAPausedOneWaiting() {
        List<Task> running = List.of(task("a", TaskPhase.Pending, "ClusterUnreachable", "held"));
        assertKstatus(finish(null, spec(false), null, 1, running, true, true, reachable("False", "ConnectionFailed"), T0),
                "False", "True", "False", "ClusterUnreachable", io.hpcbridge.status.Kstatus.Result.InProgress);
        assertKstatus(finish(null, spec(false), null, 1, running, true, true, reachable("Unknown", "Paused"), T0),
                "False", "False", "False", "ClusterPaused", io.hpcbridge.status.Kstatus.Result.InProgress);
        assertKstatus(finish(null, spec(false), null, 1, running, true, true, reachable("True", "PollSucceeded"), T0),
                "False", "True", "False", "Running", io.hpcbridge.status.Kstatus.Result.InProgress);
    }

    @Test
    void aStopReconcilesUntilEveryCancelIsConfirmedThenStalls() {
        CampaignSpec spec = spec(false);
        spec.setStop(true);
        List<Task> live = List.of(task("a", TaskPhase.Succeeded, null, null), task("b", TaskPhase.Running, "Running", "cancelling"));
        CampaignStatus stopping = finish(null, spec, null, 2, live, true, true, null, T0);
        assertKstatus(stopping, "False", "True", "False", "Stopping", io.hpcbridge.status.Kstatus.Result.InProgress);

        List<Task> ended = List.of(task("a", TaskPhase.Succeeded, null, null), task("b", TaskPhase.Cancelled, "Stopped", "stopped"));
        CampaignStatus stopped = finish(stopping, spec, null, 2, ended, true, false, null, T0.plusSeconds(5));
        assertKstatus(stopped, "False", "False", "True", "Stopped", io.hpcbridge.status.Kstatus.Result.Failed);
        assertThat(condition(stopped, "Failed").getStatus()).as("stalled, yet not a failure").isEqualTo("False");
    }

    @Test
    void stopAndSuspendTogetherDoNotFlipTheConditionsWithinAReconcile() {
        CampaignSpec spec = spec(true);
        spec.setStop(true);
        List<Task> live = List.of(task("a", TaskPhase.Running, "Running", "cancelling"));
        CampaignStatus first = finish(null, spec, null, 1, live, true, true, null, T0);
        CampaignStatus again = finish(first, spec, null, 1, live, true, true, null, T0.plusSeconds(60));

        assertThat(again.getPhase()).isEqualTo(CampaignPhase.Stopping);
        assertThat(again.getConditions()).as("nothing changed, so nothing is rewritten").isEqualTo(first.getConditions());
    }
}
