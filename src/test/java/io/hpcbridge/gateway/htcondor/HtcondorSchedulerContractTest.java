package io.hpcbridge.gateway.htcondor;

import io.hpcbridge.gateway.BatchScheduler;
import io.hpcbridge.gateway.BatchSchedulerContract;
import io.hpcbridge.gateway.FakeRemoteShell;
import io.hpcbridge.gateway.JobIdentity;
import io.hpcbridge.gateway.RemoteException;
import io.hpcbridge.gateway.TrackedJob;
import io.hpcbridge.gateway.Transcript;

import java.util.List;
import java.util.stream.IntStream;

import static io.hpcbridge.gateway.FakeRemoteShell.error;
import static io.hpcbridge.gateway.FakeRemoteShell.ok;

/** The port's contract, scripted with answers captured on a real HTCondor 23.9.6 pool. */
class HtcondorSchedulerContractTest extends BatchSchedulerContract {

    private final HtcondorScheduler condor = new HtcondorScheduler("hpcb-capture");

    private static Transcript real(String name) {
        return HtcondorOutputTest.real(name);
    }

    /** A history scenario: the job as submitted (its real id and identity), queue empty, history from the transcript. */
    private static Scenario fromHistory(String transcript) {
        Transcript t = real(transcript);
        try {
            HtcondorJobAd ad = HtcondorOutput.parseAds(t.stdout(), t.program()).get(0);
            TrackedJob job = new TrackedJob(ad.jobId(), new JobIdentity(ad.name(), ad.attempt()), T0);
            return new Scenario(job, s -> s.on("condor_q", real("20-q-no-match").result()).on("condor_history", t.result()));
        } catch (RemoteException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    protected BatchScheduler adapter() {
        return condor;
    }

    @Override
    protected void scriptVersion(FakeRemoteShell shell) {
        shell.on("condor_version", real("01-condor_version").result());
    }

    @Override
    protected String expectedVersion() {
        return "23.9.6";
    }

    @Override
    protected void scriptSubmitAccepted(FakeRemoteShell shell, int jobs) {
        // 10-submit-terse (4.0 - 4.0) and 11-submit-two-queue (8.0 - 8.1) are the real shapes; three procs likewise.
        shell.on("condor_submit", switch (jobs) {
            case 1 -> real("10-submit-terse").result();
            case 2 -> real("11-submit-two-queue").result();
            default -> ok("8.0 - 8." + (jobs - 1) + "\n");
        });
    }

    @Override
    protected List<String> expectedSubmittedIds(int jobs) {
        return jobs == 1 ? List.of("4.0") : IntStream.range(0, jobs).mapToObj(i -> "8." + i).toList();
    }

    @Override
    protected void scriptSubmitRefused(FakeRemoteShell shell) {
        shell.on("condor_submit", real("14-submit-bad-requirements").result());
    }

    @Override
    protected void scriptEmptyQueue(FakeRemoteShell shell) {
        shell.on("condor_q", real("20-q-no-match").result());
    }

    @Override
    protected void scriptQueueFailure(FakeRemoteShell shell) {
        shell.on("condor_q", real("40-schedd-down-condor_q").result());
    }

    @Override
    protected void scriptQueueGarbled(FakeRemoteShell shell) {
        String full = real("29-q-several").stdout();
        shell.onOk("condor_q", full.substring(0, full.length() / 3));
    }

    @Override
    protected void scriptEmptyHistory(FakeRemoteShell shell) {
        shell.on("condor_history", real("39-h-no-match").result());
    }

    @Override
    protected Scenario completedWithExit0() {
        return fromHistory("30-h-exit0");
    }

    @Override
    protected Scenario completedWithExit3() {
        return fromHistory("31-h-exit3");
    }

    @Override
    protected Scenario killedBySignal() {
        return fromHistory("32-h-kill9");
    }

    @Override
    protected int expectedSignal() {
        return 9;
    }

    @Override
    protected Scenario cancelled() {
        return fromHistory("35-h-rm-reason");
    }

    @Override
    protected TrackedJob trackedJob(int i) {
        return new TrackedJob((100 + i) + ".0", JobIdentity.of("ns", "task-" + i, "tok-" + i), T0);
    }

    @Override
    protected List<String> jobsNamedInHistoryCommand(List<String> argv) {
        return HtcondorSchedulerTest.idsAsked(argv);
    }

    @Override
    protected void scriptFindWithHistoryFailure(FakeRemoteShell shell) {
        shell.on("condor_q", real("20-q-no-match").result())
                .on("condor_history", error(1, "condor_history: Failed to open history file\n"));
    }

    @Override
    protected void scriptCancelOfGoneJob(FakeRemoteShell shell) {
        shell.on("condor_rm", real("77-rm-already-gone").result());
    }

    @Override
    protected String goneJobId() {
        return "44.0";
    }
}
