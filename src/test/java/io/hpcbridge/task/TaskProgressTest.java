package io.hpcbridge.task;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.hpcbridge.api.v1alpha1.AttemptPhase;
import io.hpcbridge.api.v1alpha1.Backoff;
import io.hpcbridge.api.v1alpha1.ConditionTypes;
import io.hpcbridge.api.v1alpha1.RetryPolicy;
import io.hpcbridge.api.v1alpha1.RetryStrategy;
import io.hpcbridge.api.v1alpha1.TaskAttempt;
import io.hpcbridge.api.v1alpha1.TaskAttemptSpec;
import io.hpcbridge.api.v1alpha1.TaskAttemptStatus;
import io.hpcbridge.api.v1alpha1.TaskPhase;
import io.hpcbridge.api.v1alpha1.TaskSpec;
import io.hpcbridge.api.v1alpha1.TaskStatus;
import io.hpcbridge.status.Conditions;
import io.hpcbridge.status.Times;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class TaskProgressTest {
    private static final Instant T0 = Instant.parse("2025-01-01T10:00:00Z");
    private static final Instant NOW = T0.plusSeconds(600);

    // ---- factories -------------------------------------------------------------------------------------------------

    private static TaskSpec spec(String... deps) {
        TaskSpec s = new TaskSpec();
        s.setCampaign("camp");
        s.setTaskName("t");
        s.setScript("true");
        s.setDependsOn(new ArrayList<>(Arrays.asList(deps)));
        return s;
    }

    private static TaskSpec spec(Integer limit, RetryPolicy policy, Backoff backoff) {
        TaskSpec s = spec();
        RetryStrategy r = new RetryStrategy();
        r.setLimit(limit);
        r.setRetryPolicy(policy);
        r.setBackoff(backoff);
        s.setRetryStrategy(r);
        return s;
    }

    private static Backoff backoff(String duration, Integer factor, String cap, String maxDuration) {
        Backoff b = new Backoff();
        b.setDuration(duration);
        b.setFactor(factor);
        b.setCap(cap);
        b.setMaxDuration(maxDuration);
        return b;
    }

    private static TaskAttempt attempt(int index, AttemptPhase phase, String reason, Instant finishedAt) {
        TaskAttempt a = new TaskAttempt();
        a.setMetadata(new ObjectMetaBuilder().withName("camp-t-" + index).withNamespace("ns").build());
        TaskAttemptSpec spec = new TaskAttemptSpec();
        spec.setIndex(index);
        a.setSpec(spec);
        TaskAttemptStatus st = new TaskAttemptStatus();
        st.setPhase(phase);
        st.setReason(reason);
        st.setJobId(phase == AttemptPhase.Pending ? null : String.valueOf(1000 + index));
        st.setFinishedAt(Times.format(finishedAt));
        a.setStatus(st);
        return a;
    }

    private static TaskAttempt failed(int index, String reason, Instant finishedAt) {
        return attempt(index, AttemptPhase.Failed, reason, finishedAt);
    }

    private static TaskStatus decide(TaskSpec spec, List<TaskAttempt> attempts) {
        return TaskProgress.decide(spec, null, attempts, Map.of(), 1L, NOW);
    }

    private static Condition condition(TaskStatus s, String type) {
        return Conditions.find(s.getConditions(), type).orElseThrow(() -> new AssertionError("no condition " + type));
    }

    // ---- before any attempt ----------------------------------------------------------------------------------------

    @Test
    void noDependenciesIsReady() {
        TaskStatus s = decide(spec(), List.of());

        assertThat(s.getPhase()).isEqualTo(TaskPhase.Pending);
        assertThat(s.getReason()).isEqualTo(TaskProgress.READY);
        assertThat(s.getAttempts()).isZero();
        assertThat(s.getCurrentAttempt()).isNull();
        assertThat(s.getStartedAt()).isNull();
        assertThat(s.getFinishedAt()).isNull();
        assertThat(s.getObservedGeneration()).isEqualTo(1L);
    }

    @Test
    void waitsForDependenciesNotYetSucceededAndNamesThem() {
        Map<String, TaskPhase> deps = Map.of("a", TaskPhase.Succeeded, "b", TaskPhase.Running, "d", TaskPhase.Retrying);

        TaskStatus s = TaskProgress.decide(spec("a", "b", "c", "d"), null, List.of(), deps, 1L, NOW);

        assertThat(s.getPhase()).isEqualTo(TaskPhase.Pending);
        assertThat(s.getReason()).isEqualTo(TaskProgress.WAITING_FOR_DEPENDENCIES);
        assertThat(s.getMessage()).isEqualTo("waiting for b, c, d");
        assertThat(condition(s, ConditionTypes.COMPLETED).getStatus()).isEqualTo("False");
    }

    @Test
    void allDependenciesSucceededIsReady() {
        TaskStatus s = TaskProgress.decide(spec("a", "b"), null, List.of(),
                Map.of("a", TaskPhase.Succeeded, "b", TaskPhase.Succeeded), 1L, NOW);

        assertThat(s.getPhase()).isEqualTo(TaskPhase.Pending);
        assertThat(s.getReason()).isEqualTo(TaskProgress.READY);
    }

    @ParameterizedTest
    @CsvSource({"Failed", "Skipped", "Cancelled"})
    void unsuccessfulUpstreamSkipsAndNamesIt(TaskPhase upstream) {
        TaskStatus s = TaskProgress.decide(spec("a", "b"), null, List.of(),
                Map.of("a", TaskPhase.Succeeded, "b", upstream), 3L, NOW);

        assertThat(s.getPhase()).isEqualTo(TaskPhase.Skipped);
        assertThat(s.getReason()).isEqualTo(TaskProgress.UPSTREAM_FAILED);
        assertThat(s.getMessage()).isEqualTo("not run because upstream task b did not succeed");
        assertThat(s.getFinishedAt()).isEqualTo(Times.format(NOW));
        assertThat(condition(s, ConditionTypes.COMPLETED).getStatus()).isEqualTo("True");
        assertThat(condition(s, ConditionTypes.COMPLETED).getReason()).isEqualTo("Skipped");
        assertThat(condition(s, ConditionTypes.FAILED).getStatus()).isEqualTo("True");
        assertThat(condition(s, ConditionTypes.FAILED).getReason()).isEqualTo(TaskProgress.UPSTREAM_FAILED);
        assertThat(condition(s, ConditionTypes.SUCCEEDED).getStatus()).isEqualTo("False");
        assertThat(condition(s, ConditionTypes.FAILED).getObservedGeneration()).isEqualTo(3L);
    }

    @Test
    void severalFailedUpstreamsAreAllNamedAndWinOverWaiting() {
        TaskStatus s = TaskProgress.decide(spec("a", "b", "c"), null, List.of(),
                Map.of("a", TaskPhase.Failed, "c", TaskPhase.Cancelled), 1L, NOW);

        assertThat(s.getPhase()).isEqualTo(TaskPhase.Skipped);
        assertThat(s.getMessage()).isEqualTo("not run because upstream tasks a, c did not succeed");
    }

    // ---- live and succeeded attempts -------------------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource({"Pending", "Submitting", "Queued", "Held", "Running", "Settling"})
    void liveLatestAttemptMeansRunning(AttemptPhase phase) {
        TaskStatus s = decide(spec(), List.of(attempt(1, phase, null, null)));

        assertThat(s.getPhase()).isEqualTo(TaskPhase.Running);
        assertThat(s.getReason()).isEqualTo(phase.name());
        assertThat(s.getMessage()).startsWith("attempt camp-t-1 is " + phase.name().toLowerCase());
        assertThat(s.getAttempts()).isEqualTo(1);
        assertThat(s.getCurrentAttempt()).isEqualTo("camp-t-1");
        assertThat(s.getStartedAt()).isEqualTo(Times.format(NOW));
        assertThat(s.getFinishedAt()).isNull();
        assertThat(condition(s, ConditionTypes.COMPLETED).getStatus()).isEqualTo("False");
    }

    @Test
    void runningMessageNamesTheJob() {
        TaskStatus s = decide(spec(), List.of(attempt(1, AttemptPhase.Running, null, null)));

        assertThat(s.getMessage()).isEqualTo("attempt camp-t-1 is running (job 1001)");
    }

    @Test
    void attemptWithoutStatusCountsAsPending() {
        TaskAttempt a = attempt(1, AttemptPhase.Pending, null, null);
        a.setStatus(null);

        TaskStatus s = decide(spec(), List.of(a));

        assertThat(s.getPhase()).isEqualTo(TaskPhase.Running);
        assertThat(s.getReason()).isEqualTo("Pending");
    }

    @Test
    void latestIsChosenByIndexNotListOrder() {
        TaskStatus s = TaskProgress.decide(spec(3, RetryPolicy.OnFailure, null), null,
                List.of(attempt(2, AttemptPhase.Running, null, null), failed(1, "NonZeroExit", T0)), Map.of(), 1L, NOW);

        assertThat(s.getPhase()).isEqualTo(TaskPhase.Running);
        assertThat(s.getCurrentAttempt()).isEqualTo("camp-t-2");
        assertThat(s.getAttempts()).isEqualTo(2);
    }

    @Test
    void succeededAttemptSucceedsTheTask() {
        TaskStatus s = decide(spec(), List.of(attempt(1, AttemptPhase.Succeeded, "Completed", T0)));

        assertThat(s.getPhase()).isEqualTo(TaskPhase.Succeeded);
        assertThat(s.getReason()).isEqualTo(TaskProgress.SUCCEEDED);
        assertThat(s.getMessage()).isEqualTo("attempt camp-t-1 succeeded (job 1001)");
        assertThat(s.getFinishedAt()).isEqualTo(Times.format(NOW));
        assertThat(condition(s, ConditionTypes.COMPLETED).getStatus()).isEqualTo("True");
        assertThat(condition(s, ConditionTypes.SUCCEEDED).getStatus()).isEqualTo("True");
        assertThat(condition(s, ConditionTypes.FAILED).getStatus()).isEqualTo("False");
    }

    @Test
    void startedAndFinishedAtAreKeptFromTheCurrentStatus() {
        TaskStatus current = new TaskStatus();
        current.setStartedAt("2025-01-01T09:00:00Z");
        current.setFinishedAt("2025-01-01T09:30:00Z");

        TaskStatus s = TaskProgress.decide(spec(), current, List.of(attempt(1, AttemptPhase.Succeeded, "Completed", T0)),
                Map.of(), 2L, NOW);

        assertThat(s.getStartedAt()).isEqualTo("2025-01-01T09:00:00Z");
        assertThat(s.getFinishedAt()).isEqualTo("2025-01-01T09:30:00Z");
        assertThat(s.getObservedGeneration()).isEqualTo(2L);
        // the input is not mutated
        assertThat(current.getPhase()).isNull();
        assertThat(current.getConditions()).isEmpty();
    }

    // ---- retry policy table ----------------------------------------------------------------------------------------

    /** Whether a failed first attempt with this reason is retried under this policy, with limit 1. */
    @ParameterizedTest(name = "{0} under {1} -> retried {2}")
    @CsvSource({
            // reason,        policy,             retried
            "NonZeroExit,     Never,              false",
            "NonZeroExit,     OnFailure,          true",
            "NonZeroExit,     OnApplicationError, true",
            "NonZeroExit,     OnInfrastructure,   false",
            "NonZeroExit,     OnResource,         false",
            "NonZeroExit,     Always,             true",
            "Signal,          OnApplicationError, true",
            "Signal,          OnResource,         false",
            "Timeout,         OnResource,         true",
            "Timeout,         OnApplicationError, false",
            "Timeout,         OnInfrastructure,   false",
            "Timeout,         OnFailure,          true",
            "OutOfMemory,     OnResource,         true",
            "OutOfMemory,     OnInfrastructure,   false",
            "OutOfDisk,       OnResource,         true",
            "OutOfDisk,       OnApplicationError, false",
            "Held,            OnInfrastructure,   true",
            "Held,            OnApplicationError, false",
            "SchedulerEnded,  OnInfrastructure,   true",
            "NodeFail,        OnInfrastructure,   true",
            "NodeFail,        OnApplicationError, false",
            "NodeFail,        OnResource,         false",
            "BootFail,        OnInfrastructure,   true",
            "Preempted,       OnInfrastructure,   true",
            "Deadline,        OnInfrastructure,   true",
            "SchedulerLost,   OnInfrastructure,   true",
            "SchedulerLost,   OnApplicationError, false",
            "SubmitRejected,  Always,             false",
            "SubmitRejected,  OnFailure,          false",
            "WorkDirConflict, Always,             false",
            "WorkDirConflict, OnInfrastructure,   false",
            "Preempted,       OnApplicationError, false",
            "Preempted,       Never,              false",
    })
    void retryPolicyDecidesWhichFailuresAreRetried(String reason, RetryPolicy policy, boolean retried) {
        AttemptPhase phase = reason.equals("SchedulerLost") ? AttemptPhase.Lost : AttemptPhase.Failed;

        TaskStatus s = decide(spec(1, policy, null), List.of(attempt(1, phase, reason, T0)));

        if (retried) {
            assertThat(s.getPhase()).isEqualTo(TaskPhase.Retrying);
            assertThat(s.getReason()).isEqualTo(TaskProgress.READY);
            assertThat(s.getMessage()).contains("(" + reason + ")", "retry 1 of 1");
            assertThat(s.getNextAttemptAfter()).isEqualTo(Times.format(T0));
            assertThat(s.getFinishedAt()).isNull();
        } else {
            assertThat(s.getPhase()).isEqualTo(TaskPhase.Failed);
            assertThat(s.getReason()).isEqualTo(reason);
            assertThat(s.getMessage()).contains("(" + reason + ")", reason + " is not retried under " + policy);
            assertThat(s.getNextAttemptAfter()).isNull();
        }
    }

    @ParameterizedTest(name = "cancelled under {0} -> retried {1}")
    @CsvSource({"Never, false", "OnFailure, false", "OnApplicationError, false", "OnInfrastructure, false",
            "OnResource, false", "Always, true"})
    void cancelledAttemptIsRetriedOnlyUnderAlways(RetryPolicy policy, boolean retried) {
        TaskStatus s = decide(spec(2, policy, null), List.of(attempt(1, AttemptPhase.Cancelled, "Cancelled", T0)));

        if (retried) {
            assertThat(s.getPhase()).isEqualTo(TaskPhase.Retrying);
        } else {
            assertThat(s.getPhase()).isEqualTo(TaskPhase.Cancelled);
            assertThat(s.getReason()).isEqualTo("Cancelled");
            assertThat(condition(s, ConditionTypes.FAILED).getStatus()).isEqualTo("True");
            assertThat(condition(s, ConditionTypes.COMPLETED).getReason()).isEqualTo("Cancelled");
        }
    }

    @Test
    void defaultPolicyIsOnFailureAndDefaultLimitIsZero() {
        TaskStatus noStrategy = decide(spec(), List.of(failed(1, "NonZeroExit", T0)));
        assertThat(noStrategy.getPhase()).isEqualTo(TaskPhase.Failed);
        assertThat(noStrategy.getMessage()).isEqualTo("attempt camp-t-1 ended Failed (NonZeroExit)");

        TaskStatus limitOnly = decide(spec(1, null, null), List.of(failed(1, "NodeFail", T0)));
        assertThat(limitOnly.getPhase()).isEqualTo(TaskPhase.Retrying);

        TaskStatus cancelled = decide(spec(1, null, null), List.of(attempt(1, AttemptPhase.Cancelled, "Cancelled", T0)));
        assertThat(cancelled.getPhase()).isEqualTo(TaskPhase.Cancelled);
    }

    @Test
    void lostAttemptWithoutReasonIsInfrastructure() {
        TaskStatus s = decide(spec(1, RetryPolicy.OnInfrastructure, null), List.of(attempt(1, AttemptPhase.Lost, null, T0)));

        assertThat(s.getPhase()).isEqualTo(TaskPhase.Retrying);
        assertThat(s.getMessage()).contains("ended Lost (Lost)");
    }

    @Test
    void failureMessageCarriesTheAttemptMessage() {
        TaskAttempt a = failed(1, "NonZeroExit", T0);
        a.getStatus().setMessage("job 1001 exited with code 3");

        TaskStatus s = decide(spec(), List.of(a));

        assertThat(s.getMessage()).isEqualTo("attempt camp-t-1 ended Failed (NonZeroExit): job 1001 exited with code 3");
        assertThat(condition(s, ConditionTypes.FAILED).getMessage()).isEqualTo(s.getMessage());
        assertThat(condition(s, ConditionTypes.FAILED).getReason()).isEqualTo("NonZeroExit");
        assertThat(condition(s, ConditionTypes.COMPLETED).getReason()).isEqualTo("Failed");
    }

    // ---- limit -----------------------------------------------------------------------------------------------------

    @Test
    void retriesUntilTheLimitThenFails() {
        TaskSpec spec = spec(2, RetryPolicy.OnFailure, null);

        TaskStatus after1 = decide(spec, List.of(failed(1, "NonZeroExit", T0)));
        assertThat(after1.getPhase()).isEqualTo(TaskPhase.Retrying);
        assertThat(after1.getMessage()).contains("retry 1 of 2");

        TaskStatus after2 = decide(spec, List.of(failed(1, "NonZeroExit", T0), failed(2, "NonZeroExit", T0.plusSeconds(60))));
        assertThat(after2.getPhase()).isEqualTo(TaskPhase.Retrying);
        assertThat(after2.getMessage()).contains("attempt camp-t-2", "retry 2 of 2");

        TaskStatus after3 = decide(spec, List.of(failed(1, "NonZeroExit", T0), failed(2, "NonZeroExit", T0.plusSeconds(60)),
                failed(3, "Timeout", T0.plusSeconds(120))));
        assertThat(after3.getPhase()).isEqualTo(TaskPhase.Failed);
        assertThat(after3.getReason()).isEqualTo("Timeout");
        assertThat(after3.getMessage()).isEqualTo("attempt camp-t-3 ended Failed (Timeout); retry limit 2 reached");
        assertThat(after3.getAttempts()).isEqualTo(3);
        assertThat(after3.getFinishedAt()).isEqualTo(Times.format(NOW));
        assertThat(condition(after3, ConditionTypes.COMPLETED).getStatus()).isEqualTo("True");
        assertThat(condition(after3, ConditionTypes.FAILED).getStatus()).isEqualTo("True");
        assertThat(condition(after3, ConditionTypes.SUCCEEDED).getStatus()).isEqualTo("False");
    }

    @Test
    void successAfterRetriesSucceeds() {
        TaskStatus s = decide(spec(3, RetryPolicy.OnFailure, null),
                List.of(failed(1, "NodeFail", T0), attempt(2, AttemptPhase.Succeeded, "Completed", T0.plusSeconds(60))));

        assertThat(s.getPhase()).isEqualTo(TaskPhase.Succeeded);
        assertThat(s.getCurrentAttempt()).isEqualTo("camp-t-2");
    }

    // ---- backoff ---------------------------------------------------------------------------------------------------

    @Test
    void backoffWaitsUntilFinishedPlusDuration() {
        Instant failedAt = NOW.minusSeconds(10);

        TaskStatus s = decide(spec(3, RetryPolicy.OnFailure, backoff("30s", 2, null, null)), List.of(failed(1, "NonZeroExit", failedAt)));

        Instant next = failedAt.plusSeconds(30);
        assertThat(s.getPhase()).isEqualTo(TaskPhase.Retrying);
        assertThat(s.getReason()).isEqualTo(TaskProgress.BACKOFF_UNTIL);
        assertThat(s.getNextAttemptAfter()).isEqualTo(Times.format(next));
        assertThat(s.getMessage()).endsWith("retry 1 of 3 not before " + Times.format(next));
        assertThat(s.getFinishedAt()).isNull();
    }

    @Test
    void backoffElapsedIsReady() {
        Instant failedAt = NOW.minusSeconds(30);

        TaskStatus s = decide(spec(3, RetryPolicy.OnFailure, backoff("30s", 2, null, null)), List.of(failed(1, "NonZeroExit", failedAt)));

        assertThat(s.getReason()).isEqualTo(TaskProgress.READY);
        assertThat(s.getNextAttemptAfter()).isEqualTo(Times.format(NOW));
        assertThat(s.getMessage()).doesNotContain("not before");
    }

    @Test
    void secondRetryWaitsDurationTimesFactor() {
        Instant first = NOW.minusSeconds(300);
        Instant second = NOW.minusSeconds(5);

        TaskStatus s = decide(spec(3, RetryPolicy.OnFailure, backoff("30s", 3, null, null)),
                List.of(failed(1, "NonZeroExit", first), failed(2, "NonZeroExit", second)));

        assertThat(s.getNextAttemptAfter()).isEqualTo(Times.format(second.plusSeconds(90)));
        assertThat(s.getMessage()).contains("retry 2 of 3");
    }

    @Test
    void failureWithoutFinishedAtUsesTheClock() {
        TaskStatus s = decide(spec(1, RetryPolicy.OnFailure, backoff("1m", null, null, null)), List.of(failed(1, "NonZeroExit", null)));

        assertThat(s.getNextAttemptAfter()).isEqualTo(Times.format(NOW.plusSeconds(60)));
        assertThat(s.getReason()).isEqualTo(TaskProgress.BACKOFF_UNTIL);
    }

    @ParameterizedTest(name = "{0}*{1}^(retry {3}-1) capped at {2} = {4}s")
    @CsvSource({
            // duration, factor, cap, retry, seconds
            "30s, ,    ,    1, 30",
            "30s, ,    ,    5, 30",
            "30s, 2,   ,    1, 30",
            "30s, 2,   ,    2, 60",
            "30s, 2,   ,    3, 120",
            "30s, 2,   ,    4, 240",
            "10s, 10,  ,    3, 1000",
            "30s, 2,   2m,  3, 120",
            "30s, 2,   2m,  4, 120",
            "30s, 2,   2m,  30, 120",
            "1h,  1,   10m, 1, 600",
            "1d,  1000000000, 1h, 50, 3600",
    })
    void backoffFormula(String duration, Integer factor, String cap, int retry, long seconds) {
        assertThat(TaskProgress.backoff(backoff(duration, factor, cap, null), retry)).isEqualTo(Duration.ofSeconds(seconds));
    }

    @Test
    void noBackoffMeansNoWait() {
        assertThat(TaskProgress.backoff(null, 3)).isZero();
        assertThat(TaskProgress.backoff(backoff(null, 2, "1m", null), 3)).isZero();
    }

    @Test
    void maxDurationStopsRetriesThatWouldStartTooLateAfterTheFirstFailure() {
        // first failure at T0; retry 2 would start at T0+100s+60s = T0+160s > T0+2m
        TaskSpec spec = spec(5, RetryPolicy.OnFailure, backoff("30s", 2, null, "2m"));

        TaskStatus within = decide(spec, List.of(failed(1, "NonZeroExit", T0)));
        assertThat(within.getPhase()).isEqualTo(TaskPhase.Retrying);
        assertThat(within.getNextAttemptAfter()).isEqualTo(Times.format(T0.plusSeconds(30)));

        TaskStatus beyond = decide(spec, List.of(failed(1, "NonZeroExit", T0), failed(2, "NonZeroExit", T0.plusSeconds(100))));
        assertThat(beyond.getPhase()).isEqualTo(TaskPhase.Failed);
        assertThat(beyond.getReason()).isEqualTo("NonZeroExit");
        assertThat(beyond.getMessage()).endsWith("; backoff maxDuration reached");
        assertThat(beyond.getNextAttemptAfter()).isNull();
    }

    @Test
    void maxDurationBoundaryIsInclusive() {
        // retry 2 starts at T0+60s+60s = exactly T0+2m: still allowed
        TaskStatus s = decide(spec(5, RetryPolicy.OnFailure, backoff("30s", 2, null, "2m")),
                List.of(failed(1, "NonZeroExit", T0), failed(2, "NonZeroExit", T0.plusSeconds(60))));

        assertThat(s.getPhase()).isEqualTo(TaskPhase.Retrying);
        assertThat(s.getNextAttemptAfter()).isEqualTo(Times.format(T0.plusSeconds(120)));
    }

    @Test
    void maxDurationIsMeasuredFromTheEarliestFailureWhateverTheListOrder() {
        TaskStatus s = decide(spec(5, RetryPolicy.OnFailure, backoff("10s", 1, null, "1m")),
                List.of(failed(2, "NonZeroExit", T0.plusSeconds(55)), failed(1, "NonZeroExit", T0)));

        assertThat(s.getPhase()).isEqualTo(TaskPhase.Failed);
        assertThat(s.getMessage()).contains("attempt camp-t-2", "backoff maxDuration reached");
    }

    // ---- conditions over time --------------------------------------------------------------------------------------

    @Test
    void completedConditionTransitionTimeMovesOnlyWhenTheTaskEnds() {
        TaskSpec spec = spec(1, RetryPolicy.OnFailure, null);
        TaskStatus running = TaskProgress.decide(spec, null, List.of(attempt(1, AttemptPhase.Running, null, null)), Map.of(), 1L, T0);
        TaskStatus retrying = TaskProgress.decide(spec, running, List.of(failed(1, "NonZeroExit", T0.plusSeconds(10))),
                Map.of(), 1L, T0.plusSeconds(20));
        TaskStatus failed = TaskProgress.decide(spec, retrying,
                List.of(failed(1, "NonZeroExit", T0.plusSeconds(10)), failed(2, "NonZeroExit", T0.plusSeconds(50))),
                Map.of(), 1L, T0.plusSeconds(60));

        assertThat(condition(retrying, ConditionTypes.COMPLETED).getLastTransitionTime()).isEqualTo(Times.format(T0));
        assertThat(condition(retrying, ConditionTypes.COMPLETED).getMessage()).isEqualTo("task is Retrying");
        assertThat(condition(failed, ConditionTypes.COMPLETED).getStatus()).isEqualTo("True");
        assertThat(condition(failed, ConditionTypes.COMPLETED).getLastTransitionTime()).isEqualTo(Times.format(T0.plusSeconds(60)));
        assertThat(failed.getStartedAt()).isEqualTo(Times.format(T0));
        assertThat(failed.getFinishedAt()).isEqualTo(Times.format(T0.plusSeconds(60)));
        assertThat(failed.getConditions()).extracting(Condition::getType)
                .containsExactly(ConditionTypes.COMPLETED, ConditionTypes.SUCCEEDED, ConditionTypes.FAILED,
                        ConditionTypes.READY, ConditionTypes.RECONCILING, ConditionTypes.STALLED);
    }

    @Test
    void decisionIsStableForTheSameInputs() {
        TaskSpec spec = spec(3, RetryPolicy.OnFailure, backoff("30s", 2, null, null));
        List<TaskAttempt> attempts = List.of(failed(1, "NonZeroExit", NOW.minusSeconds(5)));
        TaskStatus first = TaskProgress.decide(spec, null, attempts, Map.of(), 1L, NOW);
        TaskStatus second = TaskProgress.decide(spec, first, attempts, Map.of(), 1L, NOW.plusSeconds(1));

        assertThat(io.hpcbridge.status.StatusComparison.same(first, second)).isTrue();
    }

    // ---- reruns, stop and holds ------------------------------------------------------------------------------------

    @Test
    void aRerunStartsANewRunWhoseRetriesAreCountedAfresh() {
        TaskSpec spec = spec(1, RetryPolicy.OnFailure, null);
        spec.setRerun(new io.hpcbridge.api.v1alpha1.TaskRerun("rerun:r1", 3, "r1"));
        List<TaskAttempt> history = List.of(failed(1, "NonZeroExit", T0), attempt(2, AttemptPhase.Succeeded, "Completed", T0.plusSeconds(10)));

        TaskStatus waiting = decide(spec, history);
        assertThat(waiting.getPhase()).isEqualTo(TaskPhase.Pending);
        assertThat(waiting.getAttempts()).isEqualTo(2);
        assertThat(waiting.getLastRerun()).isEqualTo("r1");

        List<TaskAttempt> withNewRun = new ArrayList<>(history);
        withNewRun.add(failed(3, "NonZeroExit", T0.plusSeconds(60)));
        TaskStatus retrying = decide(spec, withNewRun);
        assertThat(retrying.getPhase()).as("limit 1 counts from the rerun, not from attempt 1").isEqualTo(TaskPhase.Retrying);
        assertThat(retrying.getCurrentAttempt()).isEqualTo("camp-t-3");
    }

    @Test
    void aStoppedTaskThatIsNotRunningEndsCancelledAndARunningOneSaysItIsBeingCancelled() {
        TaskSpec spec = spec();
        spec.setStop(true);
        TaskStatus pending = decide(spec, List.of());
        assertThat(pending.getPhase()).isEqualTo(TaskPhase.Cancelled);
        assertThat(pending.getReason()).isEqualTo(TaskProgress.STOPPED);
        assertThat(condition(pending, "Failed").getStatus()).isEqualTo("True");

        TaskStatus running = decide(spec, List.of(attempt(1, AttemptPhase.Running, null, null)));
        assertThat(running.getPhase()).isEqualTo(TaskPhase.Running);
        assertThat(running.getMessage()).contains("campaign was stopped");

        TaskSpec retried = spec(3, RetryPolicy.Always, null);
        retried.setStop(true);
        TaskStatus cancelled = decide(retried, List.of(attempt(1, AttemptPhase.Cancelled, "Cancelled", T0)));
        assertThat(cancelled.getPhase()).as("a stop is not retried, whatever the policy").isEqualTo(TaskPhase.Cancelled);

        TaskSpec downstream = spec("up");
        downstream.setStop(true);
        TaskStatus afterStoppedUpstream = TaskProgress.decide(downstream, null, List.of(), Map.of("up", TaskPhase.Cancelled), 1L, NOW);
        assertThat(afterStoppedUpstream.getPhase()).as("downstream of a stopped task is stopped, not skipped").isEqualTo(TaskPhase.Cancelled);
        assertThat(afterStoppedUpstream.getReason()).isEqualTo(TaskProgress.STOPPED);

        TaskStatus done = decide(spec, List.of(attempt(1, AttemptPhase.Succeeded, "Completed", T0)));
        assertThat(done.getPhase()).isEqualTo(TaskPhase.Succeeded);
    }

    @Test
    void aReadyTaskHeldBackByTheCampaignSaysWhy() {
        for (String held : List.of("ParallelismLimit", "ClusterLimit", "Suspended", "ClusterUnreachable", "ClusterPaused")) {
            TaskStatus s = TaskProgress.decide(spec(), null, List.of(), Map.of(), held, 1L, NOW);
            assertThat(s.getReason()).isEqualTo(held);
            assertThat(s.getMessage()).startsWith("ready to run;").doesNotContain("held back: " + held);
        }
        TaskStatus waiting = TaskProgress.decide(spec("a"), null, List.of(), Map.of("a", TaskPhase.Running), "ParallelismLimit", 1L, NOW);
        assertThat(waiting.getReason()).as("a stale hold never hides what the task really waits for")
                .isEqualTo(TaskProgress.WAITING_FOR_DEPENDENCIES);
    }
    // ---- kstatus conditions ----------------------------------------------------------------------------------------

    private static void assertKstatus(TaskStatus s, String ready, String reconciling, String stalled, String reason,
            io.hpcbridge.status.Kstatus.Result kstatus) {
        io.hpcbridge.status.Kstatus.assertConditions(s.getConditions(), 1, s.getObservedGeneration(), ready, reconciling, stalled, reason,
                kstatus);
    }

    @Test
    void kstatusConditionsFollowThePhase() {
        var inProgress = io.hpcbridge.status.Kstatus.Result.InProgress;
        assertKstatus(decide(spec(), List.of()), "False", "True", "False", TaskProgress.READY, inProgress);
        assertKstatus(TaskProgress.decide(spec("a"), null, List.of(), Map.of("a", TaskPhase.Running), 1L, NOW),
                "False", "True", "False", TaskProgress.WAITING_FOR_DEPENDENCIES, inProgress);
        assertKstatus(decide(spec(), List.of(attempt(1, AttemptPhase.Running, null, null))), "False", "True", "False", "Running", inProgress);
        assertKstatus(decide(spec(2, RetryPolicy.Always, backoff("1h", null, null, null)), List.of(failed(1, "NonZeroExit", T0))),
                "False", "True", "False", TaskProgress.BACKOFF_UNTIL, inProgress);

        TaskStatus ok = decide(spec(), List.of(attempt(1, AttemptPhase.Succeeded, "Completed", T0)));
        assertKstatus(ok, "True", "False", "False", TaskProgress.SUCCEEDED, io.hpcbridge.status.Kstatus.Result.Current);

        var failedResult = io.hpcbridge.status.Kstatus.Result.Failed;
        assertKstatus(decide(spec(), List.of(failed(1, "NonZeroExit", T0))), "False", "False", "True", "NonZeroExit", failedResult);
        assertKstatus(TaskProgress.decide(spec("a"), null, List.of(), Map.of("a", TaskPhase.Failed), 1L, NOW),
                "False", "False", "True", TaskProgress.UPSTREAM_FAILED, failedResult);
        TaskSpec stopped = spec();
        stopped.setStop(true);
        assertKstatus(decide(stopped, List.of()), "False", "False", "True", TaskProgress.STOPPED, failedResult);
    }

    @Test
    void aTaskHeldBySuspendOrAPausedClusterWaitsAndOtherHoldsReconcile() {
        var inProgress = io.hpcbridge.status.Kstatus.Result.InProgress;
        for (String held : List.of("Suspended", "ClusterPaused")) {
            assertKstatus(TaskProgress.decide(spec(), null, List.of(), Map.of(), held, 1L, NOW), "False", "False", "False", held, inProgress);
        }
        for (String held : List.of("ParallelismLimit", "ClusterLimit", "ClusterUnreachable")) {
            assertKstatus(TaskProgress.decide(spec(), null, List.of(), Map.of(), held, 1L, NOW), "False", "True", "False", held, inProgress);
        }
    }
}
