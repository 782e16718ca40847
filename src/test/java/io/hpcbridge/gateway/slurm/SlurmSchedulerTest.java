package io.hpcbridge.gateway.slurm;

import io.hpcbridge.api.v1alpha1.Resources;
import io.hpcbridge.api.v1alpha1.SlurmResources;
import io.hpcbridge.gateway.CommandResult;
import io.hpcbridge.gateway.FakeRemoteShell;
import io.hpcbridge.gateway.JobIdentity;
import io.hpcbridge.gateway.JobObservation;
import io.hpcbridge.gateway.PollResult;
import io.hpcbridge.gateway.RemoteException;
import io.hpcbridge.gateway.RemoteState;
import io.hpcbridge.gateway.SubmitOutcome;
import io.hpcbridge.gateway.SubmitRequest;
import io.hpcbridge.gateway.TrackedJob;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static io.hpcbridge.gateway.FakeRemoteShell.error;
import static io.hpcbridge.gateway.FakeRemoteShell.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SlurmSchedulerTest {

    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    private static final String SUBMIT = "2026-11-23T10:00:05";

    private final SlurmScheduler slurm = new SlurmScheduler();
    private final FakeRemoteShell shell = new FakeRemoteShell();

    /** Load rule, checked after every test: no command names one job id as a bare argument, except scancel. */
    @AfterEach
    void noCommandNamesASingleJob() {
        for (List<String> argv : shell.calls()) {
            if (FakeRemoteShell.program(argv).equals("scancel")) {
                continue;
            }
            assertThat(argv).as("argv %s", argv).noneMatch(SlurmCommands::isJobId);
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private static JobIdentity identity(int i) {
        return JobIdentity.of("ns", "task-" + i, "tok-" + i);
    }

    private static TrackedJob tracked(int id) {
        return new TrackedJob(Integer.toString(id), identity(id), T0);
    }

    private static List<TrackedJob> trackedRange(int from, int count) {
        return IntStream.range(from, from + count).mapToObj(SlurmSchedulerTest::tracked).toList();
    }

    private static String squeueLine(int id, String state) {
        JobIdentity ident = identity(id);
        return squeueLine(Integer.toString(id), state, ident.token(), ident.name());
    }

    private static String squeueLine(String id, String state, String comment, String name) {
        String start = state.equals("PENDING") ? "N/A" : "2026-11-23T10:01:00";
        return String.join("|", id, state, "None", SUBMIT, start, comment, name);
    }

    private static String sacctLine(int id, String state, String exit) {
        JobIdentity ident = identity(id);
        return sacctLine(Integer.toString(id), state, exit, ident.token(), ident.name(), SUBMIT);
    }

    private static String sacctLine(String id, String state, String exit, String comment, String name, String submit) {
        return String.join("|", id, state, exit, submit, "2026-11-23T10:01:00", "2026-11-23T10:09:00", "00:08:00", "",
                "c1", "0", comment, name);
    }

    private static String lines(Stream<String> lines) {
        return lines.collect(Collectors.joining("\n", "", "\n"));
    }

    private static List<String> jobsArg(List<String> sacctArgv) {
        String jobs = sacctArgv.stream().filter(a -> a.startsWith("--jobs=")).findFirst().orElseThrow();
        return List.of(jobs.substring("--jobs=".length()).split(","));
    }

    /** An sacct that answers COMPLETED 0:0 for every id it is asked about. */
    private static CommandResult sacctCompletedForAsked(List<String> argv) {
        return ok(lines(jobsArg(argv).stream().map(id -> sacctLine(Integer.parseInt(id), "COMPLETED", "0:0"))));
    }

    // ---- poll ---------------------------------------------------------------------------------------------------

    @Test
    void pollOf300With50GoneRunsOneSqueueAndOneSacctForThe50() throws RemoteException {
        List<TrackedJob> jobs = trackedRange(1000, 300);
        String queue = lines(Stream.concat(
                IntStream.range(1000, 1250).mapToObj(i -> squeueLine(i, i % 2 == 0 ? "RUNNING" : "PENDING")),
                Stream.of(squeueLine("9999", "RUNNING", "", "not-ours"))));
        shell.onOk("squeue", queue).on("sacct", SlurmSchedulerTest::sacctCompletedForAsked);

        PollResult result = slurm.poll(shell, jobs);

        assertThat(shell.callsTo("squeue")).hasSize(1);
        assertThat(shell.callsTo("sacct")).hasSize(1);
        assertThat(shell.calls()).hasSize(2);
        assertThat(jobsArg(shell.callsTo("sacct").get(0)))
                .containsExactlyInAnyOrderElementsOf(IntStream.range(1250, 1300).mapToObj(Integer::toString).toList());
        assertThat(result.jobs()).hasSize(300);
        assertThat(result.liveOwnedJobs()).isEqualTo(250);
        for (int i = 1000; i < 1300; i++) {
            JobObservation o = result.jobs().get(Integer.toString(i));
            if (i < 1250) {
                assertThat(o.fromAccounting()).isFalse();
                assertThat(o.state()).isEqualTo(i % 2 == 0 ? RemoteState.RUNNING : RemoteState.QUEUED);
            } else {
                assertThat(o.fromAccounting()).isTrue();
                assertThat(o.state()).isEqualTo(RemoteState.COMPLETED);
                assertThat(o.exitCode()).isZero();
            }
        }
    }

    @Test
    void pollOf450GoneRunsSacctThreeTimesInChunksOfAtMost200() throws RemoteException {
        List<TrackedJob> jobs = trackedRange(5000, 450);
        shell.onOk("squeue", "").on("sacct", SlurmSchedulerTest::sacctCompletedForAsked);

        PollResult result = slurm.poll(shell, jobs);

        assertThat(shell.callsTo("squeue")).hasSize(1);
        List<List<String>> sacct = shell.callsTo("sacct");
        assertThat(sacct).hasSize(3);
        List<String> asked = new ArrayList<>();
        for (List<String> argv : sacct) {
            assertThat(jobsArg(argv)).hasSizeLessThanOrEqualTo(200);
            asked.addAll(jobsArg(argv));
        }
        assertThat(asked).containsExactlyInAnyOrderElementsOf(jobs.stream().map(TrackedJob::jobId).toList());
        assertThat(new HashSet<>(asked)).hasSize(450);
        assertThat(result.jobs()).hasSize(450).allSatisfy((id, o) -> assertThat(o.fromAccounting()).isTrue());
        assertThat(result.liveOwnedJobs()).isZero();
    }

    @Test
    void pollWithNoTrackedJobsStillCountsLiveOwnedJobs() throws RemoteException {
        shell.onOk("squeue", lines(Stream.of(
                squeueLine(1, "RUNNING"),
                squeueLine(2, "PENDING"),
                squeueLine(3, "COMPLETED"),
                squeueLine(4, "COMPLETING"),
                squeueLine("5", "RUNNING", "", "someone-elses"),
                squeueLine("6", "MYSTERY", "", "hpcb.ns.x"))));

        PollResult result = slurm.poll(shell, List.of());

        assertThat(result.jobs()).isEmpty();
        // 1, 2, 4 and 6 (an unknown state is not an end); 3 ended; 5 is not ours.
        assertThat(result.liveOwnedJobs()).isEqualTo(4);
        assertThat(shell.calls()).hasSize(1);
    }

    @Test
    void queueTerminalJobIsConfirmedByAccounting() throws RemoteException {
        shell.onOk("squeue", squeueLine(7, "COMPLETED"))
                .onOk("sacct", sacctLine(7, "COMPLETED", "3:0"));

        JobObservation o = slurm.poll(shell, List.of(tracked(7))).jobs().get("7");

        assertThat(jobsArg(shell.callsTo("sacct").get(0))).containsExactly("7");
        assertThat(o.fromAccounting()).isTrue();
        assertThat(o.state()).isEqualTo(RemoteState.FAILED);
        assertThat(o.exitCode()).isEqualTo(3);
    }

    @Test
    void queueTerminalJobWithoutAccountingRecordKeepsTheQueueState() throws RemoteException {
        shell.onOk("squeue", squeueLine(7, "CANCELLED")).onOk("sacct", "");

        JobObservation o = slurm.poll(shell, List.of(tracked(7))).jobs().get("7");

        assertThat(o.fromAccounting()).isFalse();
        assertThat(o.state()).isEqualTo(RemoteState.CANCELLED);
    }

    @Test
    void laggingAccountingDoesNotOverrideAnEndTheQueueSaw() throws RemoteException {
        shell.onOk("squeue", squeueLine(7, "TIMEOUT")).onOk("sacct", sacctLine(7, "RUNNING", "0:0"));

        JobObservation o = slurm.poll(shell, List.of(tracked(7))).jobs().get("7");

        assertThat(o.state()).isEqualTo(RemoteState.TIMEOUT);
        assertThat(o.fromAccounting()).isFalse();
    }

    @Test
    void jobThatLeftTheQueueAndIsStillRunningInAccountingIsReportedFromAccounting() throws RemoteException {
        shell.onOk("squeue", "").onOk("sacct", sacctLine(7, "RUNNING", "0:0"));

        JobObservation o = slurm.poll(shell, List.of(tracked(7))).jobs().get("7");

        assertThat(o.state()).isEqualTo(RemoteState.RUNNING);
        assertThat(o.fromAccounting()).isTrue();
    }

    @Test
    void jobFoundNowhereIsAbsent() throws RemoteException {
        shell.onOk("squeue", "").onOk("sacct", "");

        PollResult result = slurm.poll(shell, List.of(tracked(7)));

        assertThat(result.jobs()).isEmpty();
    }

    static Stream<Arguments> sacctFailures() {
        return Stream.of(
                Arguments.of(error(1, "sacct: error: slurm_persist_conn_open_without_init: failed to open persistent "
                        + "connection to host:slurmdbd:6819: Connection refused")),
                Arguments.of(error(1, "sacct: error: Problem talking to the database: Connection refused")),
                Arguments.of(error(1, "Slurm accounting storage is disabled")));
    }

    @ParameterizedTest
    @MethodSource("sacctFailures")
    void sacctFailureDoesNotBlockLiveStatus(CommandResult sacctAnswer) throws RemoteException {
        shell.onOk("squeue", lines(Stream.of(squeueLine(1, "RUNNING"), squeueLine(2, "COMPLETED"))))
                .on("sacct", sacctAnswer);
        List<TrackedJob> jobs = new ArrayList<>(List.of(tracked(1), tracked(2), tracked(3)));
        jobs.addAll(trackedRange(100, 450)); // would need three sacct chunks

        PollResult result = slurm.poll(shell, jobs);

        assertThat(result.jobs()).containsOnlyKeys("1", "2");
        assertThat(result.jobs().get("1").state()).isEqualTo(RemoteState.RUNNING);
        assertThat(result.jobs().get("2").state()).isEqualTo(RemoteState.COMPLETED);
        assertThat(result.jobs().get("2").fromAccounting()).isFalse();
        assertThat(result.liveOwnedJobs()).isEqualTo(1);
        // slurmdbd is down for every chunk: one attempt per poll is enough.
        assertThat(shell.callsTo("sacct")).hasSize(1);
    }

    @Test
    void squeueFailureThrows() {
        shell.on("squeue", error(1, "slurm_load_jobs error: Unable to contact slurm controller (connect failure)"));

        assertThatThrownBy(() -> slurm.poll(shell, List.of(tracked(1))))
                .isInstanceOf(RemoteException.class)
                .hasMessageContaining("squeue")
                .hasMessageContaining("Unable to contact slurm controller");
        assertThat(shell.callsTo("sacct")).isEmpty();
    }

    @Test
    void deadConnectionThrows() {
        shell.failing("squeue", "connection reset");

        assertThatThrownBy(() -> slurm.poll(shell, List.of(tracked(1))))
                .isInstanceOf(RemoteException.class)
                .hasMessage("connection reset");
    }

    @Test
    void garbledSqueueThrows() {
        shell.onOk("squeue", squeueLine(1, "RUNNING") + "\n1|RUNNING|None\n");

        assertThatThrownBy(() -> slurm.poll(shell, List.of(tracked(1)))).isInstanceOf(RemoteException.class);
    }

    @Test
    void garbledSacctThrows() {
        shell.onOk("squeue", "").onOk("sacct", "7|COMPLETED|0:0\n");

        assertThatThrownBy(() -> slurm.poll(shell, List.of(tracked(7)))).isInstanceOf(RemoteException.class);
    }

    @Test
    void reusedJobIdIsNotTheTrackedJob() throws RemoteException {
        // Job id 7 now belongs to another job (counter reset): same id, other name, in both queue and accounting.
        shell.onOk("squeue", squeueLine("7", "RUNNING", "tok-x", "hpcb.ns.someone-else"))
                .onOk("sacct", lines(Stream.of(
                        sacctLine("7", "FAILED", "1:0", "", "hpcb.ns.someone-else", SUBMIT),
                        sacctLine("8", "COMPLETED", "0:0", "tok-old", identity(8).name(), SUBMIT))));

        PollResult result = slurm.poll(shell, List.of(tracked(7), tracked(8)));

        // 7: the queue line is someone else's, so accounting is asked; its record is someone else's too.
        // 8: right name but another attempt's token.
        assertThat(result.jobs()).isEmpty();
        assertThat(jobsArg(shell.callsTo("sacct").get(0))).containsExactlyInAnyOrder("7", "8");
        assertThat(result.liveOwnedJobs()).isEqualTo(1);
    }

    @Test
    void accountingWithoutCommentsMatchesByName() throws RemoteException {
        shell.onOk("squeue", "").onOk("sacct", sacctLine("8", "COMPLETED", "0:0", "", identity(8).name(), SUBMIT));

        assertThat(slurm.poll(shell, List.of(tracked(8))).jobs()).containsOnlyKeys("8");
    }

    // ---- submit -------------------------------------------------------------------------------------------------

    private static SubmitRequest request() {
        Resources r = new Resources();
        r.setMemory("1Gi");
        r.setTime("30m");
        r.setSlurm(new SlurmResources());
        r.getSlurm().setAccount("proj");
        return new SubmitRequest(identity(1), "/w", "/w/job.sh", "/w/out", "/w/err", r);
    }

    static Stream<Arguments> submitAnswers() {
        return Stream.of(
                Arguments.of(ok("12345\n"), new SubmitOutcome.Submitted("12345")),
                Arguments.of(ok("12345;cluster-a\n"), new SubmitOutcome.Submitted("12345")),
                Arguments.of(ok("Submitted batch job 12345\n"), new SubmitOutcome.Submitted("12345")),
                Arguments.of(new CommandResult(0, "12345\n", "sbatch: warning: partition default used\n"),
                        new SubmitOutcome.Submitted("12345")),
                Arguments.of(error(1, "sbatch: error: Batch job submission failed: Socket timed out on send/recv operation\n"),
                        new SubmitOutcome.TryLater("sbatch: error: Batch job submission failed: Socket timed out on send/recv operation")),
                Arguments.of(error(1, "sbatch: error: Batch job submission failed: Invalid account or account/partition combination specified\n"),
                        new SubmitOutcome.Rejected("sbatch: error: Batch job submission failed: Invalid account or account/partition combination specified")));
    }

    @ParameterizedTest
    @MethodSource("submitAnswers")
    void submitOutcomes(CommandResult answer, SubmitOutcome expected) throws RemoteException {
        shell.on("sbatch", answer);

        assertThat(slurm.submit(shell, request())).isEqualTo(expected);
        assertThat(shell.calls()).containsExactly(SlurmCommands.submit(request()));
        assertThat(shell.calls().get(0)).contains("--mem=1024M", "--time=0-00:30:00", "--account=proj", "--no-requeue",
                "--job-name=hpcb.ns.task-1", "--comment=tok-1");
    }

    @Test
    void submitWithoutIdIsAnUnknownOutcome() {
        shell.on("sbatch", ok("sbatch: something odd\n"));

        assertThatThrownBy(() -> slurm.submit(shell, request()))
                .isInstanceOf(RemoteException.class)
                .hasMessageContaining("no job id");
    }

    @Test
    void invalidRequestRunsNothing() {
        Resources r = new Resources();
        r.setMemory("0");
        SubmitRequest bad = new SubmitRequest(identity(1), "/w", "/w/job.sh", "/w/out", "/w/err", r);

        assertThatThrownBy(() -> slurm.submit(shell, bad)).isInstanceOf(IllegalArgumentException.class);
        assertThat(shell.calls()).isEmpty();
    }

    // ---- findByIdentity -----------------------------------------------------------------------------------------

    @Test
    void findByIdentityMergesQueueAndAccountingAndFiltersByIdentity() throws RemoteException {
        JobIdentity me = identity(1);
        Instant since = Instant.parse("2026-11-23T09:00:00Z");
        shell.onOk("squeue", lines(Stream.of(
                        squeueLine("30", "RUNNING", me.token(), me.name()),
                        squeueLine("20", "COMPLETED", me.token(), me.name()))))
                .onOk("sacct", lines(Stream.of(
                        sacctLine("20", "COMPLETED", "0:0", me.token(), me.name(), "2026-11-23T09:30:00"),
                        sacctLine("30", "PENDING", "0:0", me.token(), me.name(), "2026-11-23T10:00:05"),
                        sacctLine("10", "FAILED", "1:0", me.token(), me.name(), "2026-11-23T08:59:59"), // before since
                        sacctLine("11", "FAILED", "1:0", "tok-other", me.name(), "2026-11-23T09:10:00"), // other attempt
                        sacctLine("12", "FAILED", "1:0", "", me.name(), "2026-11-23T09:20:00")))); // no comment stored

        List<JobObservation> found = slurm.findByIdentity(shell, me, since);

        assertThat(found).extracting(JobObservation::jobId).containsExactly("12", "20", "30");
        assertThat(found.get(1).fromAccounting()).isTrue(); // terminal accounting wins over the queue
        assertThat(found.get(2).fromAccounting()).isFalse(); // live queue wins over lagging accounting
        assertThat(found.get(2).state()).isEqualTo(RemoteState.RUNNING);
        assertThat(shell.callsTo("squeue").get(0)).contains("--name=" + me.name());
        assertThat(shell.callsTo("sacct").get(0)).contains("--name=" + me.name(), "--starttime=2026-11-22T09:00:00");
    }

    @Test
    void findByIdentityFindsNothing() throws RemoteException {
        shell.onOk("squeue", "").onOk("sacct", "");

        assertThat(slurm.findByIdentity(shell, identity(1), T0)).isEmpty();
    }

    @Test
    void findByIdentityThrowsWhenAccountingFails() {
        shell.onOk("squeue", "").on("sacct", error(1, "sacct: error: Problem talking to the database: Connection refused"));

        assertThatThrownBy(() -> slurm.findByIdentity(shell, identity(1), T0))
                .isInstanceOf(RemoteException.class)
                .hasMessageContaining("sacct");
    }

    @Test
    void findByIdentityWithoutAccountingUsesTheQueue() throws RemoteException {
        JobIdentity me = identity(1);
        shell.onOk("squeue", squeueLine("30", "PENDING", me.token(), me.name()))
                .on("sacct", error(1, "Slurm accounting storage is disabled"));

        assertThat(slurm.findByIdentity(shell, me, T0)).extracting(JobObservation::jobId).containsExactly("30");
    }

    @Test
    void findByIdentityThrowsWhenSqueueFails() {
        shell.on("squeue", error(1, "slurm_load_jobs error: Socket timed out on send/recv operation"));

        assertThatThrownBy(() -> slurm.findByIdentity(shell, identity(1), T0)).isInstanceOf(RemoteException.class);
    }

    // ---- cancel, version ----------------------------------------------------------------------------------------

    @Test
    void cancelInBatchesOf100() throws RemoteException {
        List<String> ids = IntStream.range(1, 251).mapToObj(Integer::toString).toList();
        shell.on("scancel", ok(""));

        slurm.cancel(shell, ids);

        List<List<String>> calls = shell.callsTo("scancel");
        assertThat(calls).hasSize(3);
        assertThat(calls).allSatisfy(c -> assertThat(c.size() - 1).isLessThanOrEqualTo(100));
        assertThat(calls.stream().flatMap(c -> c.stream().skip(1)).toList()).containsExactlyElementsOf(ids);
    }

    @Test
    void cancelOfNothingRunsNothing() throws RemoteException {
        slurm.cancel(shell, List.of());

        assertThat(shell.calls()).isEmpty();
    }

    @Test
    void cancelOfJobsAlreadyGoneIsFine() throws RemoteException {
        shell.on("scancel", error(1, "scancel: error: Kill job error on job id 5: Invalid job id specified\n"
                + "scancel: error: Kill job error on job id 6: Job/step already completing or completed\n"));

        slurm.cancel(shell, List.of("5", "6", "7"));

        assertThat(shell.callsTo("scancel")).hasSize(1);
    }

    @Test
    void cancelFailureThrows() {
        shell.on("scancel", error(1, "scancel: error: Kill job error on job id 5: Access/permission denied\n"));

        assertThatThrownBy(() -> slurm.cancel(shell, List.of("5")))
                .isInstanceOf(RemoteException.class)
                .hasMessageContaining("permission denied");
    }

    @Test
    void cancelRejectsOptionLikeIds() {
        assertThatThrownBy(() -> slurm.cancel(shell, List.of("--user=bob"))).isInstanceOf(IllegalArgumentException.class);
        assertThat(shell.calls()).isEmpty();
    }

    @Test
    void version() throws RemoteException {
        shell.onOk("sbatch", "slurm 22.05.8\n");

        assertThat(slurm.version(shell)).isEqualTo("22.05.8");
        assertThat(shell.calls()).containsExactly(List.of("sbatch", "--version"));
    }

    @Test
    void versionFailureThrows() {
        shell.on("sbatch", error(127, "bash: sbatch: command not found"));

        assertThatThrownBy(() -> slurm.version(shell)).isInstanceOf(RemoteException.class).hasMessageContaining("not found");
    }

    @Test
    void pollResultIsImmutable() throws RemoteException {
        shell.onOk("squeue", squeueLine(1, "RUNNING"));
        Map<String, JobObservation> jobs = slurm.poll(shell, List.of(tracked(1))).jobs();

        assertThatThrownBy(() -> jobs.put("x", null)).isInstanceOf(UnsupportedOperationException.class);
        Set<String> keys = jobs.keySet();
        assertThat(keys).containsExactly("1");
    }
}
