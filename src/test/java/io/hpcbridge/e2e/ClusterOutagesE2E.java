package io.hpcbridge.e2e;

import static io.hpcbridge.e2e.GatewayFaultsE2E.await;
import static io.hpcbridge.e2e.GatewayFaultsE2E.campaign;
import static io.hpcbridge.e2e.GatewayFaultsE2E.conditionOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.fabric8.kubernetes.api.model.Condition;
import io.hpcbridge.api.v1alpha1.AttemptPhase;
import io.hpcbridge.api.v1alpha1.Campaign;
import io.hpcbridge.api.v1alpha1.CampaignPhase;
import io.hpcbridge.api.v1alpha1.HpcCluster;
import io.hpcbridge.api.v1alpha1.TaskAttempt;

/**
 * Gateway acceptance 3 and 4 of issue 3: the stack's own daemons are stopped under a live campaign. slurmdbd first
 * (jobs end while accounting is down), then the login node's sshd for two minutes (every connection cut). Both
 * disturb everything on the cluster, so they run one after the other, and each restores its daemon in a finally.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterOutagesE2E {
    private static final Duration POLL = Duration.ofSeconds(5);

    private static TestNamespace ns;
    private static LoginNode login;
    private static StackEnv env;

    @BeforeAll
    static void setUp() {
        OperatorProcess.shared();
        env = StackEnv.load();
        login = LoginNode.fromStack();
        ns = TestNamespace.create("e2e-out");
    }

    @AfterAll
    static void cleanUp() throws Exception {
        // Whatever happened, the stack is left whole.
        ensureRunning("slurmdbd");
        ensureRunning("sshd");
        if (ns != null) {
            String prefix = "hpcb." + ns.name() + ".";
            login.exec("ids=$(/usr/bin/squeue --me -h -o '%i %j' | awk 'index($2, \"" + prefix
                    + "\") == 1 {print $1}'); [ -z \"$ids\" ] || /usr/bin/scancel $ids");
            ns.close();
        }
    }

    /**
     * Acceptance 4: jobs end while slurmdbd is down. Their attempts never end on a guess: they are Settling, or end
     * from the job's exit-code file with the right code; once accounting is back, all end with the right codes and
     * sacct agrees.
     */
    @Test
    @Order(1)
    void jobsEndingWhileAccountingIsDownEndWithTheirRealExitCodes() throws Exception {
        Map<String, Integer> expected = Map.of("acct-zero-1", 0, "acct-three-1", 3);
        ns.kubectl().apply(campaign("acct", "local-slurm", "5m",
                new LinkedHashMap<>(Map.of("zero", "sleep 25\nexit 0", "three", "sleep 25\nexit 3")))).orFail();
        List<TaskAttempt> running = await("both acct attempts Running", Duration.ofSeconds(120), () -> {
            List<TaskAttempt> all = attempts("acct");
            return all.size() == 2 && all.stream().allMatch(a -> a.getStatus() != null && a.getStatus().getPhase() == AttemptPhase.Running)
                    ? Optional.of(all) : Optional.empty();
        });
        Map<String, String> jobs = running.stream().collect(Collectors.toMap(a -> a.getMetadata().getName(), a -> a.getStatus().getJobId()));

        stop("slurmdbd");
        Instant stoppedAt = Instant.now();
        List<String> trail = new ArrayList<>();
        try {
            LoginNode.Result sacct = login.exec("/usr/bin/sacct -X -n -j " + String.join(",", jobs.values()));
            System.out.printf("[out] slurmdbd stopped; sacct now exits %d: %s%n", sacct.exitCode(), sacct.stderr().strip());
            // Until both jobs have left the queue, and then five more polls with accounting still down.
            Instant leftQueue = null;
            while (leftQueue == null || Instant.now().isBefore(leftQueue.plus(POLL.multipliedBy(5)))) {
                assertThat(Duration.between(stoppedAt, Instant.now())).as("jobs did not leave the queue; %s", trail).isLessThan(Duration.ofSeconds(120));
                if (leftQueue == null) {
                    String q = login.exec("/usr/bin/squeue --me -h -o '%i'").stdout();
                    if (jobs.values().stream().noneMatch(id -> q.lines().anyMatch(id::equals))) {
                        leftQueue = Instant.now();
                    }
                }
                for (TaskAttempt a : attempts("acct")) {
                    String name = a.getMetadata().getName();
                    var s = a.getStatus();
                    note(trail, stoppedAt, name + " " + s.getPhase() + "/" + s.getReason() + " exit=" + s.getExitCode());
                    if (s.getPhase().isTerminal()) {
                        // Only the exit-code file may end it while accounting is down, and with the script's code.
                        assertThat(s.getMessage()).as("%s ended while accounting was down; trail %s", name, trail).contains("exit-code file");
                        assertThat(s.getExitCode()).as("%s exit code; trail %s", name, trail).isEqualTo(expected.get(name));
                        assertThat(s.getPhase()).isEqualTo(expected.get(name) == 0 ? AttemptPhase.Succeeded : AttemptPhase.Failed);
                    } else {
                        assertThat(s.getPhase()).as("%s while accounting is down; trail %s", name, trail)
                                .isIn(AttemptPhase.Running, AttemptPhase.Settling);
                    }
                }
                Thread.sleep(1000);
            }
            System.out.println("[out] slurmdbd down: " + trail);
        } finally {
            start("slurmdbd");
        }
        Instant restartedAt = Instant.now();

        List<TaskAttempt> ended = await("acct attempts end after slurmdbd returns", Duration.ofSeconds(120), () -> {
            List<TaskAttempt> all = attempts("acct");
            all.forEach(a -> note(trail, stoppedAt, a.getMetadata().getName() + " " + a.getStatus().getPhase() + "/" + a.getStatus().getReason()
                    + " exit=" + a.getStatus().getExitCode()));
            return all.stream().allMatch(a -> a.getStatus().getPhase().isTerminal()) ? Optional.of(all) : Optional.empty();
        });
        System.out.printf("[out] after slurmdbd returned (%d s after the stop): %s%n", Duration.between(stoppedAt, restartedAt).toSeconds(), trail);
        for (TaskAttempt a : ended) {
            String name = a.getMetadata().getName();
            System.out.printf("[out] %s: %s/%s exit=%s: %s%n", name, a.getStatus().getPhase(), a.getStatus().getReason(), a.getStatus().getExitCode(),
                    a.getStatus().getMessage());
            assertThat(a.getStatus().getExitCode()).as(name).isEqualTo(expected.get(name));
            assertThat(a.getStatus().getPhase()).as(name).isEqualTo(expected.get(name) == 0 ? AttemptPhase.Succeeded : AttemptPhase.Failed);
            assertThat(a.getStatus().getReason()).as(name).isEqualTo(expected.get(name) == 0 ? "Completed" : "NonZeroExit");
        }
        // Accounting, once it has caught up, agrees with the attempts.
        Map<String, String> sacctWant = Map.of(jobs.get("acct-zero-1"), "COMPLETED|0:0", jobs.get("acct-three-1"), "FAILED|3:0");
        List<String> sacctSeen = new ArrayList<>();
        await("sacct agrees", Duration.ofSeconds(90), () -> {
            Map<String, String> now = sacctWant.keySet().stream().collect(Collectors.toMap(id -> id, login::sacctStateAndExit));
            sacctSeen.add(now.toString());
            return now.equals(sacctWant) ? Optional.of(now) : Optional.empty();
        });
        System.out.println("[out] sacct after restart: " + sacctSeen.stream().distinct().toList());
        Campaign acct = ns.get("campaign", "acct", Campaign.class);
        assertThat(acct.getStatus().getTasks().getSucceeded()).isEqualTo(1);
        assertThat(acct.getStatus().getTasks().getFailed()).isEqualTo(1);
    }

    /**
     * Acceptance 3: sshd is stopped (with every open connection) for two minutes in the middle of a campaign. No
     * attempt changes phase during the outage, even one whose job ends meanwhile; Reachable=False appears within three
     * polls (plus the reconnect), the campaign says so; after sshd returns the cluster is Reachable again and the
     * campaign completes.
     */
    @Test
    @Order(2)
    void sshdOutageChangesNoPhaseMarksTheClusterUnreachableAndTheCampaignCompletesAfterwards() throws Exception {
        Map<String, String> tasks = new LinkedHashMap<>();
        tasks.put("long-a", "sleep 160");
        tasks.put("long-b", "sleep 160");
        tasks.put("long-c", "sleep 160");
        // Ends during the outage: its end may only be learnt after sshd returns.
        tasks.put("short", "sleep 45");
        ns.kubectl().apply(campaign("outage", "local-slurm", "10m", tasks)).orFail();
        List<TaskAttempt> running = await("all outage attempts Running", Duration.ofSeconds(120), () -> {
            List<TaskAttempt> all = attempts("outage");
            return all.size() == tasks.size() && all.stream().allMatch(a -> a.getStatus() != null && a.getStatus().getPhase() == AttemptPhase.Running)
                    ? Optional.of(all) : Optional.empty();
        });
        Map<String, AttemptPhase> before = running.stream().collect(Collectors.toMap(a -> a.getMetadata().getName(), a -> a.getStatus().getPhase()));
        Map<String, String> rvBefore = running.stream().collect(Collectors.toMap(a -> a.getMetadata().getName(), a -> a.getMetadata().getResourceVersion()));
        assertThat(reachable("local-slurm").getStatus()).isEqualTo("True");

        Instant down = stopSshdWithConnections();
        Instant unreachableAt = null;
        Instant campaignSawItAt = null;
        List<String> clusterTrail = new ArrayList<>();
        int samples = 0;
        try {
            assertThat(login.exec("true").ok()).as("the login node must refuse ssh during the outage").isFalse();
            while (Duration.between(down, Instant.now()).compareTo(Duration.ofMinutes(2)) < 0) {
                samples++;
                for (TaskAttempt a : attempts("outage")) {
                    assertThat(a.getStatus().getPhase())
                            .as("%s's phase %s s into the sshd outage (status %s)", a.getMetadata().getName(),
                                    Duration.between(down, Instant.now()).toSeconds(), a.getStatus().getMessage())
                            .isEqualTo(before.get(a.getMetadata().getName()));
                }
                Condition r = reachable("local-slurm");
                note(clusterTrail, down, "local-slurm " + r.getStatus() + "/" + r.getReason());
                if (unreachableAt == null && "False".equals(r.getStatus())) {
                    unreachableAt = Instant.now();
                    System.out.printf("[out] Reachable=False %d ms after sshd stopped: %s: %s%n", Duration.between(down, unreachableAt).toMillis(),
                            r.getReason(), r.getMessage());
                }
                if (campaignSawItAt == null) {
                    Optional<Condition> c = conditionOf(ns.get("campaign", "outage", Campaign.class).getStatus().getConditions(), "ClusterReachable");
                    if (c.isPresent() && "False".equals(c.get().getStatus())) {
                        campaignSawItAt = Instant.now();
                        System.out.printf("[out] campaign ClusterReachable=False %d ms after sshd stopped: %s%n",
                                Duration.between(down, campaignSawItAt).toMillis(), c.get().getMessage());
                    }
                }
                if (unreachableAt == null) {
                    assertThat(Duration.between(down, Instant.now())).as("Reachable=False within three polls plus reconnect; trail %s", clusterTrail)
                            .isLessThanOrEqualTo(POLL.multipliedBy(3).plusSeconds(20));
                }
                Thread.sleep(2000);
            }
        } finally {
            startSshd();
        }
        Instant up = Instant.now();
        System.out.printf("[out] sshd outage %d s, %d samples of every attempt's phase; cluster: %s%n", Duration.between(down, up).toSeconds(), samples,
                clusterTrail);
        assertThat(unreachableAt).as("Reachable=False during the outage; trail %s", clusterTrail).isNotNull();
        assertThat(campaignSawItAt).as("campaign ClusterReachable=False during the outage").isNotNull();
        assertThat(Duration.between(down, campaignSawItAt)).isLessThanOrEqualTo(POLL.multipliedBy(3).plusSeconds(25));
        // No phase changed, and no status was written either (the resourceVersion of each attempt is unchanged).
        for (TaskAttempt a : attempts("outage")) {
            String name = a.getMetadata().getName();
            if (a.getStatus().getPhase() == before.get(name)) {
                assertThat(a.getMetadata().getResourceVersion()).as("%s written during the outage", name).isEqualTo(rvBefore.get(name));
            }
        }

        // Reconnects back off exponentially (capped at 5 minutes, LoginNodeShell.MAX_BACKOFF): after a two-minute outage
        // the next attempt may come about two minutes after sshd is back. No bound beyond the cap is asserted.
        HpcCluster back = await("local-slurm Reachable=True after sshd returns", Duration.ofSeconds(330), () -> Optional.of(ns.get("hpcc", "local-slurm", HpcCluster.class))
                .filter(c -> conditionOf(c.getStatus().getConditions(), "Reachable").map(x -> "True".equals(x.getStatus())).orElse(false)));
        System.out.printf("[out] Reachable=True again %d s after sshd returned%n", Duration.between(up, Instant.now()).toSeconds());
        assertThat(back.getStatus().getActiveLoginNode()).isNotNull();

        Campaign done = await("campaign outage completes", Duration.ofSeconds(240), () -> Optional.of(ns.get("campaign", "outage", Campaign.class))
                .filter(c -> c.getStatus() != null && c.getStatus().getPhase() != null && c.getStatus().getPhase().isTerminal()));
        System.out.printf("[out] campaign outage %s %d s after sshd returned%n", done.getStatus().getPhase(), Duration.between(up, Instant.now()).toSeconds());
        assertThat(done.getStatus().getPhase()).isEqualTo(CampaignPhase.Succeeded);
        assertThat(conditionOf(done.getStatus().getConditions(), "ClusterReachable").map(Condition::getStatus)).contains("True");
        for (TaskAttempt a : attempts("outage")) {
            assertThat(a.getStatus().getPhase()).isEqualTo(AttemptPhase.Succeeded);
            assertThat(a.getStatus().getExitCode()).isZero();
            assertThat(login.sacctStateAndExit(a.getStatus().getJobId())).isEqualTo("COMPLETED|0:0");
        }
        assertThat(attempts("outage")).as("one attempt per task: nothing was resubmitted").hasSize(tasks.size());
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static List<TaskAttempt> attempts(String campaign) {
        return ns.list("hatt", "hpcbridge.io/campaign=" + campaign, TaskAttempt.class);
    }

    private static Condition reachable(String cluster) {
        HpcCluster c = ns.get("hpcc", cluster, HpcCluster.class);
        return conditionOf(c.getStatus().getConditions(), "Reachable").orElseThrow(() -> new AssertionError("no Reachable on " + cluster));
    }

    /** Adds an entry to a trail of observations, only when it differs from the previous one for the same subject. */
    private static void note(List<String> trail, Instant t0, String observation) {
        String subject = observation.split(" ")[0];
        for (int i = trail.size() - 1; i >= 0; i--) {
            String[] p = trail.get(i).split(" ", 2);
            if (p[1].split(" ")[0].equals(subject)) {
                if (p[1].equals(observation)) {
                    return;
                }
                break;
            }
        }
        trail.add("+" + Duration.between(t0, Instant.now()).toSeconds() + "s " + observation);
    }

    /**
     * Stops the stack's sshd and ends every connection it serves: stopping the listener alone leaves established
     * connections alive (their per-connection sshd children survive). The children of OUR sshd only are ended, by
     * parent pid, before the listener goes; whatever it forks in between is collected and ended right after.
     */
    private static Instant stopSshdWithConnections() throws Exception {
        Path pidFile = Path.of(env.get("HPCB_STATE").orElse("/var/tmp/hpcb-stack"), "pids", "sshd.pid");
        String pid = Files.readString(pidFile).strip();
        assertThat(pid).matches("[0-9]+");
        List<String> children = sh("pgrep -P " + pid + " || true").lines().filter(l -> !l.isBlank()).toList();
        sh("pkill -TERM -P " + pid + " || true");
        List<String> late = sh("pgrep -P " + pid + " || true").lines().filter(l -> !l.isBlank()).toList();
        stop("sshd");
        Instant down = Instant.now();
        for (String c : late) {
            sh("kill -TERM " + c + " 2>/dev/null || true");
        }
        System.out.printf("[out] sshd %s stopped; ended its connection processes %s %s%n", pid, children, late);
        return down;
    }

    private static void startSshd() throws Exception {
        start("sshd");
        await("ssh to the login node works again", Duration.ofSeconds(30), () -> login.exec("true").ok() ? Optional.of(true) : Optional.empty());
    }

    private static void stop(String component) throws Exception {
        StackControl.stop(component);
    }

    private static void start(String component) throws Exception {
        StackControl.start(component);
    }

    private static void ensureRunning(String component) throws Exception {
        StackControl.ensureRunning(component);
    }

    private static String sh(String command) throws IOException, InterruptedException {
        return StackControl.sh(command);
    }
}
