package io.hpcbridge.attempt;

import java.time.Duration;
import java.time.Instant;

import io.fabric8.kubernetes.api.model.Condition;
import io.hpcbridge.api.v1alpha1.AttemptPhase;
import io.hpcbridge.api.v1alpha1.ConditionTypes;
import io.hpcbridge.api.v1alpha1.TaskAttemptStatus;
import io.hpcbridge.cluster.JobView;
import io.hpcbridge.gateway.JobObservation;
import io.hpcbridge.gateway.EndCause;
import io.hpcbridge.gateway.Hold;
import io.hpcbridge.gateway.JobState;
import io.hpcbridge.status.Conditions;
import io.hpcbridge.status.StatusComparison;
import io.hpcbridge.status.Times;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AttemptStateMachineTest {
    private static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");
    private static final Duration GRACE = Duration.ofMinutes(10);
    private static final Duration HELD_TIMEOUT = Duration.ofHours(4);

    // ---- factories -------------------------------------------------------------------------------------------------

    private static TaskAttemptStatus status(AttemptPhase phase) {
        TaskAttemptStatus s = new TaskAttemptStatus();
        s.setPhase(phase);
        s.setJobId("4242");
        s.setCluster("hpc");
        s.setSubmittedAt(Times.format(T0.minusSeconds(60)));
        return s;
    }

    /** {@code QUEUED}, {@code RUNNING}, ... or {@code ENDED:<cause>}. */
    static JobState state(String state) {
        return JobState.valueOf(state.split(":")[0]);
    }

    static EndCause cause(String state) {
        return state.startsWith("ENDED:") ? EndCause.valueOf(state.substring(6)) : null;
    }

    private static JobObservation queue(String state, String raw, String detail) {
        return new JobObservation("4242", state(state), cause(state), raw, null, null, detail, null, null, T0.minusSeconds(60), null,
                null, false);
    }

    private static JobObservation accounting(String state, String raw, Integer exit, Integer signal, Instant end) {
        return new JobObservation("4242", state(state), cause(state), raw, exit, signal, null, null, null, T0.minusSeconds(60),
                T0.minusSeconds(30), end, true);
    }

    private static TaskAttemptStatus observe(TaskAttemptStatus current, JobView view, Instant now) {
        return AttemptStateMachine.observe(current, view, GRACE, HELD_TIMEOUT, 7L, now);
    }

    private static Condition condition(TaskAttemptStatus s, String type) {
        return Conditions.find(s.getConditions(), type).orElseThrow(() -> new AssertionError("no condition " + type));
    }

    // ---- queue observations ----------------------------------------------------------------------------------------

    @Test
    void pendingInQueueIsQueuedWithTheSchedulersReason() {
        TaskAttemptStatus s = observe(status(AttemptPhase.Queued), JobView.seen(queue("QUEUED", "PENDING", "Priority"), T0), T0);

        assertThat(s.getPhase()).isEqualTo(AttemptPhase.Queued);
        assertThat(s.getReason()).isEqualTo(AttemptReasons.QUEUED);
        assertThat(s.getMessage()).isEqualTo("job 4242 is PENDING (Priority)");
        assertThat(s.getSchedulerState()).isEqualTo("PENDING");
        assertThat(s.getStartedAt()).isNull();
        assertThat(s.getObservedGeneration()).isEqualTo(7L);
        assertThat(condition(s, ConditionTypes.SUBMITTED).getStatus()).isEqualTo("True");
        assertThat(condition(s, ConditionTypes.SUBMITTED).getMessage()).isEqualTo("job 4242 on hpc");
        assertThat(condition(s, ConditionTypes.COMPLETED).getStatus()).isEqualTo("False");
    }

    @ParameterizedTest
    @CsvSource(nullValues = "NULL", value = {"NULL", "''", "None"})
    void queueDetailNoneOrBlankIsLeftOut(String detail) {
        TaskAttemptStatus s = observe(status(AttemptPhase.Queued), JobView.seen(queue("QUEUED", "PENDING", detail), T0), T0);

        assertThat(s.getMessage()).isEqualTo("job 4242 is PENDING");
    }

    @Test
    void runningSetsStartedAtFromTheSchedulerWhenKnown() {
        JobObservation o = new JobObservation("4242", JobState.RUNNING, null, "RUNNING", null, null, null, null, null,
                T0.minusSeconds(60), T0.minusSeconds(45), null, false);

        TaskAttemptStatus s = observe(status(AttemptPhase.Queued), JobView.seen(o, T0), T0);

        assertThat(s.getPhase()).isEqualTo(AttemptPhase.Running);
        assertThat(s.getReason()).isEqualTo(AttemptReasons.RUNNING);
        assertThat(s.getStartedAt()).isEqualTo(Times.format(T0.minusSeconds(45)));
    }

    @Test
    void runningWithoutStartTimeUsesTheClockOnce() {
        TaskAttemptStatus s = observe(status(AttemptPhase.Queued), JobView.seen(queue("RUNNING", "RUNNING", null), T0), T0);
        TaskAttemptStatus later = observe(s, JobView.seen(queue("RUNNING", "RUNNING", null), T0.plusSeconds(60)), T0.plusSeconds(60));

        assertThat(s.getStartedAt()).isEqualTo(Times.format(T0));
        assertThat(later.getStartedAt()).isEqualTo(Times.format(T0));
    }

    @Test
    void repeatedObservationChangesNothing() {
        JobView view = JobView.seen(queue("RUNNING", "RUNNING", null), T0);
        TaskAttemptStatus once = observe(status(AttemptPhase.Queued), view, T0);
        TaskAttemptStatus twice = observe(once, view, T0.plusSeconds(30));

        assertThat(StatusComparison.same(once, twice)).isTrue();
    }

    @Test
    void observationDoesNotMutateTheCurrentStatus() {
        TaskAttemptStatus current = status(AttemptPhase.Queued);

        observe(current, JobView.seen(accounting("ENDED:EXITED", "COMPLETED", 0, 0, T0), T0), T0);

        assertThat(current.getPhase()).isEqualTo(AttemptPhase.Queued);
        assertThat(current.getExitCode()).isNull();
        assertThat(current.getConditions()).isEmpty();
    }

    @Test
    void settlingJobSeenRunningAgainGoesBackToRunning() {
        TaskAttemptStatus settling = status(AttemptPhase.Settling);
        settling.setSettlingSince(Times.format(T0.minusSeconds(30)));

        TaskAttemptStatus s = observe(settling, JobView.seen(queue("RUNNING", "RUNNING", null), T0), T0);

        assertThat(s.getPhase()).isEqualTo(AttemptPhase.Running);
        assertThat(s.getSettlingSince()).isNull();
    }

    // ---- queue says ended ------------------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(EndCause.class)
    void terminalStateFromTheQueueOnlySettles(EndCause state) {
        TaskAttemptStatus s = observe(status(AttemptPhase.Running), JobView.seen(queue("ENDED:" + state, state.name(), null), T0), T0);

        assertThat(s.getPhase()).isEqualTo(AttemptPhase.Settling);
        assertThat(s.getReason()).isEqualTo(AttemptReasons.LEFT_QUEUE);
        assertThat(s.getMessage()).isEqualTo("job 4242 ended (" + state.name() + "); waiting for accounting to confirm");
        assertThat(s.getSettlingSince()).isEqualTo(Times.format(T0));
        assertThat(s.getFinishedAt()).isNull();
        assertThat(s.getExitCode()).isNull();
        assertThat(condition(s, ConditionTypes.COMPLETED).getStatus()).isEqualTo("False");
    }

    @Test
    void settlingSinceIsNotResetByFurtherQueueEnds() {
        TaskAttemptStatus first = observe(status(AttemptPhase.Running), JobView.seen(queue("ENDED:EXITED", "COMPLETED", null), T0), T0);
        TaskAttemptStatus second = observe(first, JobView.seen(queue("ENDED:EXITED", "COMPLETED", null), T0.plusSeconds(60)),
                T0.plusSeconds(60));

        assertThat(second.getPhase()).isEqualTo(AttemptPhase.Settling);
        assertThat(second.getSettlingSince()).isEqualTo(Times.format(T0));
    }

    // ---- accounting confirms ---------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0} exit={1} signal={2} -> {3} {4}")
    @CsvSource(nullValues = "NULL", value = {
            // end cause,       exit, signal, phase,     reason,         message fragment
            "EXITED,             0,    NULL,   Succeeded, Completed,      job 4242 completed with exit code 0",
            "EXITED,             0,    0,      Succeeded, Completed,      job 4242 completed with exit code 0",
            "EXITED,             1,    0,      Failed,    NonZeroExit,    job 4242 exited with code 1",
            "EXITED,             NULL, NULL,   Failed,    NonZeroExit,    job 4242 exited with code unknown",
            "EXITED,             0,    9,      Failed,    Signal,         job 4242 was killed by signal 9",
            "EXITED,             3,    0,      Failed,    NonZeroExit,    job 4242 exited with code 3",
            "SIGNALLED,          NULL, 15,     Failed,    Signal,         job 4242 was killed by signal 15",
            "SIGNALLED,          NULL, NULL,   Failed,    Signal,         job 4242 was killed by signal unknown",
            "CANCELLED,          0,    15,     Cancelled, Cancelled,      job 4242 was cancelled on the cluster, not by hpc-bridge",
            "REMOVED_EXTERNALLY, NULL, NULL,   Cancelled, Cancelled,      job 4242 was removed on the cluster",
            "TIME_LIMIT,         0,    15,     Failed,    Timeout,        job 4242 reached its time limit",
            "MEMORY_LIMIT,       0,    9,      Failed,    OutOfMemory,    job 4242 ran out of memory",
            "DISK_LIMIT,         NULL, NULL,   Failed,    OutOfDisk,      job 4242 used more disk than it asked for",
            "NODE_FAILURE,       0,    0,      Failed,    NodeFail,       job 4242 lost a node",
            "BOOT_FAILURE,       0,    0,      Failed,    BootFail,       job 4242 could not boot its node",
            "PREEMPTED,          0,    0,      Failed,    Preempted,      job 4242 was preempted",
            "DEADLINE,           0,    0,      Failed,    Deadline,       job 4242 passed its deadline",
            "OTHER,              0,    0,      Failed,    SchedulerEnded, job 4242 ended",
    })
    void accountingDecidesTheEnd(EndCause state, Integer exit, Integer signal, AttemptPhase phase, String reason, String message) {
        Instant end = T0.minusSeconds(5);

        TaskAttemptStatus s = observe(status(AttemptPhase.Running),
                JobView.seen(accounting("ENDED:" + state, state.name(), exit, signal, end), T0), T0);

        assertThat(s.getPhase()).isEqualTo(phase);
        assertThat(s.getReason()).isEqualTo(reason);
        assertThat(s.getMessage()).contains(message);
        // The API's cause, what retry policies read: EXITED with a signal is a death by signal.
        String apiCause = state == EndCause.EXITED && signal != null && signal > 0 ? "Signalled"
                : java.util.Arrays.stream(state.name().toLowerCase().split("_")).map(w -> Character.toUpperCase(w.charAt(0)) + w.substring(1))
                        .collect(java.util.stream.Collectors.joining());
        assertThat(s.getEndCause()).isEqualTo(io.hpcbridge.api.v1alpha1.JobEndCause.valueOf(apiCause));
        assertThat(s.getExitCode()).isEqualTo(exit);
        assertThat(s.getSignal()).isEqualTo(signal);
        assertThat(s.getFinishedAt()).isEqualTo(Times.format(end));
        assertThat(s.getSettlingSince()).isNull();
        assertThat(condition(s, ConditionTypes.COMPLETED).getStatus()).isEqualTo("True");
        assertThat(condition(s, ConditionTypes.COMPLETED).getReason()).isEqualTo(reason);
        assertThat(condition(s, ConditionTypes.SUCCEEDED).getStatus()).isEqualTo(phase == AttemptPhase.Succeeded ? "True" : "False");
        assertThat(condition(s, ConditionTypes.FAILED).getStatus()).isEqualTo(phase == AttemptPhase.Succeeded ? "False" : "True");
        assertThat(condition(s, ConditionTypes.FAILED).getReason()).isEqualTo(reason);
    }

    @Test
    void cancelledMessageNamesWhoCancelled() {
        JobObservation o = new JobObservation("4242", JobState.ENDED, EndCause.CANCELLED, "CANCELLED by 1001", null, 15,
                "cancelled by uid 1001", null, null, null, null, T0, true);

        TaskAttemptStatus s = observe(status(AttemptPhase.Running), JobView.seen(o, T0), T0);

        assertThat(s.getMessage()).isEqualTo("job 4242 was cancelled on the cluster (cancelled by uid 1001), not by hpc-bridge");
        assertThat(s.getSchedulerState()).isEqualTo("CANCELLED by 1001");
    }

    @Test
    void accountingWithoutEndTimeFinishesNow() {
        TaskAttemptStatus s = observe(status(AttemptPhase.Running), JobView.seen(accounting("ENDED:EXITED", "COMPLETED", 0, 0, null), T0), T0);

        assertThat(s.getFinishedAt()).isEqualTo(Times.format(T0));
    }

    @Test
    void settlingJobIsConfirmedByAccounting() {
        TaskAttemptStatus settling = observe(status(AttemptPhase.Running), JobView.missing(T0), T0);

        TaskAttemptStatus s = observe(settling, JobView.seen(accounting("ENDED:EXITED", "FAILED", 2, 0, T0), T0.plusSeconds(30)),
                T0.plusSeconds(30));

        assertThat(s.getPhase()).isEqualTo(AttemptPhase.Failed);
        assertThat(s.getReason()).isEqualTo(AttemptReasons.NON_ZERO_EXIT);
        assertThat(s.getExitCode()).isEqualTo(2);
        assertThat(s.getSettlingSince()).isNull();
    }

    @Test
    void queuedJobCanEndStraightFromAccounting() {
        TaskAttemptStatus s = observe(status(AttemptPhase.Queued), JobView.seen(accounting("ENDED:CANCELLED", "CANCELLED", null, null, T0), T0), T0);

        assertThat(s.getPhase()).isEqualTo(AttemptPhase.Cancelled);
    }

    @Test
    void outcomeRejectsNonTerminalStates() {
        assertThatThrownBy(() -> EndCauses.outcome(queue("RUNNING", "RUNNING", null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("RUNNING");
    }

    // ---- missing and lost ------------------------------------------------------------------------------------------

    @Test
    void missingFromASuccessfulPollSettlesFirst() {
        Instant polledAt = T0.minusSeconds(3);

        TaskAttemptStatus s = observe(status(AttemptPhase.Running), JobView.missing(polledAt), T0);

        assertThat(s.getPhase()).isEqualTo(AttemptPhase.Settling);
        assertThat(s.getReason()).isEqualTo(AttemptReasons.LEFT_QUEUE);
        assertThat(s.getMessage()).contains("job 4242 left the queue");
        assertThat(s.getSettlingSince()).isEqualTo(Times.format(polledAt));
        assertThat(s.getFinishedAt()).isNull();
    }

    @Test
    void missingWithinGraceStaysSettling() {
        TaskAttemptStatus settling = observe(status(AttemptPhase.Running), JobView.missing(T0), T0);
        Instant justBefore = T0.plus(GRACE).minusSeconds(1);

        TaskAttemptStatus s = observe(settling, JobView.missing(justBefore), justBefore);

        assertThat(s.getPhase()).isEqualTo(AttemptPhase.Settling);
        assertThat(s.getSettlingSince()).isEqualTo(Times.format(T0));
        assertThat(StatusComparison.same(settling, s)).isTrue();
    }

    @Test
    void missingBeyondGraceIsLost() {
        TaskAttemptStatus settling = observe(status(AttemptPhase.Running), JobView.missing(T0), T0);
        Instant at = T0.plus(GRACE);

        TaskAttemptStatus s = observe(settling, JobView.missing(T0, at), at);

        assertThat(s.getPhase()).isEqualTo(AttemptPhase.Lost);
        assertThat(s.getReason()).isEqualTo(AttemptReasons.SCHEDULER_LOST);
        assertThat(s.getMessage()).isEqualTo("job 4242 is in neither the queue nor accounting since " + Times.format(T0) + " (grace 10m)");
        assertThat(s.getFinishedAt()).isEqualTo(Times.format(at));
        assertThat(condition(s, ConditionTypes.COMPLETED).getStatus()).isEqualTo("True");
        assertThat(condition(s, ConditionTypes.FAILED).getStatus()).isEqualTo("True");
        assertThat(condition(s, ConditionTypes.FAILED).getReason()).isEqualTo(AttemptReasons.SCHEDULER_LOST);
    }

    @Test
    void queueEndThenMissingBeyondGraceIsLost() {
        TaskAttemptStatus settling = observe(status(AttemptPhase.Running), JobView.seen(queue("ENDED:EXITED", "COMPLETED", null), T0), T0);
        Instant at = T0.plus(GRACE).plusSeconds(1);

        TaskAttemptStatus s = observe(settling, JobView.missing(T0, at), at);

        assertThat(s.getPhase()).isEqualTo(AttemptPhase.Lost);
    }

    @Test
    void missingWhileAccountingIsDownNeverBecomesLost() {
        TaskAttemptStatus settling = observe(status(AttemptPhase.Running), JobView.missingUnconfirmed(T0), T0);
        Instant muchLater = T0.plus(GRACE.multipliedBy(6));

        TaskAttemptStatus s = observe(settling, JobView.missingUnconfirmed(muchLater), muchLater);

        assertThat(settling.getPhase()).isEqualTo(AttemptPhase.Settling);
        assertThat(s.getPhase()).isEqualTo(AttemptPhase.Settling);
    }

    @Test
    void theGraceRestartsWhenAccountingComesBack() {
        // Accounting was down for an hour; its first answers start the grace, they do not end it.
        TaskAttemptStatus settling = observe(status(AttemptPhase.Running), JobView.missingUnconfirmed(T0), T0);
        Instant back = T0.plus(Duration.ofHours(1));

        TaskAttemptStatus s = observe(settling, JobView.missing(back, back.plusSeconds(30)), back.plusSeconds(30));

        assertThat(s.getPhase()).isEqualTo(AttemptPhase.Settling);
    }

    @Test
    void anExitCodeFileEndsASettlingAttemptWithoutAccounting() {
        TaskAttemptStatus settling = observe(status(AttemptPhase.Running), JobView.missingUnconfirmed(T0), T0);

        TaskAttemptStatus s = observe(settling, JobView.missingUnconfirmed(T0.plusSeconds(5)).withExitFileCode(3), T0.plusSeconds(5));

        assertThat(s.getPhase()).isEqualTo(AttemptPhase.Failed);
        assertThat(s.getReason()).isEqualTo(AttemptReasons.NON_ZERO_EXIT);
        assertThat(s.getExitCode()).isEqualTo(3);
        assertThat(s.getMessage()).contains("exit-code file");
    }

    @Test
    void theExitCodeFileCorrectsAccountingsTransientZero() {
        // Right after slurmdbd returns, sacct was seen to report FAILED 0:0 for a script that exited 3.
        TaskAttemptStatus s = observe(status(AttemptPhase.Settling),
                JobView.seen(accounting("ENDED:OTHER", "FAILED", 0, 0, T0), T0).withExitFileCode(3), T0);

        assertThat(s.getPhase()).isEqualTo(AttemptPhase.Failed);
        assertThat(s.getExitCode()).isEqualTo(3);
    }

    /** The wrapper ends by the script's signal and writes 128+N: both tell of the same signal, which is reported. */
    @Test
    void aSignalSeenByTheSchedulerStaysASignalWhenTheExitFileHasTheShellsReportOfIt() {
        TaskAttemptStatus s = observe(status(AttemptPhase.Running),
                JobView.seen(accounting("ENDED:SIGNALLED", "Completed", null, 9, T0), T0).withExitFileCode(137), T0);

        assertThat(s.getPhase()).isEqualTo(AttemptPhase.Failed);
        assertThat(s.getReason()).isEqualTo(AttemptReasons.SIGNAL);
        assertThat(s.getSignal()).isEqualTo(9);
        assertThat(s.getMessage()).contains("signal 9");

        TaskAttemptStatus other = observe(status(AttemptPhase.Running),
                JobView.seen(accounting("ENDED:SIGNALLED", "Completed", null, 9, T0), T0).withExitFileCode(3), T0);
        assertThat(other.getReason()).as("a different code in the file is the script's own exit").isEqualTo(AttemptReasons.NON_ZERO_EXIT);
        assertThat(other.getExitCode()).isEqualTo(3);
    }

    @Test
    void aLongOutageBeforeTheFirstMissingPollDoesNotSkipTheGrace() {
        // Running for hours, then one poll misses it: that starts the grace, it does not end it.
        TaskAttemptStatus running = status(AttemptPhase.Running);
        running.setStartedAt(Times.format(T0.minusSeconds(36_000)));
        Instant at = T0.plus(Duration.ofHours(5));

        TaskAttemptStatus s = observe(running, JobView.missing(at), at);

        assertThat(s.getPhase()).isEqualTo(AttemptPhase.Settling);
    }

    @Test
    void missingWhileQueuedSettlesToo() {
        TaskAttemptStatus s = observe(status(AttemptPhase.Queued), JobView.missing(T0), T0);

        assertThat(s.getPhase()).isEqualTo(AttemptPhase.Settling);
    }

    // ---- no information --------------------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(value = AttemptPhase.class, names = {"Queued", "Running", "Settling"})
    void notYetPolledChangesNothing(AttemptPhase phase) {
        TaskAttemptStatus current = status(phase);
        current.setSettlingSince(phase == AttemptPhase.Settling ? Times.format(T0.minus(Duration.ofDays(1))) : null);

        TaskAttemptStatus s = AttemptStateMachine.observe(current, JobView.notYetPolled(), GRACE, HELD_TIMEOUT, 7L, T0);

        assertThat(s.getPhase()).isEqualTo(phase);
        current.setObservedGeneration(7L);
        assertThat(StatusComparison.same(current, s)).isTrue();
    }

    @ParameterizedTest
    @EnumSource(value = AttemptPhase.class, names = {"Queued", "Running", "Settling"})
    void unknownStateChangesNoPhase(AttemptPhase phase) {
        TaskAttemptStatus current = status(phase);
        current.setReason("Before");
        current.setMessage("before");
        current.setSettlingSince(phase == AttemptPhase.Settling ? Times.format(T0.minus(Duration.ofDays(1))) : null);

        TaskAttemptStatus s = observe(current, JobView.seen(queue("UNKNOWN", "REVOKED", null), T0), T0);

        assertThat(s.getPhase()).isEqualTo(phase);
        assertThat(s.getReason()).isEqualTo("Before");
        assertThat(s.getMessage()).isEqualTo("before");
        assertThat(s.getSettlingSince()).isEqualTo(current.getSettlingSince());
        assertThat(s.getFinishedAt()).isNull();
        assertThat(s.getSchedulerState()).isEqualTo("REVOKED");
    }

    @ParameterizedTest
    @EnumSource(value = AttemptPhase.class, names = {"Succeeded", "Failed", "Cancelled", "Lost"})
    void terminalPhasesNeverChange(AttemptPhase phase) {
        TaskAttemptStatus current = status(phase);
        current.setReason("Original");
        current.setFinishedAt(Times.format(T0.minusSeconds(100)));
        JobView[] views = {
                JobView.seen(queue("RUNNING", "RUNNING", null), T0),
                JobView.seen(accounting("ENDED:EXITED", "COMPLETED", 0, 0, T0), T0),
                JobView.seen(accounting("ENDED:EXITED", "FAILED", 1, 0, T0), T0),
                JobView.missing(T0.minus(Duration.ofDays(2))),
                JobView.notYetPolled(),
        };
        for (JobView view : views) {
            TaskAttemptStatus s = observe(current, view, T0.plus(Duration.ofDays(1)));
            assertThat(s.getPhase()).as("%s after %s", phase, view.kind()).isEqualTo(phase);
            assertThat(s.getReason()).isEqualTo("Original");
            assertThat(s.getFinishedAt()).isEqualTo(Times.format(T0.minusSeconds(100)));
            assertThat(s.getExitCode()).isNull();
        }
    }

    @ParameterizedTest
    @EnumSource(value = AttemptPhase.class, names = {"Pending", "Submitting"})
    void notYetSubmittedIgnoresViews(AttemptPhase phase) {
        TaskAttemptStatus current = status(phase);
        current.setJobId(null);

        TaskAttemptStatus s = observe(current, JobView.missing(T0.minus(Duration.ofDays(1))), T0.plus(Duration.ofDays(1)));

        assertThat(s.getPhase()).isEqualTo(phase);
    }

    // ---- conditions ------------------------------------------------------------------------------------------------

    @Test
    void conditionTransitionTimesFollowStatusFlipsOnly() {
        TaskAttemptStatus queued = observe(status(AttemptPhase.Queued), JobView.seen(queue("QUEUED", "PENDING", null), T0), T0);
        TaskAttemptStatus running = observe(queued, JobView.seen(queue("RUNNING", "RUNNING", null), T0.plusSeconds(60)),
                T0.plusSeconds(60));
        TaskAttemptStatus done = observe(running, JobView.seen(accounting("ENDED:EXITED", "COMPLETED", 0, null, T0.plusSeconds(100)),
                T0.plusSeconds(120)), T0.plusSeconds(120));

        assertThat(condition(running, ConditionTypes.COMPLETED).getLastTransitionTime()).isEqualTo(Times.format(T0));
        assertThat(condition(running, ConditionTypes.COMPLETED).getMessage()).isEqualTo("attempt is Running");
        assertThat(condition(done, ConditionTypes.SUBMITTED).getLastTransitionTime()).isEqualTo(Times.format(T0));
        assertThat(condition(done, ConditionTypes.COMPLETED).getLastTransitionTime()).isEqualTo(Times.format(T0.plusSeconds(120)));
        assertThat(condition(done, ConditionTypes.SUCCEEDED).getLastTransitionTime()).isEqualTo(Times.format(T0.plusSeconds(120)));
        assertThat(condition(done, ConditionTypes.FAILED).getLastTransitionTime()).isEqualTo(Times.format(T0));
        assertThat(condition(done, ConditionTypes.FAILED).getStatus()).isEqualTo("False");
    }

    @Test
    void aRequeueUnderTheSameJobIdStaysInTheAttemptAndIsCounted() {
        // Restarts are the adapter's word; the state machine keeps the highest it was told.
        JobObservation first = new JobObservation("4242", JobState.RUNNING, null, "RUNNING", null, null, null, null, 0,
                T0, T0.plusSeconds(5), null, false);
        JobObservation requeued = new JobObservation("4242", JobState.QUEUED, null, "PENDING", null, null, "BeginTime", null, 1,
                T0.plusSeconds(300), null, null, false);
        JobObservation runningAgain = new JobObservation("4242", JobState.RUNNING, null, "RUNNING", null, null, null, null, 1,
                T0.plusSeconds(300), T0.plusSeconds(320), null, false);

        TaskAttemptStatus s1 = observe(status(AttemptPhase.Queued), JobView.seen(first, T0), T0);
        TaskAttemptStatus s2 = observe(s1, JobView.seen(requeued, T0.plusSeconds(305)), T0.plusSeconds(305));
        TaskAttemptStatus s3 = observe(s2, JobView.seen(runningAgain, T0.plusSeconds(325)), T0.plusSeconds(325));

        assertThat(s1.getRestartCount()).isNull();
        assertThat(s2.getPhase()).isEqualTo(AttemptPhase.Queued);
        assertThat(s2.getRestartCount()).isEqualTo(1);
        assertThat(s3.getPhase()).isEqualTo(AttemptPhase.Running);
        assertThat(s3.getRestartCount()).isEqualTo(1);
        assertThat(s3.getJobId()).isEqualTo(s1.getJobId());
    }
    // ---- kstatus conditions ----------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}: Ready={1} Reconciling={2} Stalled={3} -> {4}")
    @CsvSource({
            "Pending,    False, True,  False, InProgress",
            "Submitting, False, True,  False, InProgress",
            "Queued,     False, True,  False, InProgress",
            "Held,       False, True,  False, InProgress",
            "Running,    False, True,  False, InProgress",
            "Settling,   False, True,  False, InProgress",
            "Succeeded,  True,  False, False, Current",
            "Failed,     False, False, True,  Failed",
            "Cancelled,  False, False, True,  Failed",
            "Lost,       False, False, True,  Failed",
    })
    void kstatusConditionsFollowThePhase(AttemptPhase phase, String ready, String reconciling, String stalled,
            io.hpcbridge.status.Kstatus.Result kstatus) {
        TaskAttemptStatus s = status(phase);
        s.setObservedGeneration(7L);
        s.setReason(phase == AttemptPhase.Failed ? "NonZeroExit" : null);
        s.setMessage(phase == AttemptPhase.Failed ? "job 4242 exited with code 3" : null);

        AttemptStateMachine.withConditions(s, 7L, T0);

        String reason = phase == AttemptPhase.Failed ? "NonZeroExit" : phase.name();
        io.hpcbridge.status.Kstatus.assertConditions(s.getConditions(), 7, s.getObservedGeneration(), ready, reconciling, stalled, reason, kstatus);
        if (phase == AttemptPhase.Failed) {
            assertThat(condition(s, "Stalled").getMessage()).isEqualTo("job 4242 exited with code 3");
        }
    }

    @Test
    void anObservedEndMovesTheAttemptFromReconcilingToReadyOrStalled() {
        TaskAttemptStatus running = AttemptStateMachine.withConditions(status(AttemptPhase.Running), 7L, T0);
        assertThat(condition(running, "Reconciling").getStatus()).isEqualTo("True");

        TaskAttemptStatus ok = observe(running, JobView.seen(accounting("ENDED:EXITED", "COMPLETED", 0, 0, T0), T0), T0.plusSeconds(5));
        assertThat(ok.getPhase()).isEqualTo(AttemptPhase.Succeeded);
        assertThat(condition(ok, "Ready").getStatus()).isEqualTo("True");
        assertThat(condition(ok, "Reconciling").getStatus()).isEqualTo("False");
        assertThat(condition(ok, "Reconciling").getLastTransitionTime()).isEqualTo(Times.format(T0.plusSeconds(5)));

        TaskAttemptStatus bad = observe(running, JobView.seen(accounting("ENDED:EXITED", "FAILED", 3, 0, T0), T0), T0.plusSeconds(5));
        assertThat(bad.getPhase()).isEqualTo(AttemptPhase.Failed);
        assertThat(condition(bad, "Stalled").getStatus()).isEqualTo("True");
        assertThat(condition(bad, "Ready").getStatus()).isEqualTo("False");
    }
}
