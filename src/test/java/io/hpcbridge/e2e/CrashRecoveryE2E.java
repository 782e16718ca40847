package io.hpcbridge.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.hpcbridge.api.v1alpha1.AttemptPhase;
import io.hpcbridge.api.v1alpha1.Task;
import io.hpcbridge.api.v1alpha1.TaskAttempt;
import io.hpcbridge.api.v1alpha1.TaskPhase;

/**
 * Acceptance 2 of the gateway issue: the operator is killed ten times at random points of a 50-task campaign (SIGKILL
 * after a random delay, and self-halts by fault injection right after the intent is persisted, right after sbatch
 * returned and right after the job id is persisted). Afterwards every task succeeded and accounting on the cluster
 * shows exactly one job per attempt: no duplicates, none lost.
 */
class CrashRecoveryE2E {
    private static final int TASKS = 50;
    private static final int KILLS = 10;
    private static final String CAMPAIGN = "crash";
    private static final String FAULTS = "after-submit:0.15,after-intent:0.1,after-persist:0.1";
    private static final Duration FAULT_WAIT = Duration.ofSeconds(60);

    private static TestNamespace ns;
    private static LoginNode login;
    private static final List<OperatorProcess> processes = new ArrayList<>();
    private static final Map<String, Integer> killsByKind = new TreeMap<>();
    private static final Set<String> adoptedSeenInStatus = new TreeSet<>();
    private static long startEpochSeconds;

    @BeforeAll
    static void stopOtherOperators() {
        OperatorProcess.stopShared();
        OperatorProcess.awaitNoForeignOperators();
        login = LoginNode.fromStack();
    }

    @AfterAll
    static void cleanUp() {
        for (OperatorProcess p : processes) {
            if (p.isAlive()) {
                p.kill();
            }
        }
        if (ns != null) {
            ns.close();
        }
    }

    @Test
    void tenKillsIncludingRightAfterSbatchLeaveExactlyOneJobPerAttemptAndEveryTaskSucceeded() {
        long seed = Long.getLong("hpcb.crash.seed", System.nanoTime());
        Random random = new Random(seed);
        System.out.println("[crash] seed " + seed + " (rerun with -Dhpcb.crash.seed=" + seed + ")");
        startEpochSeconds = Long.parseLong(login.exec("date +%s").stdout().strip()) - 60;
        Instant t0 = Instant.now();
        ns = TestNamespace.create("e2e-crash");
        ns.kubectl().apply(campaignManifest()).orFail();

        int afterSubmitHalts = 0;
        for (int kill = 1; kill <= KILLS; kill++) {
            boolean fault = kill % 2 == 1;
            String kind;
            if (fault) {
                // The last fault round insists on the after-submit point if no earlier round has reached it.
                String spec = kill >= KILLS - 1 && afterSubmitHalts == 0 ? "after-submit:0.5" : FAULTS;
                OperatorProcess p = track(OperatorProcess.startNoWait(Map.of("HPCB_FAULT_HALT", spec)));
                if (p.awaitExit(FAULT_WAIT)) {
                    kind = haltPoint(p.logText());
                    assertThat(kind).as("operator %s exited with %s without a fault-injection halt; log %s", p.pid(),
                            p.exitValue(), p.log()).isNotNull();
                    if (kind.equals("after-submit")) {
                        afterSubmitHalts++;
                    }
                    kind = "halt:" + kind;
                } else {
                    p.kill();
                    kind = "sigkill:fault-process-idle-" + FAULT_WAIT.toSeconds() + "s";
                }
                System.out.printf("[crash] kill %d: %s (HPCB_FAULT_HALT=%s, log %s)%n", kill, kind, spec, p.log());
            } else {
                OperatorProcess p = track(OperatorProcess.startNoWait(Map.of()));
                p.awaitLog("Installed features", Duration.ofSeconds(90));
                long delay = 1000 + random.nextInt(7001);
                sleep(delay);
                p.kill();
                kind = "sigkill:random-delay";
                System.out.printf("[crash] kill %d: SIGKILL %d ms after start-up (log %s)%n", kill, delay, p.log());
            }
            killsByKind.merge(kind, 1, Integer::sum);
            recordAdoptedStatuses();
            System.out.println("[crash]   attempts by phase: " + attemptPhases());
        }
        Duration killPhase = Duration.between(t0, Instant.now());

        OperatorProcess clean = track(OperatorProcess.start(Map.of()));
        Kubectl.Result waited = ns.kubectl().run("wait", "--for=condition=Succeeded", "--timeout=300s", "campaign/" + CAMPAIGN);
        if (!waited.ok()) {
            throw new AssertionError("campaign did not succeed after the kills: " + waited + "\n" + diagnostics(clean));
        }
        recordAdoptedStatuses();
        Duration total = Duration.between(t0, Instant.now());

        List<Task> tasks = ns.list("htask", "hpcbridge.io/campaign=" + CAMPAIGN, Task.class);
        List<TaskAttempt> attempts = ns.list("hatt", "hpcbridge.io/campaign=" + CAMPAIGN, TaskAttempt.class);
        String prefix = "hpcb." + ns.name() + ".";
        Map<String, List<String>> sacctJobsByName = sacctJobsByName(prefix);
        String allLogs = processes.stream().map(OperatorProcess::logText).collect(Collectors.joining("\n"));
        long adoptedInLogs = allLogs.lines().filter(l -> l.contains("adopted job")).count();
        long afterSubmitInLogs = allLogs.lines().filter(l -> l.contains("fault injection: halting at after-submit")).count();
        long sbatches = login.commandLog().stream().filter(l -> l.contains(" sbatch ") && l.contains("--job-name=" + prefix)).count();

        System.out.println("[crash] ---- summary ----");
        System.out.println("[crash] kills by kind: " + killsByKind + " (total " + killsByKind.values().stream().mapToInt(i -> i).sum() + ")");
        System.out.println("[crash] halts at after-submit in operator logs: " + afterSubmitInLogs);
        System.out.println("[crash] adoptions: " + adoptedInLogs + " 'adopted job' log lines; attempts seen with reason Adopted: "
                + adoptedSeenInStatus.size() + " " + adoptedSeenInStatus);
        System.out.println("[crash] sbatch calls for this campaign (cmdlog): " + sbatches + "; jobs in sacct: "
                + sacctJobsByName.values().stream().mapToInt(List::size).sum() + " under " + sacctJobsByName.size() + " names");
        System.out.println("[crash] kill phase " + killPhase.toSeconds() + " s, total " + total.toSeconds() + " s; operator logs: "
                + processes.stream().map(p -> p.log().toString()).collect(Collectors.joining(" ")));

        clean.close();

        assertThat(killsByKind.values().stream().mapToInt(i -> i).sum()).isEqualTo(KILLS);
        assertThat(afterSubmitInLogs).as("at least one halt right after sbatch returned, before the job id was persisted")
                .isGreaterThanOrEqualTo(1);

        assertThat(tasks).hasSize(TASKS);
        assertThat(tasks).allSatisfy(t -> assertThat(t.getStatus().getPhase()).as(t.getMetadata().getName()).isEqualTo(TaskPhase.Succeeded));
        assertThat(attempts).as("one attempt per task, no retries").hasSize(TASKS);
        assertThat(attempts).allSatisfy(a -> {
            assertThat(a.getMetadata().getName()).endsWith("-1");
            assertThat(a.getStatus().getPhase()).as(a.getMetadata().getName()).isEqualTo(AttemptPhase.Succeeded);
            assertThat(a.getStatus().getPreviousJobIds()).as("earlier jobs of %s", a.getMetadata().getName()).isNullOrEmpty();
        });

        // Accounting on the cluster: exactly one job per attempt, the one the attempt names; nothing else of ours.
        Map<String, String> attemptJob = attempts.stream()
                .collect(Collectors.toMap(a -> prefix + a.getMetadata().getName(), a -> a.getStatus().getJobId()));
        Map<String, List<String>> duplicates = sacctJobsByName.entrySet().stream().filter(e -> e.getValue().size() != 1)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        assertThat(duplicates).as("job names with more than one job in sacct (duplicate submissions)").isEmpty();
        assertThat(sacctJobsByName.keySet()).as("job names in sacct vs attempts (lost or stray jobs)")
                .containsExactlyInAnyOrderElementsOf(attemptJob.keySet());
        attemptJob.forEach((name, jobId) -> assertThat(sacctJobsByName.get(name)).as("job of %s", name).containsExactly(jobId));
    }

    private static OperatorProcess track(OperatorProcess p) {
        processes.add(p);
        return p;
    }

    private static String haltPoint(String log) {
        for (String point : List.of("after-intent", "after-submit", "after-persist")) {
            if (log.contains("fault injection: halting at " + point)) {
                return point;
            }
        }
        return null;
    }

    private static void recordAdoptedStatuses() {
        Kubectl.Result r = ns.kubectl().get("hatt", "-l", "hpcbridge.io/campaign=" + CAMPAIGN, "-o",
                "jsonpath={range .items[*]}{.metadata.name} {.status.reason}{\"\\n\"}{end}");
        if (r.ok()) {
            r.stdout().lines().map(String::strip).filter(l -> l.endsWith(" Adopted")).map(l -> l.split(" ")[0])
                    .forEach(adoptedSeenInStatus::add);
        }
    }

    private static Map<String, Long> attemptPhases() {
        Kubectl.Result r = ns.kubectl().get("hatt", "-l", "hpcbridge.io/campaign=" + CAMPAIGN, "-o",
                "jsonpath={range .items[*]}{.status.phase}{\"\\n\"}{end}");
        return r.stdout().lines().map(l -> l.isBlank() ? "(none)" : l.strip())
                .collect(Collectors.groupingBy(l -> l, TreeMap::new, Collectors.counting()));
    }

    /** sacct allocations since the test began whose name starts with the prefix: name to job ids. */
    private static Map<String, List<String>> sacctJobsByName(String prefix) {
        LoginNode.Result r = login.exec("sacct -X -n -P -S \"$(date -d @" + startEpochSeconds
                + " +%Y-%m-%dT%H:%M:%S)\" -o JobName%200,JobIDRaw,State");
        assertThat(r.ok()).as("sacct: %s", r.stderr()).isTrue();
        Map<String, List<String>> byName = new LinkedHashMap<>();
        for (String line : r.stdout().lines().toList()) {
            String[] f = line.split("\\|");
            if (f.length >= 2 && f[0].startsWith(prefix)) {
                byName.computeIfAbsent(f[0], k -> new ArrayList<>()).add(f[1]);
                if (f.length >= 3 && !f[2].equals("COMPLETED")) {
                    System.out.println("[crash] sacct: " + line);
                }
            }
        }
        return byName;
    }

    private static String diagnostics(OperatorProcess op) {
        return "operator log " + op.log() + "\n"
                + ns.kubectl().get("campaign,htask,hatt", "-o", "wide").stdout() + "\n"
                + login.exec("squeue --me -o '%i %j %T %r'").stdout();
    }

    private static String campaignManifest() {
        StringBuilder y = new StringBuilder("""
                apiVersion: hpcbridge.io/v1alpha1
                kind: Campaign
                metadata:
                  name: crash
                spec:
                  clusterRef:
                    name: local-slurm
                  parallelism: 20
                  defaults:
                    resources:
                      cpus: 1
                      memory: 50Mi
                      time: 5m
                    retryStrategy:
                      limit: 0
                  tasks:
                """);
        for (int i = 0; i < TASKS; i++) {
            y.append(String.format("""
                        - name: t%02d
                          script: |
                            #!/bin/bash
                            sleep 2
                            echo "task %02d done"
                    """, i, i));
        }
        return y.toString();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
