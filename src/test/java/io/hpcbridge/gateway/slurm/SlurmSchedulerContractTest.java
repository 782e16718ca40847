package io.hpcbridge.gateway.slurm;

import io.hpcbridge.gateway.BatchScheduler;
import io.hpcbridge.gateway.BatchSchedulerContract;
import io.hpcbridge.gateway.FakeRemoteShell;
import io.hpcbridge.gateway.JobIdentity;
import io.hpcbridge.gateway.TrackedJob;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static io.hpcbridge.gateway.FakeRemoteShell.error;
import static io.hpcbridge.gateway.FakeRemoteShell.ok;

/** The port's contract, scripted with the Slurm lines of SlurmOutputTest and SlurmSchedulerTest. */
class SlurmSchedulerContractTest extends BatchSchedulerContract {

    private static final JobIdentity ID = new JobIdentity("hpcb.ns.a", "tok-1");

    private final SlurmScheduler slurm = new SlurmScheduler();

    /** A job that left the queue; sacct's allocation line for it (SlurmOutputTest's sacct rows). */
    private static Scenario fromSacct(String line) {
        return new Scenario(new TrackedJob("200", ID, T0), s -> s.onOk("squeue", "").onOk("sacct", line + "\n"));
    }

    private static String sacct(String state, String exit) {
        return "200|" + state + "|" + exit + "|2026-11-23T11:00:00|2026-11-23T11:01:00|2026-11-23T11:02:00|00:01:00||c1|None|tok-1|hpcb.ns.a";
    }

    @Override
    protected BatchScheduler adapter() {
        return slurm;
    }

    @Override
    protected void scriptVersion(FakeRemoteShell shell) {
        shell.onOk("sbatch", "slurm 22.05.8\n");
    }

    @Override
    protected String expectedVersion() {
        return "22.05.8";
    }

    @Override
    protected void scriptSubmitAccepted(FakeRemoteShell shell, int jobs) {
        // One sbatch per job; --parsable prints the id.
        AtomicInteger next = new AtomicInteger(12345);
        shell.on("sbatch", argv -> ok(next.getAndIncrement() + "\n"));
    }

    @Override
    protected List<String> expectedSubmittedIds(int jobs) {
        return IntStream.range(0, jobs).mapToObj(i -> Integer.toString(12345 + i)).toList();
    }

    @Override
    protected void scriptSubmitRefused(FakeRemoteShell shell) {
        shell.on("sbatch", error(1,
                "sbatch: error: Batch job submission failed: Invalid account or account/partition combination specified\n"));
    }

    @Override
    protected void scriptEmptyQueue(FakeRemoteShell shell) {
        shell.onOk("squeue", "");
    }

    @Override
    protected void scriptQueueFailure(FakeRemoteShell shell) {
        shell.on("squeue", error(1, "slurm_load_jobs error: Unable to contact slurm controller (connect failure)\n"));
    }

    @Override
    protected void scriptQueueGarbled(FakeRemoteShell shell) {
        shell.onOk("squeue", "101|RUNNING|None|2026-11-23T11:22:33\n");
    }

    @Override
    protected void scriptEmptyHistory(FakeRemoteShell shell) {
        shell.onOk("sacct", "");
    }

    @Override
    protected Scenario completedWithExit0() {
        return fromSacct(sacct("COMPLETED", "0:0"));
    }

    @Override
    protected Scenario completedWithExit3() {
        return fromSacct(sacct("FAILED", "3:0"));
    }

    @Override
    protected Scenario killedBySignal() {
        return fromSacct(sacct("FAILED", "0:9"));
    }

    @Override
    protected int expectedSignal() {
        return 9;
    }

    @Override
    protected Scenario cancelled() {
        return fromSacct(sacct("CANCELLED by 1001", "0:15"));
    }

    @Override
    protected TrackedJob trackedJob(int i) {
        return new TrackedJob(Integer.toString(5000 + i), JobIdentity.of("ns", "task-" + i, "tok-" + i), T0);
    }

    @Override
    protected List<String> jobsNamedInHistoryCommand(List<String> argv) {
        String jobs = argv.stream().filter(a -> a.startsWith("--jobs=")).findFirst().orElseThrow();
        return List.of(jobs.substring("--jobs=".length()).split(","));
    }

    @Override
    protected void scriptFindWithHistoryFailure(FakeRemoteShell shell) {
        shell.onOk("squeue", "").on("sacct", error(1, "sacct: error: Problem talking to the database: Connection refused\n"));
    }

    @Override
    protected void scriptCancelOfGoneJob(FakeRemoteShell shell) {
        shell.on("scancel", error(1, "scancel: error: Kill job error on job id 5: Invalid job id specified\n"));
    }

    @Override
    protected String goneJobId() {
        return "5";
    }
}
