package io.hpcbridge.gateway.htcondor;

import io.hpcbridge.gateway.CommandResult;
import io.hpcbridge.gateway.FakeRemoteShell;
import io.hpcbridge.gateway.JobIdentity;
import io.hpcbridge.gateway.JobObservation;
import io.hpcbridge.gateway.Observed;
import io.hpcbridge.gateway.PollResult;
import io.hpcbridge.gateway.RemoteException;
import io.hpcbridge.gateway.RemoteOperation;
import io.hpcbridge.gateway.ResourceRequest;
import io.hpcbridge.gateway.SubmitOutcome;
import io.hpcbridge.gateway.SubmitRequest;
import io.hpcbridge.gateway.TrackedJob;
import io.hpcbridge.gateway.Transcript;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static io.hpcbridge.gateway.FakeRemoteShell.error;
import static io.hpcbridge.gateway.FakeRemoteShell.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HtcondorSchedulerTest {

    /** The installation of the captures on the real pool. */
    private static final String INSTALLATION = "hpcb-capture";
    private static final Instant T0 = Instant.ofEpochSecond(1796662500);
    private static final Pattern TERM = Pattern.compile("\\(ClusterId == (\\d+) && ProcId == (\\d+)\\)");

    private final HtcondorScheduler condor = new HtcondorScheduler(INSTALLATION);
    private final FakeRemoteShell shell = new FakeRemoteShell();

    // ---- helpers ----------------------------------------------------------------------------------------------

    private static Transcript real(String name) {
        return HtcondorOutputTest.real(name);
    }

    /** The first ad of a real transcript as a tracked job with the identity it was submitted with. */
    private static TrackedJob trackedFrom(String transcript, int index) throws RemoteException {
        Transcript t = real(transcript);
        HtcondorJobAd ad = HtcondorOutput.parseAds(t.stdout(), t.program()).get(index);
        return new TrackedJob(ad.jobId(), new JobIdentity(ad.name(), ad.attempt()), T0);
    }

    private static JobIdentity identity(int cluster) {
        return JobIdentity.of("ns", "task-" + cluster, "tok-" + cluster);
    }

    private static TrackedJob tracked(int cluster) {
        return new TrackedJob(cluster + ".0", identity(cluster), T0);
    }

    /** A synthetic ad in the real pool's shape. */
    private static String ad(int cluster, int status, String token, String extra) {
        return "{\"ClusterId\": " + cluster + ", \"ProcId\": 0, \"JobStatus\": " + status + ", \"QDate\": 1796662600,"
                + " \"NumJobStarts\": 1, \"ExitBySignal\": false, \"HpcBridgeInstance\": \"" + INSTALLATION + "\","
                + " \"HpcBridgeAttempt\": \"" + token + "\", \"HpcBridgeName\": \"hpcb.ns.task-" + cluster + "\"" + extra + "}";
    }

    private static String ad(int cluster, int status) {
        return ad(cluster, status, "tok-" + cluster, status == 4 ? ", \"ExitCode\": 0, \"CompletionDate\": 1796662700" : "");
    }

    private static String json(Stream<String> ads) {
        List<String> list = ads.toList();
        return list.isEmpty() ? "" : list.stream().collect(Collectors.joining("\n,\n", "[\n", "\n]\n"));
    }

    /** The job ids a condor_history command asks about. */
    static List<String> idsAsked(List<String> argv) {
        List<String> ids = new ArrayList<>();
        Matcher m = TERM.matcher(argv.get(argv.indexOf("-constraint") + 1));
        while (m.find()) {
            ids.add(m.group(1) + "." + m.group(2));
        }
        return ids;
    }

    /** A condor_history that answers "completed with exit 0" for every job it is asked about. */
    private static CommandResult historyCompletedForAsked(List<String> argv) {
        return ok(json(idsAsked(argv).stream().map(id -> ad(Integer.parseInt(id.substring(0, id.indexOf('.'))), 4))));
    }

    private static SubmitRequest request(String task, ResourceRequest r) {
        String dir = "/home/hpcuser/hpcb-work/ns/" + task;
        return new SubmitRequest(JobIdentity.of("ns", task, "tok-" + task), dir, dir + "/attempt.sh", dir + "/stdout",
                dir + "/stderr", r, false);
    }

    private static final ResourceRequest SMALL = new ResourceRequest(1, 1L << 30, Duration.ofHours(1), null, null, null, null,
            Map.of(), Map.of());

    // ---- version ----------------------------------------------------------------------------------------------

    @Test
    void versionFromTheRealPool() throws RemoteException {
        shell.on("condor_version", real("01-condor_version").result());
        assertThat(condor.version(shell)).isEqualTo("23.9.6");
        assertThat(shell.operations()).containsExactly(RemoteOperation.VERSION);
    }

    @Test
    void theInstallationMustBeAPlainWord() {
        assertThatThrownBy(() -> new HtcondorScheduler("a\" || true || \"")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("hpcbridge.installation");
        assertThat(new HtcondorScheduler("hpc-bridge").installation()).isEqualTo("hpc-bridge");
    }

    // ---- poll -------------------------------------------------------------------------------------------------

    @Test
    void pollOf300With50GoneRunsOneCondorQAndOneHistoryForThe50() throws RemoteException {
        List<TrackedJob> jobs = IntStream.range(1000, 1300).mapToObj(HtcondorSchedulerTest::tracked).toList();
        shell.onOk("condor_q", json(IntStream.range(1000, 1250).mapToObj(i -> ad(i, i % 2 == 0 ? 2 : 1))))
                .on("condor_history", HtcondorSchedulerTest::historyCompletedForAsked);

        PollResult result = condor.poll(shell, jobs);

        assertThat(shell.callsTo("condor_q")).hasSize(1);
        assertThat(shell.callsTo("condor_history")).hasSize(1);
        assertThat(shell.operations()).containsExactly(RemoteOperation.POLL, RemoteOperation.HISTORY);
        assertThat(shell.callsTo("condor_q").get(0)).isEqualTo(HtcondorCommands.queueAll(INSTALLATION));
        assertThat(idsAsked(shell.callsTo("condor_history").get(0)))
                .containsExactlyInAnyOrderElementsOf(IntStream.range(1250, 1300).mapToObj(i -> i + ".0").toList());
        assertThat(result.historyAnswered()).isTrue();
        assertThat(result.liveOwnedJobs()).isEqualTo(250);
        assertThat(result.jobs()).hasSize(300);
        for (int i = 1000; i < 1300; i++) {
            JobObservation o = result.jobs().get(i + ".0");
            if (i < 1250) {
                assertThat(o.fromHistory()).isFalse();
                assertThat(Observed.of(o)).isEqualTo(i % 2 == 0 ? "RUNNING" : "QUEUED");
            } else {
                assertThat(o.fromHistory()).isTrue();
                assertThat(o.succeeded()).isTrue();
            }
        }
    }

    @Test
    void pollOf450GoneRunsHistoryThreeTimesInChunksOfAtMost200() throws RemoteException {
        List<TrackedJob> jobs = IntStream.range(5000, 5450).mapToObj(HtcondorSchedulerTest::tracked).toList();
        shell.on("condor_q", real("20-q-no-match").result()).on("condor_history", HtcondorSchedulerTest::historyCompletedForAsked);

        PollResult result = condor.poll(shell, jobs);

        assertThat(shell.callsTo("condor_q")).hasSize(1);
        List<List<String>> history = shell.callsTo("condor_history");
        assertThat(history).hasSize(3);
        List<String> asked = new ArrayList<>();
        for (List<String> argv : history) {
            assertThat(idsAsked(argv)).hasSizeLessThanOrEqualTo(200);
            assertThat(argv.get(argv.indexOf("-limit") + 1)).isEqualTo(Integer.toString(idsAsked(argv).size()));
            asked.addAll(idsAsked(argv));
        }
        assertThat(asked).containsExactlyInAnyOrderElementsOf(jobs.stream().map(TrackedJob::jobId).toList());
        assertThat(new HashSet<>(asked)).hasSize(450);
        assertThat(result.jobs()).hasSize(450).allSatisfy((id, o) -> assertThat(o.fromHistory()).isTrue());
        assertThat(result.liveOwnedJobs()).isZero();
    }

    @Test
    void pollWithNoTrackedJobsCountsLiveJobsOfTheInstallation() throws RemoteException {
        shell.on("condor_q", real("29-q-several").result());

        PollResult result = condor.poll(shell, List.of());

        assertThat(result.jobs()).isEmpty();
        // 13 ads, one of them (31.0) being removed: 12 live.
        assertThat(result.liveOwnedJobs()).isEqualTo(12);
        assertThat(shell.operations()).containsExactly(RemoteOperation.POLL);
    }

    @Test
    void realQueueAndHistoryAnswers() throws RemoteException {
        TrackedJob held = trackedFrom("23-q-held", 0);
        TrackedJob exit0 = trackedFrom("30-h-exit0", 0);
        shell.on("condor_q", real("23-q-held").result()).on("condor_history", real("30-h-exit0").result());

        PollResult result = condor.poll(shell, List.of(held, exit0));

        assertThat(idsAsked(shell.callsTo("condor_history").get(0))).containsExactly("4.0");
        assertThat(Observed.of(result.jobs().get("28.0"))).isEqualTo("HELD");
        assertThat(result.jobs().get("28.0").hold().code()).isEqualTo(1);
        JobObservation done = result.jobs().get("4.0");
        assertThat(done.succeeded()).isTrue();
        assertThat(done.fromHistory()).isTrue();
        assertThat(done.endTime()).isEqualTo(Instant.ofEpochSecond(1796662580));
    }

    @Test
    void aJobRemovedInTheQueueIsConfirmedByHistory() throws RemoteException {
        TrackedJob removing = trackedFrom("27-q-removing", 0);
        shell.on("condor_q", real("27-q-removing").result()).on("condor_history", real("3c-h-removing-trap").result());

        PollResult result = condor.poll(shell, List.of(removing));

        assertThat(idsAsked(shell.callsTo("condor_history").get(0))).containsExactly("31.0");
        JobObservation o = result.jobs().get("31.0");
        assertThat(o.fromHistory()).isTrue();
        assertThat(Observed.of(o)).isEqualTo("ENDED:REMOVED_EXTERNALLY");
        assertThat(o.exitCode()).as("ExitCode 1 of a removed job is not an exit").isNull();
        assertThat(result.liveOwnedJobs()).isZero();
    }

    @Test
    void aJobRemovedInTheQueueKeepsTheQueueStateWhenHistoryHasNoRecordYet() throws RemoteException {
        TrackedJob removing = trackedFrom("27-q-removing", 0);
        shell.on("condor_q", real("27-q-removing").result()).on("condor_history", real("39-h-no-match").result());

        JobObservation o = condor.poll(shell, List.of(removing)).jobs().get("31.0");

        assertThat(o.fromHistory()).isFalse();
        assertThat(Observed.of(o)).isEqualTo("ENDED:REMOVED_EXTERNALLY");
    }

    @Test
    void anotherAttemptsAdUnderTheSameIdIsNotOurs() throws RemoteException {
        // After a spool wipe, 7.0 is somebody else's attempt: the queue's ad and the history's ad both carry another token.
        shell.onOk("condor_q", json(Stream.of(ad(7, 2, "tok-other", ""))))
                .onOk("condor_history", json(Stream.of(ad(7, 4, "tok-older", ", \"ExitCode\": 0"))));

        PollResult result = condor.poll(shell, List.of(tracked(7)));

        assertThat(result.jobs()).isEmpty();
        assertThat(idsAsked(shell.callsTo("condor_history").get(0))).containsExactly("7.0");
        assertThat(result.historyAnswered()).isTrue();
        assertThat(result.liveOwnedJobs()).isEqualTo(1);
    }

    @Test
    void historyFailureLeavesQueueStatesAndSaysHistoryDidNotAnswer() throws RemoteException {
        shell.onOk("condor_q", json(Stream.of(ad(1, 2))))
                .on("condor_history", error(1, "condor_history: failed to open history file: Permission denied\n"));
        List<TrackedJob> jobs = IntStream.range(1, 500).mapToObj(HtcondorSchedulerTest::tracked).toList();

        PollResult result = condor.poll(shell, jobs);

        assertThat(result.historyAnswered()).isFalse();
        assertThat(result.jobs()).containsOnlyKeys("1.0");
        // The history file is one: the first failure stops the other chunks.
        assertThat(shell.callsTo("condor_history")).hasSize(1);
    }

    @Test
    void garbledHistoryIsAnUnansweredHistoryNotAThrow() throws RemoteException {
        String truncated = real("3a-h-several").stdout().substring(0, 300);
        shell.on("condor_q", real("20-q-no-match").result()).onOk("condor_history", truncated);

        PollResult result = condor.poll(shell, List.of(tracked(4)));

        assertThat(result.historyAnswered()).isFalse();
        assertThat(result.jobs()).isEmpty();
    }

    @Test
    void queueFailuresThrowAndChangeNothing() {
        for (String name : List.of("40-schedd-down-condor_q", "47-schedd-hung-condor_q")) {
            FakeRemoteShell s = new FakeRemoteShell().on("condor_q", real(name).result());
            assertThatThrownBy(() -> condor.poll(s, List.of(tracked(4)))).isInstanceOf(RemoteException.class)
                    .hasMessageStartingWith("condor_q failed with exit status 1");
            assertThat(s.callsTo("condor_history")).isEmpty();
        }
        FakeRemoteShell garbled = new FakeRemoteShell().onOk("condor_q", real("29-q-several").stdout().substring(0, 500));
        assertThatThrownBy(() -> condor.poll(garbled, List.of(tracked(4)))).isInstanceOf(RemoteException.class)
                .hasMessageStartingWith("garbled condor_q output");
        FakeRemoteShell lost = new FakeRemoteShell().failing("condor_q", "channel closed");
        assertThatThrownBy(() -> condor.poll(lost, List.of())).isInstanceOf(RemoteException.class);
    }

    @Test
    void restartsComeFromNumJobStarts() throws RemoteException {
        TrackedJob t = trackedFrom("37-h-held-released-completed", 0);
        shell.on("condor_q", real("20-q-no-match").result()).on("condor_history", real("37-h-held-released-completed").result());
        assertThat(condor.poll(shell, List.of(t)).jobs().get("38.0").restarts()).isEqualTo(1);
    }

    @Test
    void invalidTrackedIdsAreNeverPutInACommand() throws RemoteException {
        shell.on("condor_q", real("20-q-no-match").result());
        TrackedJob bad = new TrackedJob("4.0 || true", identity(4), T0);
        PollResult result = condor.poll(shell, List.of(bad));
        assertThat(result.jobs()).isEmpty();
        assertThat(shell.callsTo("condor_history")).isEmpty();
    }

    // ---- findByIdentity ---------------------------------------------------------------------------------------

    @Test
    void findsAJobInHistoryByIdentity() throws RemoteException {
        TrackedJob t = trackedFrom("30-h-exit0", 0);
        shell.on("condor_q", real("20-q-no-match").result()).on("condor_history", real("30-h-exit0").result());

        List<JobObservation> found = condor.findByIdentity(shell, t.identity(), Instant.ofEpochSecond(1796662576));

        assertThat(found).extracting(JobObservation::jobId).containsExactly("4.0");
        assertThat(found.get(0).succeeded()).isTrue();
        assertThat(shell.operations()).containsExactly(RemoteOperation.FIND, RemoteOperation.FIND);
        assertThat(shell.callsTo("condor_q").get(0)).isEqualTo(HtcondorCommands.queueByIdentity(t.identity()));
        assertThat(shell.callsTo("condor_history").get(0)).isEqualTo(HtcondorCommands.historyByIdentity(t.identity()));
    }

    @Test
    void findMergesQueueAndHistorySortsByQueueTimeAndDropsOldOnes() throws RemoteException {
        JobIdentity id = identity(10);
        String queue = json(Stream.of(
                ad(12, 2, "tok-10", ", \"QDate\": 1796662900"),
                ad(11, 3, "tok-10", ", \"QDate\": 1796662800, \"RemoveReason\": \"via condor_rm (by user bob)\"")));
        String history = json(Stream.of(
                ad(11, 3, "tok-10", ", \"QDate\": 1796662800, \"RemoveReason\": \"hpc-bridge: stop (by user hpcuser)\""),
                ad(10, 4, "tok-10", ", \"QDate\": 1796662700, \"ExitCode\": 0"),
                // Two days before 'since': left out (one day of skew is allowed).
                ad(9, 4, "tok-10", ", \"QDate\": " + (1796662700 - 3 * 86400) + ", \"ExitCode\": 0"),
                // Another token (the constraint would not return it; checked again anyway).
                ad(8, 4, "tok-8", ", \"QDate\": 1796662750, \"ExitCode\": 0")));
        // JSON keys are unique: drop the helper's default QDate; all of them are attempt 10's jobs (same name).
        shell.onOk("condor_q", sameName(queue)).onOk("condor_history", sameName(history));

        List<JobObservation> found = condor.findByIdentity(shell, id, Instant.ofEpochSecond(1796662700 - 3600));

        assertThat(found).extracting(JobObservation::jobId).containsExactly("10.0", "11.0", "12.0");
        assertThat(Observed.of(found.get(1))).as("history is final for an ended job").isEqualTo("ENDED:CANCELLED");
        assertThat(found.get(1).fromHistory()).isTrue();
        assertThat(Observed.of(found.get(2))).isEqualTo("RUNNING");
    }

    private static String sameName(String ads) {
        return ads.replace("\"QDate\": 1796662600,", "").replaceAll("hpcb\\.ns\\.task-(9|11|12)\"", "hpcb.ns.task-10\"");
    }

    @Test
    void findThrowsWhenEitherSourceFails() {
        JobIdentity id = identity(1);
        FakeRemoteShell historyDown = new FakeRemoteShell().on("condor_q", real("20-q-no-match").result())
                .on("condor_history", error(1, "condor_history: Failed to open history file\n"));
        assertThatThrownBy(() -> condor.findByIdentity(historyDown, id, T0)).isInstanceOf(RemoteException.class)
                .hasMessageContaining("condor_history");
        FakeRemoteShell queueDown = new FakeRemoteShell().on("condor_q", real("40-schedd-down-condor_q").result())
                .on("condor_history", real("39-h-no-match").result());
        assertThatThrownBy(() -> condor.findByIdentity(queueDown, id, T0)).isInstanceOf(RemoteException.class)
                .hasMessageContaining("condor_q");
        FakeRemoteShell garbled = new FakeRemoteShell().on("condor_q", real("20-q-no-match").result())
                .onOk("condor_history", "[\n{\n  \"ClusterId\": 4,\n");
        assertThatThrownBy(() -> condor.findByIdentity(garbled, id, T0)).isInstanceOf(RemoteException.class);
        assertThatThrownBy(() -> condor.findByIdentity(new FakeRemoteShell(), new JobIdentity("a b", "t"), T0))
                .isInstanceOf(RemoteException.class).hasMessageContaining("identity.name");
    }

    // ---- cancel -----------------------------------------------------------------------------------------------

    @Test
    void cancelOfGoneOrAlreadyRemovedJobsIsDone() throws RemoteException {
        for (String name : List.of("74-rm-not-found", "77-rm-already-gone", "71-rm-already-removing", "75-rm-totals", "70-rm-one")) {
            FakeRemoteShell s = new FakeRemoteShell().on("condor_rm", real(name).result());
            condor.cancel(s, List.of("44.0"));
            assertThat(s.operations()).containsExactly(RemoteOperation.CANCEL);
            assertThat(s.callsTo("condor_rm").get(0)).containsExactly("condor_rm", "-reason", "hpc-bridge: stop", "44.0");
        }
    }

    @Test
    void cancelThrowsWhenTheScheddIsDownOrHung() {
        shell.on("condor_rm", real("42-schedd-down-condor_rm").result());
        assertThatThrownBy(() -> condor.cancel(shell, List.of("2.0"))).isInstanceOf(RemoteException.class)
                .hasMessageContaining("Can't find address for schedd");
        // A hung schedd: "not found" for a job that exists, next to a SECMAN error. Not a benign answer.
        FakeRemoteShell hung = new FakeRemoteShell().on("condor_rm", real("49-schedd-hung-condor_rm").result());
        assertThatThrownBy(() -> condor.cancel(hung, List.of("54.0"))).isInstanceOf(RemoteException.class)
                .hasMessageContaining("SECMAN");
    }

    @Test
    void cancelOf250RunsThreeCommands() throws RemoteException {
        shell.on("condor_rm", argv -> ok(argv.subList(3, argv.size()).stream().map(id -> "Job " + id + " marked for removal\n")
                .collect(Collectors.joining())));
        condor.cancel(shell, IntStream.range(0, 250).mapToObj(i -> "9." + i).toList());
        assertThat(shell.callsTo("condor_rm")).extracting(c -> c.size() - 3).containsExactly(100, 100, 50);
        assertThatThrownBy(() -> condor.cancel(shell, List.of("9"))).isInstanceOf(RemoteException.class);
    }

    // ---- submit -----------------------------------------------------------------------------------------------

    @Test
    void aBatchOfThreeIsOneUploadAndOneCondorSubmit() {
        shell.onOk("condor_submit", "8.0 - 8.2\n");
        List<SubmitRequest> batch = List.of(request("a", SMALL), request("b", SMALL), request("c", SMALL));

        List<SubmitOutcome> outcomes = condor.submit(shell, batch);

        assertThat(outcomes).containsExactly(new SubmitOutcome.Submitted("8.0"), new SubmitOutcome.Submitted("8.1"),
                new SubmitOutcome.Submitted("8.2"));
        String path = "/home/hpcuser/hpcb-work/ns/a/job.sub";
        assertThat(shell.calls()).containsExactly(List.of("<upload>", path, "644"), List.of("condor_submit", "-terse", path));
        assertThat(shell.operations()).containsExactly(RemoteOperation.SUBMIT);
        String description = shell.file(path);
        assertThat(description.lines().filter(l -> l.equals("queue")).count()).isEqualTo(3);
        assertThat(description).contains("MY.HpcBridgeAttempt = \"tok-a\"", "MY.HpcBridgeAttempt = \"tok-c\"",
                "MY.HpcBridgeInstance = \"hpcb-capture\"", "request_memory = 1024", "allowed_job_duration = 3600");
    }

    @Test
    void realSubmitAnswers() {
        shell.on("condor_submit", real("10-submit-terse").result());
        assertThat(condor.submit(shell, List.of(request("a", SMALL)))).containsExactly(new SubmitOutcome.Submitted("4.0"));

        // Two jobs, with condor_submit's deprecation warning on stderr.
        FakeRemoteShell two = new FakeRemoteShell().on("condor_submit", real("11-submit-two-queue").result());
        assertThat(condor.submit(two, List.of(request("a", SMALL), request("b", SMALL))))
                .containsExactly(new SubmitOutcome.Submitted("8.0"), new SubmitOutcome.Submitted("8.1"));

        FakeRemoteShell down = new FakeRemoteShell().on("condor_submit", real("12-submit-schedd-down").result());
        assertThat(condor.submit(down, List.of(request("a", SMALL), request("b", SMALL))))
                .hasSize(2).allSatisfy(o -> assertThat(o).isInstanceOf(SubmitOutcome.TryLater.class));

        FakeRemoteShell syntax = new FakeRemoteShell().on("condor_submit", real("13-submit-syntax-error").result());
        assertThat(condor.submit(syntax, List.of(request("a", SMALL)))).singleElement()
                .isInstanceOfSatisfying(SubmitOutcome.Rejected.class, r -> assertThat(r.message()).contains("Failed to parse command file"));

        FakeRemoteShell req = new FakeRemoteShell().on("condor_submit", real("14-submit-bad-requirements").result());
        assertThat(condor.submit(req, List.of(request("a", SMALL)))).singleElement().isInstanceOf(SubmitOutcome.Rejected.class);
    }

    @Test
    void ambiguousSubmitsAreUnconfirmedNeverThrown() {
        FakeRemoteShell commit = new FakeRemoteShell().on("condor_submit",
                error(1, "\nERROR: Failed to commit job submission into the queue.\n"));
        assertThat(condor.submit(commit, List.of(request("a", SMALL), request("b", SMALL))))
                .hasSize(2).allSatisfy(o -> assertThat(o).isInstanceOf(SubmitOutcome.Unconfirmed.class));

        FakeRemoteShell lost = new FakeRemoteShell().failing("condor_submit", "channel closed");
        assertThat(condor.submit(lost, List.of(request("a", SMALL)))).singleElement().isInstanceOf(SubmitOutcome.Unconfirmed.class);

        // Two ids for three jobs: which got which is unknown.
        FakeRemoteShell shortAnswer = new FakeRemoteShell().onOk("condor_submit", "8.0 - 8.1\n");
        assertThat(condor.submit(shortAnswer, List.of(request("a", SMALL), request("b", SMALL), request("c", SMALL))))
                .hasSize(3).allSatisfy(o -> assertThat(o).isInstanceOf(SubmitOutcome.Unconfirmed.class));

        FakeRemoteShell garbled = new FakeRemoteShell().onOk("condor_submit", "Submitting job(s).\n1 job(s) submitted to cluster 4.\n");
        assertThat(condor.submit(garbled, List.of(request("a", SMALL)))).singleElement().isInstanceOf(SubmitOutcome.Unconfirmed.class);
    }

    @Test
    void anInvalidRequestIsRejectedAloneWithoutTouchingTheShell() {
        shell.onOk("condor_submit", "30.0 - 30.1\n");
        ResourceRequest bad = new ResourceRequest(0, 1L << 30, Duration.ofHours(1), null, null, null, null, Map.of(), Map.of());

        List<SubmitOutcome> outcomes = condor.submit(shell, List.of(request("a", SMALL), request("b", bad), request("c", SMALL)));

        assertThat(outcomes.get(0)).isEqualTo(new SubmitOutcome.Submitted("30.0"));
        assertThat(outcomes.get(1)).isInstanceOfSatisfying(SubmitOutcome.Rejected.class,
                r -> assertThat(r.message()).contains("resources.cpus"));
        assertThat(outcomes.get(2)).isEqualTo(new SubmitOutcome.Submitted("30.1"));
        assertThat(shell.callsTo("condor_submit")).hasSize(1);
        assertThat(shell.file("/home/hpcuser/hpcb-work/ns/a/job.sub")).doesNotContain("tok-b").contains("tok-a", "tok-c");

        FakeRemoteShell untouched = new FakeRemoteShell();
        assertThat(condor.submit(untouched, List.of(request("b", bad)))).singleElement().isInstanceOf(SubmitOutcome.Rejected.class);
        assertThat(untouched.calls()).isEmpty();
    }

    @Test
    void requestsOfAnotherShapeGoInAnotherFile() {
        int[] cluster = {40};
        shell.on("condor_submit", argv -> ok((cluster[0]++) + ".0 - " + (cluster[0] - 1) + ".0\n"));
        ResourceRequest gpu = new ResourceRequest(1, 1L << 30, Duration.ofHours(1), 1, null, null, null, Map.of(), Map.of());

        List<SubmitOutcome> outcomes = condor.submit(shell, List.of(request("a", SMALL), request("b", gpu)));

        assertThat(outcomes).containsExactly(new SubmitOutcome.Submitted("40.0"), new SubmitOutcome.Submitted("41.0"));
        assertThat(shell.callsTo("condor_submit")).extracting(c -> c.get(2))
                .containsExactly("/home/hpcuser/hpcb-work/ns/a/job.sub", "/home/hpcuser/hpcb-work/ns/b/job.sub");
    }
}
