package io.hpcbridge.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.hpcbridge.api.v1alpha1.AttemptPhase;
import io.hpcbridge.api.v1alpha1.Task;
import io.hpcbridge.api.v1alpha1.TaskAttempt;
import io.hpcbridge.api.v1alpha1.TaskPhase;

/**
 * Acceptance 3 of the gateway issue: two operator processes with leader election (the production settings, lease
 * duration 15 s). Only the Lease holder talks to the login node or writes status; SIGKILLed mid-campaign, the other
 * takes the Lease within the lease duration (plus the retry period) and finishes the campaign, and accounting shows
 * exactly one job per attempt, each submitted once.
 *
 * <p>Who ran what is checked three ways: the login node's command log (every scheduler command, by job name for
 * sbatch), each process's own metrics (commands run, status writes), and the follower's sockets (it never holds a TCP
 * connection to the login node's port).
 */
class LeaderElectionE2E {
    private static final int TASKS = 6;
    private static final int PARALLELISM = 3;
    private static final String CAMPAIGN = "ha";
    private static final String LEASE = "hpc-bridge-leader-e2e";
    /** The production default (not set here), and how often candidates retry, as JOSDK and the docs give them. */
    private static final Duration LEASE_DURATION = Duration.ofSeconds(15);
    private static final Duration RETRY_PERIOD = Duration.ofSeconds(2);
    private static final Set<String> SCHEDULER_VERBS = Set.of("sbatch", "squeue", "sacct", "scancel", "scontrol");
    /** The port operations a Slurm program serves (the operator never runs scontrol). */
    private static final Map<String, List<String>> OPERATIONS_OF = Map.of("sbatch", List.of("submit", "version"),
            "squeue", List.of("poll", "find"), "sacct", List.of("history", "find"), "scancel", List.of("cancel"), "scontrol", List.of());

    private static TestNamespace ns;
    private static LoginNode login;
    private static StackEnv env;
    private static final List<OperatorProcess> processes = new ArrayList<>();
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void stopOtherOperators() {
        OperatorProcess.stopShared();
        OperatorProcess.awaitNoForeignOperators();
        env = StackEnv.load();
        login = LoginNode.fromStack();
    }

    @AfterAll
    static void cleanUp() {
        for (OperatorProcess p : processes) {
            if (p.isAlive()) {
                p.close();
            }
            if (p.isAlive()) {
                p.kill();
            }
        }
        if (ns != null) {
            ns.close();
        }
    }

    @Test
    void onlyTheLeaderTalksToTheClusterAndAfterItsSigkillTheOtherFinishesWithoutDuplicates() {
        long startEpochSeconds = Long.parseLong(login.exec("date +%s").stdout().strip()) - 60;
        int cmdlogStart = login.commandLog().size();
        Instant t0 = Instant.now();
        ns = TestNamespace.create("e2e-leader");
        String prefix = "hpcb." + ns.name() + ".";

        int portA = freePort();
        int portB = freePort();
        OperatorProcess a = track(OperatorProcess.start(electionEnv(portA)));
        OperatorProcess b = track(OperatorProcess.start(electionEnv(portB)));
        Map<Long, Integer> portOf = Map.of(a.pid(), portA, b.pid(), portB);

        String holder = awaitHolder(h -> h.endsWith("-" + a.pid()) || h.endsWith("-" + b.pid()), Duration.ofSeconds(60));
        OperatorProcess leader = holder.endsWith("-" + a.pid()) ? a : b;
        OperatorProcess follower = leader == a ? b : a;
        String followerIdentity = holder.substring(0, holder.lastIndexOf('-') + 1) + follower.pid();
        follower.awaitLog("New leader with identity: " + holder, Duration.ofSeconds(30));
        System.out.printf("[ha] leader %s (pid %d, log %s), follower pid %d (log %s)%n", holder, leader.pid(), leader.log(),
                follower.pid(), follower.log());

        SocketWatch watch = new SocketWatch(Integer.parseInt(env.require("HPCB_SSH_PORT")), leader.pid(), follower.pid());
        watch.start();
        ns.kubectl().apply(campaignManifest()).orFail();

        // Mid-run: jobs run on the cluster and some tasks have no attempt yet (parallelism), so the survivor must both
        // pick up jobs it did not submit and submit new ones.
        Instant end = Instant.now().plus(Duration.ofSeconds(120));
        Map<String, Long> phases = Map.of();
        while (Instant.now().isBefore(end)) {
            phases = attemptPhases();
            if (phases.getOrDefault("Running", 0L) >= 2) {
                break;
            }
            sleep(500);
        }
        assertThat(phases.getOrDefault("Running", 0L)).as("attempts running before the kill: %s", phases).isGreaterThanOrEqualTo(2);
        int attemptsAtKill = phases.values().stream().mapToInt(Long::intValue).sum();
        assertThat(attemptsAtKill).as("tasks left for the survivor to submit").isLessThan(TASKS);

        // Before the kill: the login node saw only the leader. Its metrics are read after the command log, and a few
        // seconds later, so that a command logged by the shim has finished and been counted.
        List<String> cmdlogBeforeKill = commandLogSince(cmdlogStart);
        sleep(3000);
        Map<String, Double> leaderCommands = commandsByOperation(metrics(portOf.get(leader.pid())));
        String followerMetrics = metrics(portOf.get(follower.pid()));
        List<String> followerOwnLines = follower.logText().lines()
                .filter(l -> l.contains("[io.hpcbridge.") && !l.contains("[io.hpcbridge.ha.")).toList();
        watch.stop();
        Map<String, Long> loggedByVerb = cmdlogBeforeKill.stream().map(l -> l.split(" "))
                .filter(f -> f.length >= 2 && SCHEDULER_VERBS.contains(f[1]))
                .collect(Collectors.groupingBy(f -> f[1], TreeMap::new, Collectors.counting()));
        long loggedSbatch = cmdlogBeforeKill.stream().filter(l -> l.contains(" sbatch ") && l.contains("--job-name=" + prefix)).count();
        System.out.println("[ha] before the kill: login node command log " + loggedByVerb + " (sbatch for this campaign "
                + loggedSbatch + "); leader's own counts " + leaderCommands + "; attempts " + phases
                + "; sockets to the login node seen: leader " + watch.seen(leader.pid()) + ", follower " + watch.seen(follower.pid()));

        assertThat(followerMetrics).as("follower metrics answered").contains("jvm_");
        assertThat(metricLines(followerMetrics, "hpcb_remote_commands")).as("commands the follower ran on a login node").isEmpty();
        assertThat(metricLines(followerMetrics, "hpcb_polls")).as("polls by the follower").isEmpty();
        assertThat(metricLines(followerMetrics, "hpcb_submissions")).as("submissions by the follower").isEmpty();
        assertThat(metricLines(followerMetrics, "hpcb_ssh_connections_open")).as("SSH sessions of the follower").isEmpty();
        assertThat(metricLines(followerMetrics, "hpcb_status_writes")).as("status writes by the follower").isEmpty();
        assertThat(followerOwnLines).as("log lines of the follower's reconcilers and sessions").isEmpty();
        assertThat(watch.seen(follower.pid())).as("samples with a follower socket to the login node").isZero();
        assertThat(watch.seen(leader.pid())).as("samples with a leader socket to the login node (the watch works)").isPositive();
        assertThat(loggedSbatch).as("sbatch for this campaign on the login node").isPositive();
        // The leader counts by port operation; each program the shim logs serves these operations.
        loggedByVerb.forEach((verb, n) -> assertThat(OPERATIONS_OF.getOrDefault(verb, List.of()).stream()
                .mapToDouble(op -> leaderCommands.getOrDefault(op, 0.0)).sum())
                .as("%s run by the leader (own count of %s) vs in the login node's log", verb, OPERATIONS_OF.get(verb))
                .isGreaterThanOrEqualTo(n.doubleValue()));
        assertThat(leaderCommands.entrySet().stream().filter(e -> !e.getKey().equals("files")).mapToDouble(Map.Entry::getValue).sum())
                .as("scheduler commands the leader counted vs all in the login node's log")
                .isGreaterThanOrEqualTo(loggedByVerb.values().stream().mapToLong(Long::longValue).sum());

        // SIGKILL the leader; the follower takes the Lease once it expires.
        Instant killedAt = Instant.now();
        leader.kill();
        int cmdlogAtKill = login.commandLog().size();
        String newHolder = awaitHolder(followerIdentity::equals, LEASE_DURATION.plus(Duration.ofSeconds(60)));
        Duration takeover = Duration.between(killedAt, Instant.now());
        System.out.println("[ha] " + newHolder + " holds the Lease " + takeover.toMillis() + " ms after the SIGKILL");
        assertThat(takeover).as("takeover after the leader's SIGKILL").isLessThanOrEqualTo(
                LEASE_DURATION.plus(RETRY_PERIOD).plus(Duration.ofSeconds(3)));
        follower.awaitLog("this process leads now", Duration.ofSeconds(10));

        Kubectl.Result waited = ns.kubectl().run("wait", "--for=condition=Succeeded", "--timeout=180s", "campaign/" + CAMPAIGN);
        if (!waited.ok()) {
            throw new AssertionError("campaign did not succeed after the takeover: " + waited + "\n"
                    + ns.kubectl().get("campaign,htask,hatt", "-o", "wide").stdout() + "\nlogs " + leader.log() + " " + follower.log());
        }
        Duration total = Duration.between(t0, Instant.now());

        List<Task> tasks = ns.list("htask", "hpcbridge.io/campaign=" + CAMPAIGN, Task.class);
        List<TaskAttempt> attempts = ns.list("hatt", "hpcbridge.io/campaign=" + CAMPAIGN, TaskAttempt.class);
        Map<String, List<String>> sacctJobsByName = sacctJobsByName(startEpochSeconds, prefix);
        Map<String, Long> sbatchByName = commandLogSince(cmdlogStart).stream()
                .filter(l -> l.contains(" sbatch ") && l.contains("--job-name=" + prefix))
                .map(l -> Stream.of(l.split(" ")).filter(w -> w.startsWith("--job-name=")).findFirst().orElseThrow()
                        .substring("--job-name=".length()))
                .collect(Collectors.groupingBy(n -> n, TreeMap::new, Collectors.counting()));
        Map<String, Double> survivorCommands = commandsByOperation(metrics(portOf.get(follower.pid())));
        long sbatchAfterKill = commandLogSince(cmdlogAtKill).stream()
                .filter(l -> l.contains(" sbatch ") && l.contains("--job-name=" + prefix)).count();
        System.out.println("[ha] after: sbatch per job name " + sbatchByName + "; sacct " + sacctJobsByName
                + "; sbatch for this campaign after the kill " + sbatchAfterKill + "; survivor's own counts " + survivorCommands + "; total " + total.toSeconds() + " s");

        assertThat(tasks).hasSize(TASKS);
        assertThat(tasks).allSatisfy(t -> assertThat(t.getStatus().getPhase()).as(t.getMetadata().getName()).isEqualTo(TaskPhase.Succeeded));
        assertThat(attempts).as("one attempt per task, no retries").hasSize(TASKS);
        assertThat(attempts).allSatisfy(at -> {
            assertThat(at.getMetadata().getName()).endsWith("-1");
            assertThat(at.getStatus().getPhase()).as(at.getMetadata().getName()).isEqualTo(AttemptPhase.Succeeded);
            assertThat(at.getStatus().getPreviousJobIds()).as("earlier jobs of %s", at.getMetadata().getName()).isNullOrEmpty();
        });
        Map<String, String> attemptJob = attempts.stream()
                .collect(Collectors.toMap(at -> prefix + at.getMetadata().getName(), at -> at.getStatus().getJobId()));
        assertThat(sbatchByName).as("sbatch calls per job name on the login node (each attempt submitted once)")
                .containsOnlyKeys(attemptJob.keySet()).allSatisfy((name, n) -> assertThat(n).as(name).isEqualTo(1L));
        assertThat(sacctJobsByName.keySet()).as("job names in sacct vs attempts (lost or stray jobs)")
                .containsExactlyInAnyOrderElementsOf(attemptJob.keySet());
        attemptJob.forEach((name, jobId) -> assertThat(sacctJobsByName.get(name)).as("jobs named %s in sacct", name).containsExactly(jobId));
        assertThat(sbatchAfterKill).as("sbatch for this campaign after the kill (by the survivor): at least the tasks that had "
                + "no attempt then").isGreaterThanOrEqualTo(TASKS - attemptsAtKill);
        assertThat(survivorCommands.getOrDefault("submit", 0.0)).as("submissions by the survivor, own count")
                .isGreaterThanOrEqualTo(sbatchAfterKill);
        assertThat(total).as("test duration").isLessThan(Duration.ofMinutes(4));
    }

    private static Map<String, String> electionEnv(int httpPort) {
        return Map.of("HPCBRIDGE_LEADER_ELECTION_ENABLED", "true",
                "HPCBRIDGE_LEADER_ELECTION_LEASE_NAME", LEASE,
                "HPCBRIDGE_LEADER_ELECTION_LEASE_NAMESPACE", ns.name(),
                "QUARKUS_HTTP_PORT", Integer.toString(httpPort));
    }

    private static OperatorProcess track(OperatorProcess p) {
        processes.add(p);
        return p;
    }

    private static String awaitHolder(java.util.function.Predicate<String> wanted, Duration timeout) {
        Instant end = Instant.now().plus(timeout);
        String last = "";
        while (Instant.now().isBefore(end)) {
            Kubectl.Result r = ns.kubectl().get("lease", LEASE, "-o", "jsonpath={.spec.holderIdentity}");
            last = r.ok() ? r.stdout().strip() : "";
            if (!last.isEmpty() && wanted.test(last)) {
                return last;
            }
            sleep(250);
        }
        throw new AssertionError("Lease " + LEASE + " not held as expected after " + timeout + "; holder '" + last + "'");
    }

    private static List<String> commandLogSince(int fromLine) {
        List<String> all = login.commandLog();
        return all.size() <= fromLine ? List.of() : all.subList(fromLine, all.size());
    }

    private static String metrics(int port) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/metrics"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as("GET /q/metrics on port %d", port).isEqualTo(200);
            return r.body();
        } catch (IOException e) {
            throw new IllegalStateException("metrics on port " + port, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static List<String> metricLines(String text, String name) {
        return text.lines().filter(l -> l.startsWith(name)).toList();
    }

    /**
     * Commands a process ran on login nodes, by port operation, from its own hpcb_remote_commands timer, over every
     * HpcCluster: the leader may also be finishing the campaigns of a namespace an earlier test is deleting, on this
     * login node or another.
     */
    private static Map<String, Double> commandsByOperation(String text) {
        Map<String, Double> byOperation = new TreeMap<>();
        for (String l : metricLines(text, "hpcb_remote_commands_seconds_count{")) {
            int v = l.indexOf("operation=\"");
            String operation = l.substring(v + 11, l.indexOf('"', v + 11));
            byOperation.merge(operation, Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)), Double::sum);
        }
        return byOperation;
    }

    private static Map<String, Long> attemptPhases() {
        Kubectl.Result r = ns.kubectl().get("hatt", "-l", "hpcbridge.io/campaign=" + CAMPAIGN, "-o",
                "jsonpath={range .items[*]}{.status.phase}{\"\\n\"}{end}");
        return r.stdout().lines().map(l -> l.isBlank() ? "(none)" : l.strip())
                .collect(Collectors.groupingBy(l -> l, TreeMap::new, Collectors.counting()));
    }

    /** sacct allocations since the test began whose name starts with the prefix: name to job ids. */
    private static Map<String, List<String>> sacctJobsByName(long sinceEpochSeconds, String prefix) {
        LoginNode.Result r = login.exec("sacct -X -n -P -S \"$(date -d @" + sinceEpochSeconds
                + " +%Y-%m-%dT%H:%M:%S)\" -o JobName%200,JobIDRaw,State");
        assertThat(r.ok()).as("sacct: %s", r.stderr()).isTrue();
        Map<String, List<String>> byName = new LinkedHashMap<>();
        for (String line : r.stdout().lines().toList()) {
            String[] f = line.split("\\|");
            if (f.length >= 2 && f[0].startsWith(prefix)) {
                byName.computeIfAbsent(f[0], k -> new ArrayList<>()).add(f[1]);
            }
        }
        return byName;
    }

    private static String campaignManifest() {
        StringBuilder y = new StringBuilder("""
                apiVersion: hpcbridge.io/v1alpha1
                kind: Campaign
                metadata:
                  name: ha
                spec:
                  clusterRef:
                    name: local-slurm
                  parallelism: %d
                  defaults:
                    resources:
                      cpus: 1
                      memory: 50Mi
                      time: 5m
                    retryStrategy:
                      limit: 0
                  tasks:
                """.formatted(PARALLELISM));
        for (int i = 0; i < TASKS; i++) {
            y.append(String.format("""
                        - name: t%d
                          script: |
                            #!/bin/bash
                            sleep 20
                            echo "task %d done"
                    """, i, i));
        }
        return y.toString();
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Samples, every 200 ms, which of the given processes hold a TCP connection to the login node's port: the
     * process's socket inodes (/proc/PID/fd) against the connections in /proc/net/tcp.
     */
    private static final class SocketWatch {
        private final String remotePortHex;
        private final Map<Long, AtomicInteger> seen = new LinkedHashMap<>();
        private Sampler sampler;

        SocketWatch(int port, long... pids) {
            this.remotePortHex = String.format(":%04X", port);
            for (long pid : pids) {
                seen.put(pid, new AtomicInteger());
            }
        }

        void start() {
            sampler = new Sampler("socket-watch", Duration.ofMillis(200), () -> {
                Set<String> inodes = connectionInodes();
                seen.forEach((pid, n) -> {
                    if (!java.util.Collections.disjoint(socketInodes(pid), inodes)) {
                        n.incrementAndGet();
                    }
                });
            });
        }

        void stop() {
            sampler.close();
        }

        int seen(long pid) {
            return seen.get(pid).get();
        }

        /** Inodes of TCP connections whose remote end is the login node's port. */
        private Set<String> connectionInodes() {
            Set<String> out = new HashSet<>();
            for (String file : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
                try {
                    for (String line : Files.readAllLines(Path.of(file))) {
                        String[] f = line.strip().split("\\s+");
                        if (f.length > 9 && f[2].endsWith(remotePortHex)) {
                            out.add(f[9]);
                        }
                    }
                } catch (IOException e) {
                    // tcp6 may be absent
                }
            }
            return out;
        }

        private static Set<String> socketInodes(long pid) {
            Set<String> out = new HashSet<>();
            try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
                fds.forEach(fd -> {
                    try {
                        String target = Files.readSymbolicLink(fd).toString();
                        if (target.startsWith("socket:[")) {
                            out.add(target.substring(8, target.length() - 1));
                        }
                    } catch (IOException e) {
                        // the descriptor was closed meanwhile
                    }
                });
            } catch (IOException e) {
                // the process is gone
            }
            return out;
        }
    }
}
