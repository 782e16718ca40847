package io.hpcbridge.gateway;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every {@link BatchScheduler} adapter must do, whatever its scheduler. An adapter's test extends this class and
 * provides the adapter plus scripted answers for each scenario, taken from output captured on a real login node of its
 * scheduler; the scenarios themselves (and what they assert) are the same for all adapters.
 * <p>
 * Commands are told apart by their {@link RemoteOperation}, never by program name, so the suite stays
 * scheduler-neutral.
 */
public abstract class BatchSchedulerContract {

    protected static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");

    /** A tracked job and the scripted answers that describe it, for one poll scenario. */
    public record Scenario(TrackedJob job, Consumer<FakeRemoteShell> script) {
    }

    protected final FakeRemoteShell shell = new FakeRemoteShell();

    /** The adapter under test. */
    protected abstract BatchScheduler adapter();

    /** The version command answers; {@link #expectedVersion} is what the adapter makes of it. */
    protected abstract void scriptVersion(FakeRemoteShell shell);

    protected abstract String expectedVersion();

    /**
     * The scheduler accepts a submission of {@code jobs} jobs (however many commands the adapter runs for it); the
     * resulting ids, in request order, are {@link #expectedSubmittedIds}.
     */
    protected abstract void scriptSubmitAccepted(FakeRemoteShell shell, int jobs);

    protected abstract List<String> expectedSubmittedIds(int jobs);

    /** The scheduler refuses a submission for good (a bad account, an unparsable requirement...). */
    protected abstract void scriptSubmitRefused(FakeRemoteShell shell);

    /** The live queue answers: no job at all. */
    protected abstract void scriptEmptyQueue(FakeRemoteShell shell);

    /** The live queue query fails (scheduler unreachable). */
    protected abstract void scriptQueueFailure(FakeRemoteShell shell);

    /** The live queue query exits 0 with an answer that cannot be read (truncated, wrong format). */
    protected abstract void scriptQueueGarbled(FakeRemoteShell shell);

    /** History answers: no record. */
    protected abstract void scriptEmptyHistory(FakeRemoteShell shell);

    /** A job that left the queue; history says it exited by itself with code 0. */
    protected abstract Scenario completedWithExit0();

    /** A job that left the queue; history says it exited with code 3. */
    protected abstract Scenario completedWithExit3();

    /** A job that left the queue; history says a signal ({@link #expectedSignal}) killed it. */
    protected abstract Scenario killedBySignal();

    protected abstract int expectedSignal();

    /** A job that left the queue; history says it was cancelled or removed. */
    protected abstract Scenario cancelled();

    /** The i-th of many distinct tracked jobs (i from 0 to 249), with valid ids. */
    protected abstract TrackedJob trackedJob(int i);

    /** The job ids that one history command names. */
    protected abstract List<String> jobsNamedInHistoryCommand(List<String> argv);

    /** For findByIdentity: the queue answers, history fails. */
    protected abstract void scriptFindWithHistoryFailure(FakeRemoteShell shell);

    /** The cancel command answers that {@link #goneJobId} is no longer known. */
    protected abstract void scriptCancelOfGoneJob(FakeRemoteShell shell);

    protected abstract String goneJobId();

    // ---- requests -----------------------------------------------------------------------------------------------

    protected static ResourceRequest resources(Integer cpus, Long memory, Duration time) {
        return new ResourceRequest(cpus, memory, time, null, null, null, null, Map.of(), Map.of());
    }

    protected static SubmitRequest request(int i) {
        String dir = "/home/hpcuser/hpcb-work/ns/task-" + i;
        return new SubmitRequest(JobIdentity.of("ns", "task-" + i, "tok-" + i), dir, dir + "/attempt.sh", dir + "/stdout",
                dir + "/stderr", resources(1, 1L << 30, Duration.ofHours(1)), false);
    }

    // ---- version ------------------------------------------------------------------------------------------------

    @Test
    void versionAnswers() throws RemoteException {
        scriptVersion(shell);
        assertThat(adapter().version(shell)).isEqualTo(expectedVersion());
        assertThat(shell.operations()).containsOnly(RemoteOperation.VERSION).isNotEmpty();
    }

    // ---- validate -----------------------------------------------------------------------------------------------

    @Test
    void validateRefusesZeroCpusMemoryAndTimeNamingTheField() {
        assertThat(adapter().validate(resources(1, 1L << 30, Duration.ofHours(1)))).isEmpty();
        assertThat(adapter().validate(resources(0, null, null))).singleElement()
                .satisfies(p -> assertThat(p).startsWith("resources.cpus"));
        assertThat(adapter().validate(resources(null, 0L, null))).singleElement()
                .satisfies(p -> assertThat(p).startsWith("resources.memory"));
        assertThat(adapter().validate(resources(null, null, Duration.ZERO))).singleElement()
                .satisfies(p -> assertThat(p).startsWith("resources.time"));
        assertThat(adapter().validate(resources(0, 0L, Duration.ZERO))).hasSize(3);
    }

    // ---- submit -------------------------------------------------------------------------------------------------

    @Test
    void anAcceptedSubmitIsSubmittedWithAnId() {
        scriptSubmitAccepted(shell, 1);
        List<SubmitOutcome> outcomes = adapter().submit(shell, List.of(request(1)));
        assertThat(outcomes).containsExactly(new SubmitOutcome.Submitted(expectedSubmittedIds(1).get(0)));
        assertThat(shell.operations()).isNotEmpty().containsOnly(RemoteOperation.SUBMIT);
    }

    @Test
    void aBatchOfThreeHasThreeOutcomesInOrder() {
        scriptSubmitAccepted(shell, 3);
        List<SubmitOutcome> outcomes = adapter().submit(shell, List.of(request(1), request(2), request(3)));
        List<String> ids = expectedSubmittedIds(3);
        assertThat(ids).doesNotHaveDuplicates().hasSize(3);
        assertThat(outcomes).containsExactly(new SubmitOutcome.Submitted(ids.get(0)), new SubmitOutcome.Submitted(ids.get(1)),
                new SubmitOutcome.Submitted(ids.get(2)));
    }

    @Test
    void aRefusedSubmitIsRejected() {
        scriptSubmitRefused(shell);
        assertThat(adapter().submit(shell, List.of(request(1)))).singleElement().isInstanceOfSatisfying(SubmitOutcome.Rejected.class,
                r -> assertThat(r.message()).isNotBlank());
    }

    @Test
    void aLostChannelDuringSubmitIsUnconfirmedNeverAThrow() {
        shell.otherwise(argv -> {
            throw new RemoteException("channel closed");
        });
        List<SubmitOutcome> outcomes = adapter().submit(shell, List.of(request(1), request(2)));
        assertThat(outcomes).hasSize(2).allSatisfy(o -> assertThat(o).isInstanceOf(SubmitOutcome.Unconfirmed.class));
    }

    @Test
    void anInvalidRequestIsRejectedWithoutRunningAnything() {
        SubmitRequest bad = new SubmitRequest(JobIdentity.of("ns", "bad", "tok-bad"), "/w/bad", "/w/bad/a.sh", "/w/bad/o",
                "/w/bad/e", resources(0, 1L << 30, Duration.ofHours(1)), false);
        assertThat(adapter().submit(shell, List.of(bad))).singleElement().isInstanceOfSatisfying(SubmitOutcome.Rejected.class,
                r -> assertThat(r.message()).contains("resources.cpus"));
        assertThat(shell.operations()).isEmpty();
    }

    // ---- poll ---------------------------------------------------------------------------------------------------

    @Test
    void pollWithNoTrackedJobsRunsExactlyOneQueueQuery() throws RemoteException {
        scriptEmptyQueue(shell);
        PollResult result = adapter().poll(shell, List.of());
        assertThat(shell.operations()).containsExactly(RemoteOperation.POLL);
        assertThat(result.jobs()).isEmpty();
        assertThat(result.liveOwnedJobs()).isZero();
        assertThat(result.historyAnswered()).isTrue();
    }

    @Test
    void aJobThatExitedWithZeroSucceeded() throws RemoteException {
        JobObservation o = pollEnded(completedWithExit0());
        assertThat(o.endCause()).isEqualTo(EndCause.EXITED);
        assertThat(o.exitCode()).isZero();
        assertThat(o.succeeded()).isTrue();
        assertThat(o.fromHistory()).isTrue();
    }

    @Test
    void aJobThatExitedWithThreeDidNotSucceed() throws RemoteException {
        JobObservation o = pollEnded(completedWithExit3());
        assertThat(o.endCause()).isEqualTo(EndCause.EXITED);
        assertThat(o.exitCode()).isEqualTo(3);
        assertThat(o.succeeded()).isFalse();
    }

    @Test
    void aJobKilledByASignalIsSignalled() throws RemoteException {
        JobObservation o = pollEnded(killedBySignal());
        assertThat(o.endCause()).isEqualTo(EndCause.SIGNALLED);
        assertThat(o.signal()).isEqualTo(expectedSignal());
        assertThat(o.succeeded()).isFalse();
    }

    @Test
    void aCancelledJobIsCancelledOrRemoved() throws RemoteException {
        JobObservation o = pollEnded(cancelled());
        assertThat(o.endCause()).isIn(EndCause.CANCELLED, EndCause.REMOVED_EXTERNALLY);
        assertThat(o.succeeded()).isFalse();
    }

    private JobObservation pollEnded(Scenario scenario) throws RemoteException {
        scenario.script().accept(shell);
        PollResult result = adapter().poll(shell, List.of(scenario.job()));
        assertThat(shell.operations()).containsExactly(RemoteOperation.POLL, RemoteOperation.HISTORY);
        assertThat(result.historyAnswered()).isTrue();
        JobObservation o = result.jobs().get(scenario.job().jobId());
        assertThat(o).as("observation of %s", scenario.job().jobId()).isNotNull();
        assertThat(o.jobId()).isEqualTo(scenario.job().jobId());
        assertThat(o.state()).isEqualTo(JobState.ENDED);
        return o;
    }

    @Test
    void aFailedQueueQueryThrows() {
        scriptQueueFailure(shell);
        assertThatThrownBy(() -> adapter().poll(shell, List.of(trackedJob(0)))).isInstanceOf(RemoteException.class);
        assertThat(shell.operations()).containsExactly(RemoteOperation.POLL);
    }

    @Test
    void aGarbledQueueAnswerThrows() {
        scriptQueueGarbled(shell);
        assertThatThrownBy(() -> adapter().poll(shell, List.of(trackedJob(0)))).isInstanceOf(RemoteException.class);
        assertThat(shell.operations()).doesNotContain(RemoteOperation.HISTORY);
    }

    @Test
    void twoHundredFiftyJobsThatLeftTheQueueAreAskedInHistoryChunksOfAtMost200() throws RemoteException {
        scriptEmptyQueue(shell);
        scriptEmptyHistory(shell);
        List<TrackedJob> jobs = IntStream.range(0, 250).mapToObj(this::trackedJob).toList();

        PollResult result = adapter().poll(shell, jobs);

        List<RemoteOperation> ops = shell.operations();
        assertThat(ops.get(0)).isEqualTo(RemoteOperation.POLL);
        assertThat(ops.stream().filter(o -> o == RemoteOperation.POLL).count()).isEqualTo(1);
        List<List<String>> history = IntStream.range(0, ops.size()).filter(i -> ops.get(i) == RemoteOperation.HISTORY)
                .mapToObj(i -> shell.calls().get(i)).toList();
        assertThat(history).hasSizeGreaterThanOrEqualTo(2);
        List<String> named = history.stream().peek(c -> assertThat(jobsNamedInHistoryCommand(c)).hasSizeLessThanOrEqualTo(200))
                .flatMap(c -> jobsNamedInHistoryCommand(c).stream()).toList();
        assertThat(named).containsExactlyInAnyOrderElementsOf(jobs.stream().map(TrackedJob::jobId).toList());
        assertThat(result.jobs()).isEmpty();
    }

    // ---- findByIdentity ---------------------------------------------------------------------------------------

    @Test
    void findByIdentityThrowsWhenHistoryFails() {
        scriptFindWithHistoryFailure(shell);
        assertThatThrownBy(() -> adapter().findByIdentity(shell, request(1).identity(), T0)).isInstanceOf(RemoteException.class);
        assertThat(shell.operations()).isNotEmpty().containsOnly(RemoteOperation.FIND);
    }

    // ---- cancel -------------------------------------------------------------------------------------------------

    @Test
    void cancelOfAJobAlreadyGoneDoesNotThrow() throws RemoteException {
        scriptCancelOfGoneJob(shell);
        adapter().cancel(shell, List.of(goneJobId()));
        assertThat(shell.operations()).containsExactly(RemoteOperation.CANCEL);
    }
}
