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
import org.junit.jupiter.api.TestInstance;

import io.hpcbridge.api.v1alpha1.AttemptPhase;
import io.hpcbridge.api.v1alpha1.Task;
import io.hpcbridge.api.v1alpha1.TaskAttempt;
import io.hpcbridge.api.v1alpha1.TaskPhase;

/**
 * The operator is killed ten times at random points of a 50-task campaign (SIGKILL after a random delay, and
 * self-halts by fault injection right after the intent is persisted, right after the submission returned and right
 * after the job id is persisted). Afterwards every task succeeded and the scheduler's own records show exactly one job
 * per attempt: no duplicates, none lost. One subclass per scheduler.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class CrashRecoveryScenario {
    private static final int TASKS = 50;
    private static final int KILLS = 10;
    private static final String CAMPAIGN = "crash";
    private static final String FAULTS = "after-submit:0.15,after-intent:0.1,after-persist:0.1";
    private static final Duration FAULT_WAIT = Duration.ofSeconds(60);

    private TestNamespace ns;
    protected LoginNode login;
    private final List<OperatorProcess> processes = new ArrayList<>();
    private final Map<String, Integer> killsByKind = new TreeMap<>();
    private final Set<String> adoptedSeenInStatus = new TreeSet<>();
    protected long startEpochSeconds;

    /** The scheduler under test: its login node, cluster and the jobs its own records show. */
    protected abstract LoginNode loginNode();

    /** The HpcCluster the campaign names; {@link #prepare} creates it when the namespace has no such cluster yet. */
    protected abstract String clusterName();

    /** Applies what the namespace needs besides the campaign (the cluster, when not the default one). */
    protected abstract void prepare(TestNamespace ns);

    /** The program that submits, as the login node's command log names it. */
    protected abstract String submitProgram();

    /** The scheduler's own records of jobs since the test began whose identity name starts with the prefix: name to job ids. */
    protected abstract Map<String, List<String>> jobsByName(String prefix);

    /** One line of the scheduler's view of the live queue, for diagnostics. */
    protected abstract String queueDiagnostics();

    @BeforeAll
    void stopOtherOperators() {
        OperatorProcess.stopShared();
        OperatorProcess.awaitNoForeignOperators();
        login = loginNode();
    }

    @AfterAll
    void cleanUp() {
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
    void tenKillsIncludingRightAfterSubmitLeaveExactlyOneJobPerAttemptAndEveryTaskSucceeded() {
        long seed = Long.getLong("hpcb.crash.seed", System.nanoTime());
        Random random = new Random(seed);
        System.out.println("[crash] seed " + seed + " (rerun with -Dhpcb.crash.seed=" + seed + ")");
        startEpochSeconds = Long.parseLong(login.exec("date +%s").stdout().strip()) - 60;
        Instant t0 = Instant.now();
        ns = TestNamespace.create("e2e-crash");
        prepare(ns);
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
        Map<String, List<String>> sacctJobsByName = jobsByName(prefix);
        String allLogs = processes.stream().map(OperatorProcess::logText).collect(Collectors.joining("\n"));
        long adoptedInLogs = allLogs.lines().filter(l -> l.contains("adopted job")).count();
        long afterSubmitInLogs = allLogs.lines().filter(l -> l.contains("fault injection: halting at after-submit")).count();
        long sbatches = login.commandLog().stream().filter(l -> l.contains(" " + submitProgram() + " "))
                .filter(l -> Long.parseLong(l.split(" ")[0]) >= startEpochSeconds * 1000).count();

        System.out.println("[crash] ---- summary ----");
        System.out.println("[crash] kills by kind: " + killsByKind + " (total " + killsByKind.values().stream().mapToInt(i -> i).sum() + ")");
        System.out.println("[crash] halts at after-submit in operator logs: " + afterSubmitInLogs);
        System.out.println("[crash] adoptions: " + adoptedInLogs + " 'adopted job' log lines; attempts seen with reason Adopted: "
                + adoptedSeenInStatus.size() + " " + adoptedSeenInStatus);
        System.out.println("[crash] " + submitProgram() + " calls since the test began (cmdlog): " + sbatches + "; jobs recorded: "
                + sacctJobsByName.values().stream().mapToInt(List::size).sum() + " under " + sacctJobsByName.size() + " names");
        System.out.println("[crash] kill phase " + killPhase.toSeconds() + " s, total " + total.toSeconds() + " s; operator logs: "
                + processes.stream().map(p -> p.log().toString()).collect(Collectors.joining(" ")));

        clean.close();

        assertThat(killsByKind.values().stream().mapToInt(i -> i).sum()).isEqualTo(KILLS);
        assertThat(afterSubmitInLogs).as("at least one halt right after the submission returned, before the job id was persisted")
                .isGreaterThanOrEqualTo(1);

        assertThat(tasks).hasSize(TASKS);
        assertThat(tasks).allSatisfy(t -> assertThat(t.getStatus().getPhase()).as(t.getMetadata().getName()).isEqualTo(TaskPhase.Succeeded));
        assertThat(attempts).as("one attempt per task, no retries").hasSize(TASKS);
        assertThat(attempts).allSatisfy(a -> {
            assertThat(a.getMetadata().getName()).endsWith("-1");
            assertThat(a.getStatus().getPhase()).as(a.getMetadata().getName()).isEqualTo(AttemptPhase.Succeeded);
            assertThat(a.getStatus().getPreviousJobIds()).as("earlier jobs of %s", a.getMetadata().getName()).isNullOrEmpty();
        });

        // The scheduler's records: exactly one job per attempt, the one the attempt names; nothing else of ours.
        Map<String, String> attemptJob = attempts.stream()
                .collect(Collectors.toMap(a -> prefix + a.getMetadata().getName(), a -> a.getStatus().getJobId()));
        Map<String, List<String>> duplicates = sacctJobsByName.entrySet().stream().filter(e -> e.getValue().size() != 1)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        assertThat(duplicates).as("job names with more than one job (duplicate submissions)").isEmpty();
        assertThat(sacctJobsByName.keySet()).as("job names recorded by the scheduler vs attempts (lost or stray jobs)")
                .containsExactlyInAnyOrderElementsOf(attemptJob.keySet());
        attemptJob.forEach((name, jobId) -> assertThat(sacctJobsByName.get(name)).as("job of %s", name).containsExactly(jobId));
    }

    private OperatorProcess track(OperatorProcess p) {
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

    private void recordAdoptedStatuses() {
        Kubectl.Result r = ns.kubectl().get("hatt", "-l", "hpcbridge.io/campaign=" + CAMPAIGN, "-o",
                "jsonpath={range .items[*]}{.metadata.name} {.status.reason}{\"\\n\"}{end}");
        if (r.ok()) {
            r.stdout().lines().map(String::strip).filter(l -> l.endsWith(" Adopted")).map(l -> l.split(" ")[0])
                    .forEach(adoptedSeenInStatus::add);
        }
    }

    private Map<String, Long> attemptPhases() {
        Kubectl.Result r = ns.kubectl().get("hatt", "-l", "hpcbridge.io/campaign=" + CAMPAIGN, "-o",
                "jsonpath={range .items[*]}{.status.phase}{\"\\n\"}{end}");
        return r.stdout().lines().map(l -> l.isBlank() ? "(none)" : l.strip())
                .collect(Collectors.groupingBy(l -> l, TreeMap::new, Collectors.counting()));
    }

    private String diagnostics(OperatorProcess op) {
        return "operator log " + op.log() + "\n"
                + ns.kubectl().get("campaign,htask,hatt", "-o", "wide").stdout() + "\n"
                + queueDiagnostics();
    }

    private String campaignManifest() {
        StringBuilder y = new StringBuilder("""
                apiVersion: hpcbridge.io/v1alpha1
                kind: Campaign
                metadata:
                  name: crash
                spec:
                  clusterRef:
                    name: %s
                  parallelism: 20
                  defaults:
                    resources:
                      cpus: 1
                      memory: 50Mi
                      time: 5m
                    retryStrategy:
                      limit: 0
                  tasks:
                """.formatted(clusterName()));
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
