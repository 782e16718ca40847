package io.hpcbridge.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.ThrowingRunnable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestMethodOrder;

import io.fabric8.kubernetes.api.model.Condition;
import io.hpcbridge.api.v1alpha1.AttemptPhase;
import io.hpcbridge.api.v1alpha1.BlockedCount;
import io.hpcbridge.api.v1alpha1.Campaign;
import io.hpcbridge.api.v1alpha1.CampaignPhase;
import io.hpcbridge.api.v1alpha1.FailureRecord;
import io.hpcbridge.api.v1alpha1.Task;
import io.hpcbridge.api.v1alpha1.TaskAttempt;
import io.hpcbridge.api.v1alpha1.TaskPhase;

/**
 * Acceptance 1-8 of issue 4 (campaign orchestration: sweeps, caps, retries that learn, pause, stop, rerun, input
 * checking), one test per line, on the real API server, the real Slurm and the real sshd login node, driven by the
 * packaged operator. Facts are checked where they happen: squeue samples and the counting shim's command log on the
 * login node, sacct, work directories and stdout files over ssh, and the Kubernetes objects through kubectl.
 *
 * <p>Each test has a fresh namespace with the example HpcCluster polling every 2 s. Test-side Slurm queries use the
 * real binaries in /usr/bin, so the shim's log holds only the operator's scheduler commands.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OrchestrationE2E {
    private static final String POLL_INTERVAL = "2s";
    private static final Duration FEW_POLLS = Duration.ofSeconds(20);

    private static LoginNode login;
    private static StackEnv env;
    private static OperatorProcess operator;
    private static final Map<String, Long> runSeconds = new LinkedHashMap<>();

    private TestNamespace ns;
    private Instant testStart;

    @BeforeAll
    static void oneOperator() {
        OperatorProcess.awaitNoForeignOperators();
        operator = OperatorProcess.shared();
        env = StackEnv.load();
        login = new LoginNode(env);
    }

    @BeforeEach
    void clock() {
        testStart = Instant.now();
    }

    @AfterEach
    void cleanUp(TestInfo info) {
        long secs = Duration.between(testStart, Instant.now()).toSeconds();
        runSeconds.put(info.getTestMethod().map(m -> m.getName()).orElse(info.getDisplayName()), secs);
        System.out.printf("[orch] %s: %d s%n", info.getDisplayName(), secs);
        if (ns != null) {
            // Leave the cluster clean: no job of this namespace keeps a slot (real scancel, not the shim).
            login.exec("ids=$(/usr/bin/squeue --me -h -o '%i %j' | awk 'index($2, \"hpcb." + ns.name()
                    + ".\") == 1 {print $1}'); [ -z \"$ids\" ] || /usr/bin/scancel $ids");
            ns.close();
            ns = null;
        }
    }

    @AfterAll
    static void report() {
        System.out.println("[orch] run times: " + runSeconds);
    }

    // ------------------------------------------------------------------------------------------------ line 1

    /**
     * Line 1: a diamond (a -> b, c -> d) plus a 3x4 matrix task after a that d aggregates, parallelism 4. squeue is
     * sampled on the login node every second for the whole run: never more than 4 of the campaign's jobs, and the cap is
     * reached. Every Task succeeds with one attempt, in dependency order; matrix values arrive as environment variables.
     */
    @Test
    @Order(1)
    void diamondAndMatrixWithParallelismFourNeverShowMoreThanFourJobsInSqueue() throws Exception {
        ns = freshNamespace("e2e-orch1");
        String c = "caps";
        String prefix = jobPrefix(c);
        Set<String> reasonsSeen = ConcurrentHashMap.newKeySet();
        try (QueueSampler sampler = QueueSampler.start(env, prefix);
                Sampler status = new Sampler("status-sampler", Duration.ofSeconds(2), () -> {
                    Kubectl.Result r = ns.kubectl().get("campaign", c, "-o", "jsonpath={.status.blockedBy[*].reason}");
                    if (r.ok()) {
                        reasonsSeen.addAll(List.of(r.stdout().split("\\s+")));
                    }
                })) {
            apply("""
                    apiVersion: hpcbridge.io/v1alpha1
                    kind: Campaign
                    metadata:
                      name: caps
                    spec:
                      clusterRef:
                        name: local-slurm
                      parallelism: 4
                      defaults:
                        resources: {cpus: 1, memory: 50Mi, time: 5m}
                        retryStrategy: {limit: 0}
                      tasks:
                        - name: a
                          script: |
                            #!/bin/bash
                            echo "a: start"; sleep 6
                        - name: b
                          dependsOn: [a]
                          script: |
                            #!/bin/bash
                            echo "b"; sleep 8
                        - name: c
                          dependsOn: [a]
                          script: |
                            #!/bin/bash
                            echo "c"; sleep 8
                        - name: grid
                          dependsOn: [a]
                          matrix:
                            # (not "n": YAML 1.1, which kubectl speaks, reads a bare n as false)
                            seed: ["1", "2", "3"]
                            algo: ["w", "x", "y", "z"]
                          script: |
                            #!/bin/bash
                            set -eu
                            echo "algo=$algo seed=$seed"
                            echo "$algo $seed" > out.txt
                            sleep 8
                        - name: d
                          dependsOn: [b, c, grid]
                          script: |
                            #!/bin/bash
                            set -eu
                            echo "collected $(cat ../../grid-*/1/out.txt | wc -l)"
                    """);
            awaitCampaignPhase(c, CampaignPhase.Succeeded, Duration.ofMinutes(8));
            sampler.stopSampling();

            Map<Instant, Integer> samples = sampler.counts();
            int max = samples.values().stream().mapToInt(i -> i).max().orElse(0);
            Map<Integer, Long> histogram = samples.values().stream()
                    .collect(Collectors.groupingBy(i -> i, TreeMap::new, Collectors.counting()));
            System.out.printf("[orch] line 1: %d squeue samples, jobs of the campaign per sample -> number of samples: %s; max %d%n",
                    samples.size(), histogram, max);
            System.out.println("[orch] line 1: blockedBy reasons seen during the run: " + reasonsSeen);
            assertThat(samples.size()).as("squeue samples taken on the login node (one per second)").isGreaterThanOrEqualTo(20);
            assertThat(max).as("most jobs of the campaign seen at once in squeue (parallelism 4); histogram " + histogram)
                    .isLessThanOrEqualTo(4);
            assertThat(max).as("the cap was reached (14 tasks were ready at once after a), so the bound is meaningful")
                    .isEqualTo(4);
        }

        Campaign campaign = ns.get("campaign", c, Campaign.class);
        assertThat(campaign.getStatus().getTasks().getTotal()).isEqualTo(16);
        assertThat(campaign.getStatus().getTasks().getSucceeded()).isEqualTo(16);

        List<Task> tasks = ns.list("htask", "hpcbridge.io/campaign=" + c, Task.class);
        Set<String> gridNames = new LinkedHashSet<>();
        for (String algo : List.of("w", "x", "y", "z")) {
            for (String seed : List.of("1", "2", "3")) {
                // Keys in sorted order (algo, seed), first key varying slowest.
                gridNames.add("grid-" + algo + "-" + seed);
            }
        }
        List<String> expected = new ArrayList<>(List.of("a", "b", "c", "d"));
        expected.addAll(gridNames);
        assertThat(tasks).extracting(t -> t.getSpec().getTaskName()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(tasks).allSatisfy(t -> {
            assertThat(t.getStatus().getPhase()).as(t.getMetadata().getName()).isEqualTo(TaskPhase.Succeeded);
            assertThat(t.getStatus().getAttempts()).as(t.getMetadata().getName()).isEqualTo(1);
        });
        for (Task t : tasks) {
            if (t.getSpec().getTaskName().startsWith("grid-")) {
                String[] parts = t.getSpec().getTaskName().split("-");
                assertThat(t.getSpec().getSweep()).isEqualTo("grid");
                assertThat(t.getSpec().getParameters()).containsExactlyInAnyOrderEntriesOf(Map.of("algo", parts[1], "seed", parts[2]));
            }
        }

        Map<String, TaskAttempt> byTask = attempts(c).stream()
                .collect(Collectors.toMap(a -> a.getSpec().getTaskName(), a -> a));
        assertThat(byTask).hasSize(16);
        assertThat(sbatchLines(prefix)).as("sbatch calls for the campaign, counted on the login node").hasSize(16);
        Map<String, String> sacct = sacctStates(byTask.values());
        assertThat(sacct.values()).as("sacct states of the campaign's jobs").allMatch(s -> s.startsWith("COMPLETED"));

        // Dependency order, from the attempts' own times.
        Instant aDone = instant(byTask.get("a").getStatus().getFinishedAt());
        for (String after : concat(List.of("b", "c"), gridNames)) {
            assertThat(instant(byTask.get(after).getStatus().getSubmittedAt())).as(after + " submitted after a finished")
                    .isAfterOrEqualTo(aDone);
        }
        for (String before : concat(List.of("b", "c"), gridNames)) {
            assertThat(instant(byTask.get("d").getStatus().getSubmittedAt())).as("d submitted after " + before + " finished")
                    .isAfterOrEqualTo(instant(byTask.get(before).getStatus().getFinishedAt()));
        }

        // Matrix values as environment variables, and d saw all 12 outputs.
        StringBuilder cmd = new StringBuilder();
        for (String g : gridNames) {
            cmd.append("echo \"== ").append(g).append("\"; cat ").append(byTask.get(g).getSpec().getWorkDir()).append("/stdout; ");
        }
        String out = login.exec(cmd.toString()).stdout();
        for (String g : gridNames) {
            String[] parts = g.split("-");
            assertThat(out).as("stdout of " + g).contains("== " + g + "\nalgo=" + parts[1] + " seed=" + parts[2] + "\n");
        }
        assertThat(login.exec("cat " + byTask.get("d").getSpec().getWorkDir() + "/stdout").stdout().strip())
                .isEqualTo("collected 12");

        // The status explained why ready tasks waited.
        assertThat(reasonsSeen).as("Campaign status.blockedBy reasons seen while it ran")
                .contains("WaitingForDependencies", "ParallelismLimit");
    }

    // ------------------------------------------------------------------------------------------------ line 2

    /**
     * Line 2: a task that fails on its first attempt (it leaves a marker file next to its work directory) and succeeds
     * on the second, limit 2 with a 20 s backoff: two attempts, own work directories, attempt 1's stdout still on disk,
     * and attempt 2 submitted no earlier than 20 s after attempt 1 ended.
     */
    @Test
    @Order(2)
    void failingFirstAttemptIsRetriedAfterTheBackoffInItsOwnWorkDirectory() {
        ns = freshNamespace("e2e-orch2");
        String c = "retry";
        Duration backoff = Duration.ofSeconds(20);
        apply("""
                apiVersion: hpcbridge.io/v1alpha1
                kind: Campaign
                metadata:
                  name: retry
                spec:
                  clusterRef:
                    name: local-slurm
                  tasks:
                    - name: flaky
                      resources: {cpus: 1, memory: 50Mi, time: 2m}
                      retryStrategy:
                        limit: 2
                        retryPolicy: OnFailure
                        backoff: {duration: 20s}
                      script: |
                        #!/bin/bash
                        echo "running in $(pwd)"
                        if [ ! -f ../marker ]; then
                          touch ../marker
                          echo "first attempt: failing on purpose"
                          exit 7
                        fi
                        echo "second attempt: marker found, succeeding"
                """);
        // While it waits, the Task says why and until when.
        Task waiting = awaitValue("task flaky in backoff", Duration.ofMinutes(3), () -> {
            Task t = ns.get("htask", c + "-flaky", Task.class);
            assertThat(t.getStatus()).isNotNull();
            assertThat(t.getStatus().getReason()).isEqualTo("BackoffUntil");
            return t;
        });
        System.out.printf("[orch] line 2: while waiting: phase %s reason %s nextAttemptAfter %s message %s%n",
                waiting.getStatus().getPhase(), waiting.getStatus().getReason(), waiting.getStatus().getNextAttemptAfter(),
                waiting.getStatus().getMessage());
        assertThat(waiting.getStatus().getPhase()).isEqualTo(TaskPhase.Retrying);
        assertThat(waiting.getStatus().getNextAttemptAfter()).isNotNull();
        assertThat(waiting.getStatus().getMessage()).contains(waiting.getStatus().getNextAttemptAfter());

        awaitCampaignPhase(c, CampaignPhase.Succeeded, Duration.ofMinutes(4));
        Task task = ns.get("htask", c + "-flaky", Task.class);
        assertThat(task.getStatus().getPhase()).isEqualTo(TaskPhase.Succeeded);
        assertThat(task.getStatus().getAttempts()).isEqualTo(2);

        List<TaskAttempt> attempts = attempts(c, "flaky");
        assertThat(attempts).extracting(a -> a.getSpec().getIndex()).containsExactly(1, 2);
        TaskAttempt first = attempts.get(0);
        TaskAttempt second = attempts.get(1);
        assertThat(first.getStatus().getPhase()).isEqualTo(AttemptPhase.Failed);
        assertThat(first.getStatus().getReason()).isEqualTo("NonZeroExit");
        assertThat(first.getStatus().getExitCode()).isEqualTo(7);
        assertThat(second.getStatus().getPhase()).isEqualTo(AttemptPhase.Succeeded);
        assertThat(login.sacctStateAndExit(first.getStatus().getJobId())).isEqualTo("FAILED|7:0");
        assertThat(login.sacctStateAndExit(second.getStatus().getJobId())).isEqualTo("COMPLETED|0:0");

        // Own work directories; attempt 1's evidence is still on disk.
        String root = env.require("HPCB_WORK_ROOT") + "/" + ns.name() + "/" + c + "/flaky/";
        assertThat(first.getSpec().getWorkDir()).isEqualTo(root + "1");
        assertThat(second.getSpec().getWorkDir()).isEqualTo(root + "2");
        LoginNode.Result files = login.exec("cat " + first.getSpec().getWorkDir() + "/stdout && echo '==' && cat "
                + second.getSpec().getWorkDir() + "/stdout");
        assertThat(files.ok()).as(files.stderr()).isTrue();
        String[] halves = files.stdout().split("==\n");
        assertThat(halves[0]).contains("running in " + first.getSpec().getWorkDir(), "first attempt: failing on purpose");
        assertThat(halves[1]).contains("running in " + second.getSpec().getWorkDir(), "second attempt: marker found");

        // The backoff, three ways: the attempts' times, the object's creation and the sbatch time on the login node.
        Instant firstEnd = instant(first.getStatus().getFinishedAt());
        assertThat(instant(second.getStatus().getSubmittedAt())).as("attempt 2 submittedAt vs attempt 1 finishedAt + 20s")
                .isAfterOrEqualTo(firstEnd.plus(backoff));
        assertThat(instant(second.getMetadata().getCreationTimestamp())).as("attempt 2 created vs attempt 1 finishedAt + 20s")
                .isAfterOrEqualTo(firstEnd.plus(backoff));
        long sacctEnd = Long.parseLong(login.exec("date -d \"$(/usr/bin/sacct -X -n -P -j " + first.getStatus().getJobId()
                + " -o End)\" +%s").stdout().strip());
        List<String> secondSbatch = sbatchLines(jobPrefix(c) + "flaky-2");
        assertThat(secondSbatch).hasSize(1);
        long sbatchMs = Long.parseLong(secondSbatch.get(0).split(" ")[0]);
        System.out.printf("[orch] line 2: attempt 1 ended (sacct) %d, attempt 2 sbatch %.1f s later (backoff 20 s)%n", sacctEnd,
                (sbatchMs - sacctEnd * 1000) / 1000.0);
        assertThat(sbatchMs).as("attempt 2's sbatch on the login node vs attempt 1's end in sacct + 20 s")
                .isGreaterThanOrEqualTo(sacctEnd * 1000 + backoff.toMillis());
        assertThat(sbatchLines(jobPrefix(c))).hasSize(2);
    }

    // ------------------------------------------------------------------------------------------------ line 3

    /**
     * Line 3: time limit 1m with escalate timeFactor 2: attempt 1 hits the limit (TIMEOUT in sacct) and attempt 2 is
     * submitted with 2 minutes (the sbatch line on the login node and sacct's Timelimit). A sibling with retryPolicy
     * OnApplicationError that times out is not retried.
     */
    @Test
    @Order(3)
    void timeoutIsRetriedWithTwiceTheTimeLimitButNotUnderOnApplicationError() {
        ns = freshNamespace("e2e-orch3");
        String c = "tl";
        apply("""
                apiVersion: hpcbridge.io/v1alpha1
                kind: Campaign
                metadata:
                  name: tl
                spec:
                  clusterRef:
                    name: local-slurm
                  defaults:
                    resources: {cpus: 1, memory: 50Mi, time: 1m}
                  tasks:
                    - name: slow
                      retryStrategy:
                        limit: 1
                        retryPolicy: OnResource
                        escalate: {timeFactor: 2, maxTime: 10m}
                      script: |
                        #!/bin/bash
                        if [ -f ../marker ]; then echo "marker found: done quickly"; exit 0; fi
                        touch ../marker
                        echo "sleeping past the time limit"
                        sleep 600
                    - name: strict
                      retryStrategy:
                        limit: 2
                        retryPolicy: OnApplicationError
                      script: |
                        #!/bin/bash
                        echo "sleeping past the time limit"
                        sleep 600
                """);
        awaitCampaignPhase(c, CampaignPhase.Failed, Duration.ofMinutes(8));

        Task slow = ns.get("htask", c + "-slow", Task.class);
        assertThat(slow.getStatus().getPhase()).isEqualTo(TaskPhase.Succeeded);
        List<TaskAttempt> slowAttempts = attempts(c, "slow");
        assertThat(slowAttempts).extracting(a -> a.getSpec().getIndex()).containsExactly(1, 2);
        TaskAttempt s1 = slowAttempts.get(0);
        TaskAttempt s2 = slowAttempts.get(1);
        assertThat(s1.getStatus().getPhase()).isEqualTo(AttemptPhase.Failed);
        assertThat(s1.getStatus().getReason()).isEqualTo("Timeout");
        assertThat(s1.getSpec().getResources().getTime()).isEqualTo("1m");
        assertThat(s2.getSpec().getResources().getTime()).as("attempt 2's frozen time limit").isEqualTo("2m");
        assertThat(s2.getSpec().getConfigHash()).isNotEqualTo(s1.getSpec().getConfigHash());
        assertThat(s2.getStatus().getPhase()).isEqualTo(AttemptPhase.Succeeded);

        // What Slurm was asked for, and what it enforced.
        assertThat(sbatchLines(jobPrefix(c) + "slow-1")).singleElement().asString().contains(" --time=0-00:01:00 ");
        assertThat(sbatchLines(jobPrefix(c) + "slow-2")).singleElement().asString().contains(" --time=0-00:02:00 ");
        // Accounting may still be writing the record (the attempt can end from its exit-code file first): wait for it.
        awaitOk("sacct records of slow-1 and slow-2", Duration.ofSeconds(60), () -> {
            assertThat(sacct(s1.getStatus().getJobId(), "State,Timelimit")).isEqualTo("TIMEOUT|00:01:00");
            assertThat(sacct(s2.getStatus().getJobId(), "State,Timelimit")).isEqualTo("COMPLETED|00:02:00");
        });

        // OnApplicationError does not retry a timeout: one attempt, Failed with reason Timeout.
        Task strict = ns.get("htask", c + "-strict", Task.class);
        assertThat(strict.getStatus().getPhase()).isEqualTo(TaskPhase.Failed);
        assertThat(strict.getStatus().getReason()).isEqualTo("Timeout");
        assertThat(strict.getStatus().getAttempts()).isEqualTo(1);
        List<TaskAttempt> strictAttempts = attempts(c, "strict");
        assertThat(strictAttempts).hasSize(1);
        awaitOk("sacct record of strict-1", Duration.ofSeconds(60), () ->
                assertThat(sacct(strictAttempts.get(0).getStatus().getJobId(), "State,Timelimit")).isEqualTo("TIMEOUT|00:01:00"));
        assertThat(sbatchLines(jobPrefix(c) + "strict-")).hasSize(1);
        System.out.println("[orch] line 3: strict: " + strict.getStatus().getMessage());

        Campaign campaign = ns.get("campaign", c, Campaign.class);
        assertThat(campaign.getStatus().getRecentFailures()).extracting(FailureRecord::getTask, FailureRecord::getReason)
                .contains(org.assertj.core.groups.Tuple.tuple("slow", "Timeout"), org.assertj.core.groups.Tuple.tuple("strict", "Timeout"));
    }

    // ------------------------------------------------------------------------------------------------ line 4

    /**
     * Line 4: suspend while two of eight tasks run (parallelism 2): no sbatch at all on the login node while suspended,
     * the two running jobs finish, the waiting tasks say Suspended; after resume the campaign completes.
     */
    @Test
    @Order(4)
    void suspendStopsSubmissionsLetsRunningJobsFinishAndResumeCompletes() {
        ns = freshNamespace("e2e-orch4");
        String c = "pause";
        String prefix = jobPrefix(c);
        StringBuilder y = new StringBuilder("""
                apiVersion: hpcbridge.io/v1alpha1
                kind: Campaign
                metadata:
                  name: pause
                spec:
                  clusterRef:
                    name: local-slurm
                  parallelism: 2
                  defaults:
                    resources: {cpus: 1, memory: 50Mi, time: 5m}
                    retryStrategy: {limit: 0}
                  tasks:
                """);
        for (int i = 1; i <= 8; i++) {
            y.append("    - name: t").append(i).append("\n      script: |\n        #!/bin/bash\n        echo t").append(i)
                    .append("; sleep 20\n");
        }
        apply(y.toString());

        // Two attempts run, the other six wait for the cap: nothing can be in flight towards sbatch right now.
        List<TaskAttempt> running = awaitValue("two attempts running", Duration.ofMinutes(3), () -> {
            List<TaskAttempt> all = attempts(c);
            assertThat(all).hasSize(2);
            assertThat(all).allSatisfy(a -> assertThat(a.getStatus().getPhase()).isEqualTo(AttemptPhase.Running));
            return all;
        });
        int before = sbatchLines(prefix).size();
        assertThat(before).isEqualTo(2);
        patch("campaign", c, "{\"spec\":{\"suspend\":true}}");
        long suspendedAtMs = remoteMillis();

        awaitOk("campaign Suspended", Duration.ofMinutes(1), () -> {
            Campaign camp = ns.get("campaign", c, Campaign.class);
            assertThat(camp.getStatus().getPhase()).isEqualTo(CampaignPhase.Suspended);
            assertThat(condition(camp, "Suspended").getStatus()).isEqualTo("True");
        });
        // Running jobs are followed to their end while suspended.
        awaitOk("the two running attempts finish while suspended", Duration.ofMinutes(2), () -> {
            for (TaskAttempt a : running) {
                assertThat(ns.get("hatt", a.getMetadata().getName(), TaskAttempt.class).getStatus().getPhase())
                        .isEqualTo(AttemptPhase.Succeeded);
            }
        });
        // And then nothing new for several poll intervals.
        awaitDuring("no sbatch while suspended", FEW_POLLS, () -> {
            assertThat(sbatchLines(prefix)).hasSize(before);
            assertThat(attempts(c)).hasSize(2);
        });
        for (TaskAttempt a : running) {
            assertThat(login.sacctStateAndExit(a.getStatus().getJobId())).isEqualTo("COMPLETED|0:0");
        }
        Set<String> started = running.stream().map(a -> a.getSpec().getTaskName()).collect(Collectors.toSet());
        for (Task t : ns.list("htask", "hpcbridge.io/campaign=" + c, Task.class)) {
            if (!started.contains(t.getSpec().getTaskName())) {
                assertThat(t.getStatus().getReason()).as(t.getMetadata().getName() + " reason").isEqualTo("Suspended");
            }
        }
        Campaign suspended = ns.get("campaign", c, Campaign.class);
        assertThat(suspended.getStatus().getBlockedBy()).extracting(BlockedCount::getReason, BlockedCount::getTasks)
                .contains(org.assertj.core.groups.Tuple.tuple("Suspended", 6));
        long sbatchWhileSuspended = sbatchLines(prefix).stream().filter(l -> millis(l) > suspendedAtMs).count();
        assertThat(sbatchWhileSuspended).as("sbatch calls on the login node while suspended").isZero();

        long resumedAtMs = remoteMillis();
        patch("campaign", c, "{\"spec\":{\"suspend\":false}}");
        awaitCampaignPhase(c, CampaignPhase.Succeeded, Duration.ofMinutes(5));
        List<String> all = sbatchLines(prefix);
        assertThat(all).hasSize(8);
        assertThat(all.stream().filter(l -> millis(l) > suspendedAtMs)).as("sbatch calls after the suspend")
                .allMatch(l -> millis(l) > resumedAtMs);
        assertThat(ns.list("htask", "hpcbridge.io/campaign=" + c, Task.class)).hasSize(8).allSatisfy(t -> {
            assertThat(t.getStatus().getPhase()).isEqualTo(TaskPhase.Succeeded);
            assertThat(t.getStatus().getAttempts()).isEqualTo(1);
        });
        assertThat(ns.get("campaign", c, Campaign.class).getSpec().getSuspend()).as("the user's field is untouched").isFalse();
    }

    // ------------------------------------------------------------------------------------------------ line 5

    /**
     * Line 5: stop with four long jobs running and three tasks waiting: every live job ends CANCELLED in sacct (confirmed
     * by the time the Campaign says Stopped), every unfinished Task is Cancelled, and nothing is submitted afterwards.
     */
    @Test
    @Order(5)
    void stopCancelsEveryLiveJobAndNothingIsSubmittedAfterwards() {
        ns = freshNamespace("e2e-orch5");
        String c = "halt";
        String prefix = jobPrefix(c);
        apply("""
                apiVersion: hpcbridge.io/v1alpha1
                kind: Campaign
                metadata:
                  name: halt
                spec:
                  clusterRef:
                    name: local-slurm
                  parallelism: 4
                  defaults:
                    resources: {cpus: 1, memory: 50Mi, time: 15m}
                    retryStrategy: {limit: 3, retryPolicy: Always}
                  tasks:
                    - name: long
                      shards: 6
                      script: |
                        #!/bin/bash
                        echo "shard $HPCB_SHARD_INDEX of $HPCB_SHARD_COUNT"
                        sleep 600
                    - name: after
                      dependsOn: [long]
                      script: |
                        #!/bin/bash
                        echo "after must never run"
                """);
        List<TaskAttempt> live = awaitValue("four attempts running", Duration.ofMinutes(3), () -> {
            List<TaskAttempt> all = attempts(c);
            assertThat(all).hasSize(4);
            assertThat(all).allSatisfy(a -> assertThat(a.getStatus().getPhase()).isEqualTo(AttemptPhase.Running));
            return all;
        });
        List<String> jobIds = live.stream().map(a -> a.getStatus().getJobId()).toList();
        assertThat(login.exec("/usr/bin/squeue --me -h -o '%j %T'").stdout().lines().filter(l -> l.startsWith(prefix))
                .filter(l -> l.endsWith(" RUNNING")).count()).isEqualTo(4);
        assertThat(sbatchLines(prefix)).hasSize(4);
        long stopMs = remoteMillis();
        patch("campaign", c, "{\"spec\":{\"stop\":true}}");

        awaitCampaignPhase(c, CampaignPhase.Stopped, Duration.ofMinutes(3));
        // Stopped means every cancel is confirmed: sacct already says so.
        Map<String, String> states = new TreeMap<>();
        for (String id : jobIds) {
            states.put(id, sacct(id, "State"));
        }
        System.out.println("[orch] line 5: sacct states when the campaign said Stopped: " + states);
        assertThat(states.values()).allMatch(s -> s.startsWith("CANCELLED"));
        assertThat(login.exec("/usr/bin/squeue --me -h -o %j").stdout().lines().filter(l -> l.startsWith(prefix)))
                .as("jobs of the campaign still in squeue").isEmpty();

        List<String> scancels = login.commandLog().stream().filter(l -> l.split(" ").length > 2 && l.split(" ")[1].equals("scancel"))
                .filter(l -> millis(l) >= stopMs).toList();
        System.out.println("[orch] line 5: scancel calls after the stop: " + scancels);
        Set<String> cancelledIds = scancels.stream().flatMap(l -> List.of(l.split(" ")).stream().skip(2)).collect(Collectors.toSet());
        assertThat(cancelledIds).containsAll(jobIds);
        // Each job's cancel went out once: the jobs ended within the resend time (30 s), so no repeat was due.
        Map<String, Long> cancelsPerJob = scancels.stream().flatMap(l -> List.of(l.split(" ")).stream().skip(2))
                .collect(Collectors.groupingBy(id -> id, java.util.TreeMap::new, Collectors.counting()));
        assertThat(cancelsPerJob).as("scancel calls per job id after the stop").allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1L));

        assertThat(attempts(c)).hasSize(4).allSatisfy(a -> {
            assertThat(a.getStatus().getPhase()).isEqualTo(AttemptPhase.Cancelled);
            assertThat(a.getStatus().getMessage()).contains("cancelled by hpc-bridge: campaign stopped");
        });
        // Nothing new afterwards, although the retry policy (Always) would retry cancellations.
        awaitDuring("nothing submitted after Stopped", FEW_POLLS, () -> {
            assertThat(sbatchLines(prefix)).hasSize(4);
            assertThat(attempts(c)).hasSize(4);
            assertThat(ns.get("campaign", c, Campaign.class).getStatus().getPhase()).isEqualTo(CampaignPhase.Stopped);
        });

        // Every unfinished Task, the never-started shards and the downstream task included, ends Cancelled (Stopped).
        List<Task> tasks = ns.list("htask", "hpcbridge.io/campaign=" + c, Task.class);
        System.out.println("[orch] line 5: tasks: " + tasks.stream().map(t -> t.getSpec().getTaskName() + "=" + t.getStatus().getPhase()
                + "/" + t.getStatus().getReason()).collect(Collectors.joining(", ")));
        assertThat(tasks).hasSize(7).allSatisfy(t -> {
            assertThat(t.getStatus().getPhase()).as(t.getMetadata().getName()).isEqualTo(TaskPhase.Cancelled);
            assertThat(t.getStatus().getReason()).as(t.getMetadata().getName()).isEqualTo("Stopped");
        });
        Campaign stopped = ns.get("campaign", c, Campaign.class);
        assertThat(stopped.getStatus().getTasks().getCancelled()).isEqualTo(7);
    }

    // ------------------------------------------------------------------------------------------------ line 6

    /**
     * Line 6: retry-failed on a Failed campaign reruns only the failed task and its skipped downstream; rerun on a
     * Succeeded task creates exactly one attempt; with rerun-downstream its downstream runs again after it; Succeeded
     * tasks keep their attempts; re-applying the same annotation values does nothing.
     */
    @Test
    @Order(6)
    void rerunAndRetryFailedActOncePerValue() {
        ns = freshNamespace("e2e-orch6");
        String c = "rr";
        String prefix = jobPrefix(c);
        apply("""
                apiVersion: hpcbridge.io/v1alpha1
                kind: Campaign
                metadata:
                  name: rr
                spec:
                  clusterRef:
                    name: local-slurm
                  defaults:
                    resources: {cpus: 1, memory: 50Mi, time: 5m}
                    retryStrategy: {limit: 0}
                  tasks:
                    - name: prep
                      script: |
                        #!/bin/bash
                        echo "prep in $(pwd)"
                    - name: mid
                      dependsOn: [prep]
                      script: |
                        #!/bin/bash
                        echo "mid in $(pwd)"
                    - name: post
                      dependsOn: [mid]
                      script: |
                        #!/bin/bash
                        echo "post in $(pwd)"
                    - name: breaks
                      script: |
                        #!/bin/bash
                        if [ ! -f ../marker ]; then touch ../marker; echo "breaks: failing once"; exit 3; fi
                        echo "breaks: fixed"
                    - name: after
                      dependsOn: [breaks]
                      script: |
                        #!/bin/bash
                        echo "after in $(pwd)"
                """);
        awaitCampaignPhase(c, CampaignPhase.Failed, Duration.ofMinutes(4));
        assertAttemptCounts(c, Map.of("prep", 1, "mid", 1, "post", 1, "breaks", 1, "after", 0));
        assertThat(task(c, "after").getStatus().getPhase()).isEqualTo(TaskPhase.Skipped);
        assertThat(sbatchLines(prefix)).hasSize(4);

        // retry-failed: breaks and its skipped downstream run again; the succeeded tasks are untouched.
        annotate("campaign/" + c, "hpcbridge.io/retry-failed=t1");
        awaitOk("retry-failed t1 done", Duration.ofMinutes(4), () -> {
            assertAttemptCounts(c, Map.of("breaks", 2, "after", 1));
            assertThat(task(c, "breaks").getStatus().getPhase()).isEqualTo(TaskPhase.Succeeded);
            assertThat(task(c, "after").getStatus().getPhase()).isEqualTo(TaskPhase.Succeeded);
            Campaign camp = ns.get("campaign", c, Campaign.class);
            assertThat(camp.getStatus().getPhase()).isEqualTo(CampaignPhase.Succeeded);
            assertThat(camp.getStatus().getLastRetryFailed()).isEqualTo("t1");
        });
        assertAttemptCounts(c, Map.of("prep", 1, "mid", 1, "post", 1, "breaks", 2, "after", 1));
        assertThat(sbatchLines(prefix)).hasSize(6);

        // rerun of a Succeeded task, without downstream: exactly one new attempt, post is not rerun.
        annotate("htask/" + c + "-mid", "hpcbridge.io/rerun=r1");
        awaitOk("rerun r1 of mid done", Duration.ofMinutes(3), () -> {
            Task mid = task(c, "mid");
            assertThat(mid.getStatus().getAttempts()).isEqualTo(2);
            assertThat(mid.getStatus().getPhase()).isEqualTo(TaskPhase.Succeeded);
            assertThat(mid.getStatus().getLastRerun()).isEqualTo("r1");
            assertThat(ns.get("campaign", c, Campaign.class).getStatus().getPhase()).isEqualTo(CampaignPhase.Succeeded);
        });
        awaitDuring("only mid reran", FEW_POLLS, () ->
                assertAttemptCounts(c, Map.of("prep", 1, "mid", 2, "post", 1, "breaks", 2, "after", 1)));
        assertThat(sbatchLines(prefix)).hasSize(7);

        // rerun with rerun-downstream on prep: prep, then mid, then post run again; the other branch is untouched.
        annotate("htask/" + c + "-prep", "hpcbridge.io/rerun=r2", "hpcbridge.io/rerun-downstream=true");
        awaitOk("rerun r2 of prep with downstream done", Duration.ofMinutes(4), () -> {
            assertAttemptCounts(c, Map.of("prep", 2, "mid", 3, "post", 2));
            for (String t : List.of("prep", "mid", "post")) {
                assertThat(task(c, t).getStatus().getPhase()).as(t).isEqualTo(TaskPhase.Succeeded);
            }
            assertThat(ns.get("campaign", c, Campaign.class).getStatus().getPhase()).isEqualTo(CampaignPhase.Succeeded);
        });
        assertAttemptCounts(c, Map.of("prep", 2, "mid", 3, "post", 2, "breaks", 2, "after", 1));
        TaskAttempt prep2 = attempt(c, "prep", 2);
        TaskAttempt mid3 = attempt(c, "mid", 3);
        TaskAttempt post2 = attempt(c, "post", 2);
        assertThat(instant(mid3.getStatus().getSubmittedAt())).isAfterOrEqualTo(instant(prep2.getStatus().getFinishedAt()));
        assertThat(instant(post2.getStatus().getSubmittedAt())).isAfterOrEqualTo(instant(mid3.getStatus().getFinishedAt()));
        assertThat(task(c, "prep").getStatus().getLastRerun()).isEqualTo("r2");
        assertThat(sbatchLines(prefix)).hasSize(10);

        // Every attempt kept its own work directory and stdout.
        List<TaskAttempt> all = attempts(c);
        assertThat(all).hasSize(10);
        assertThat(all).extracting(a -> a.getSpec().getWorkDir()).doesNotHaveDuplicates();
        String check = all.stream().map(a -> "test -s " + a.getSpec().getWorkDir() + "/stdout").collect(Collectors.joining(" && "));
        assertThat(login.exec(check).ok()).as("stdout of every attempt still on disk").isTrue();
        assertThat(all).allSatisfy(a -> assertThat(a.getStatus().getPhase()).isIn(AttemptPhase.Succeeded, AttemptPhase.Failed));

        // Re-applying the same values (removed and set again, as a GitOps sync would) does nothing.
        annotate("campaign/" + c, "hpcbridge.io/retry-failed-");
        annotate("htask/" + c + "-mid", "hpcbridge.io/rerun-");
        annotate("htask/" + c + "-prep", "hpcbridge.io/rerun-", "hpcbridge.io/rerun-downstream-");
        annotate("campaign/" + c, "hpcbridge.io/retry-failed=t1");
        annotate("htask/" + c + "-mid", "hpcbridge.io/rerun=r1");
        annotate("htask/" + c + "-prep", "hpcbridge.io/rerun=r2", "hpcbridge.io/rerun-downstream=true");
        awaitDuring("re-applied annotations change nothing", FEW_POLLS, () -> {
            assertAttemptCounts(c, Map.of("prep", 2, "mid", 3, "post", 2, "breaks", 2, "after", 1));
            assertThat(sbatchLines(prefix)).hasSize(10);
            assertThat(ns.get("campaign", c, Campaign.class).getStatus().getPhase()).isEqualTo(CampaignPhase.Succeeded);
        });
    }

    // ------------------------------------------------------------------------------------------------ line 7

    /**
     * Line 7: a 100x100 matrix (10,000 Tasks) with suspend: true is accepted and expanded; the Campaign object stays
     * below 64 KiB; nothing is submitted. The expansion time is printed (bench/expansion.sh measures it with a baseline).
     */
    @Test
    @Order(7)
    void tenThousandTaskSweepIsExpandedWhileSuspendedAndTheCampaignStaysSmall() {
        ns = freshNamespace("e2e-orch7");
        String c = "big";
        String values = IntStream.range(0, 100).mapToObj(i -> "\"" + i + "\"").collect(Collectors.joining(", ", "[", "]"));
        String manifest = """
                apiVersion: hpcbridge.io/v1alpha1
                kind: Campaign
                metadata:
                  name: big
                spec:
                  clusterRef:
                    name: local-slurm
                  suspend: true
                  defaults:
                    resources: {cpus: 1, memory: 50Mi, time: 5m}
                  tasks:
                    - name: sweep
                      matrix:
                        i: VALUES
                        j: VALUES
                      script: |
                        #!/bin/bash
                        echo "i=$i j=$j"
                """.replace("VALUES", values);
        Instant t0 = Instant.now();
        apply(manifest);
        Kubectl longer = ns.kubectl().withTimeout(Duration.ofMinutes(3));
        int[] listed = new int[1];
        awaitOk("10,000 Tasks exist and status.tasks.total is 10000", Duration.ofMinutes(10), Duration.ofSeconds(2), () -> {
            String total = ns.kubectl().get("campaign", c, "-o", "jsonpath={.status.tasks.total}").orFail().stdout().strip();
            assertThat(total).isEqualTo("10000");
            listed[0] = (int) longer.get("htask", "-l", "hpcbridge.io/campaign=" + c, "-o", "name").orFail().stdout()
                    .lines().filter(l -> !l.isBlank()).count();
            assertThat(listed[0]).isEqualTo(10000);
        });
        Duration expansion = Duration.between(t0, Instant.now());
        System.out.printf("[orch] line 7: 10,000 Tasks expanded in %.1f s (apply -> all Tasks listed and status.tasks.total=10000)%n",
                expansion.toMillis() / 1000.0);

        Campaign big = ns.get("campaign", c, Campaign.class);
        assertThat(condition(big, "Accepted").getStatus()).isEqualTo("True");
        assertThat(big.getStatus().getTasks().getTotal()).isEqualTo(10000);
        int size = ns.kubectl().get("campaign", c, "-o", "json").orFail().stdout().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        System.out.printf("[orch] line 7: Campaign object %d bytes as JSON (limit 65536)%n", size);
        assertThat(size).as("bytes of kubectl get campaign big -o json").isLessThan(64 * 1024);

        Task sample = ns.get("htask", c + "-sweep-42-7", Task.class);
        assertThat(sample.getSpec().getParameters()).containsExactlyInAnyOrderEntriesOf(Map.of("i", "42", "j", "7"));
        assertThat(sample.getSpec().getSweep()).isEqualTo("sweep");
        assertThat(ns.kubectl().get("htask", c + "-sweep-0-0", c + "-sweep-99-99", "-o", "name").ok()).isTrue();

        awaitOk("campaign Suspended with 10000 tasks blocked by Suspended", Duration.ofMinutes(3), () -> {
            Campaign camp = ns.get("campaign", c, Campaign.class);
            assertThat(camp.getStatus().getPhase()).isEqualTo(CampaignPhase.Suspended);
            assertThat(camp.getStatus().getBlockedBy()).extracting(BlockedCount::getReason, BlockedCount::getTasks)
                    .contains(org.assertj.core.groups.Tuple.tuple("Suspended", 10000));
        });
        int finalSize = ns.kubectl().get("campaign", c, "-o", "json").orFail().stdout().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        assertThat(finalSize).as("Campaign object bytes once the status is complete").isLessThan(64 * 1024);
        assertThat(ns.kubectl().get("hatt", "-l", "hpcbridge.io/campaign=" + c, "-o", "name").orFail().stdout()).isBlank();
        assertThat(sbatchLines(jobPrefix(c))).as("sbatch calls for the suspended sweep").isEmpty();
        ns.kubectl().delete("campaign", c, "--wait=false");
    }

    // ------------------------------------------------------------------------------------------------ line 8

    /**
     * Line 8: invalid campaigns each get Accepted=False with a reason and a message naming the problem; no Task is
     * created and nothing is submitted. Resource values the schema cannot refuse (zero quantities, reserved or repeated
     * names, as in CrdValidationE2E#resourceValuesForTheOperator) are among them. A fixed spec (new generation) is then
     * accepted and runs.
     */
    @Test
    @Order(8)
    void invalidCampaignsAreNotAcceptedAndNothingIsSubmitted() {
        ns = freshNamespace("e2e-orch8");
        record Case(String name, String tasks, String reason, String... inMessage) {
        }
        String script = "      script: |\n        #!/bin/bash\n        echo ok\n";
        List<Case> cases = List.of(
                new Case("cycle", "    - name: a\n      dependsOn: [b]\n" + script + "    - name: b\n      dependsOn: [a]\n" + script,
                        "DependencyCycle", "dependency cycle: "),
                new Case("unknown", "    - name: a\n      dependsOn: [nope]\n" + script,
                        "UnknownDependency", "'a'", "'nope'"),
                new Case("dup", "    - name: a\n      shards: 2\n" + script + "    - name: a-1\n" + script,
                        "DuplicateTaskName", "'a-1'"),
                new Case("zeromem", "    - name: x\n      resources: {memory: \"0\"}\n" + script,
                        "InvalidResources", "task 'x'", "resources.memory", "positive"),
                new Case("zerotime", "    - name: x\n      resources: {time: 0s}\n" + script,
                        "InvalidResources", "task 'x'", "resources.time", "positive"),
                new Case("zerodisk", "    - name: x\n      resources: {disk: 0Mi}\n" + script,
                        "InvalidResources", "task 'x'", "resources.disk", "positive"),
                new Case("reservedattr", "    - name: x\n      resources: {htcondor: {attributes: [{name: HpcBridgeToken, value: '1'}]}}\n"
                        + script, "InvalidResources", "task 'x'", "resources.htcondor.attributes", "HpcBridgeToken"),
                new Case("dupoption", "    - name: x\n      resources: {slurm: {options: [{name: nice, value: '1'}, {name: nice, value: '2'}]}}\n"
                        + script, "InvalidResources", "task 'x'", "resources.slurm.options", "'nice'"),
                new Case("toolarge", "    - name: huge\n      matrix:\n        i: " + IntStream.range(0, 101).mapToObj(Integer::toString)
                        .collect(Collectors.joining("\", \"", "[\"", "\"]")) + "\n        j: "
                        + IntStream.range(0, 100).mapToObj(Integer::toString).collect(Collectors.joining("\", \"", "[\"", "\"]"))
                        + "\n" + script,
                        "SweepTooLarge", "10100", "'huge'", "hpcbridge.campaign.max-tasks"));
        for (Case k : cases) {
            apply("apiVersion: hpcbridge.io/v1alpha1\nkind: Campaign\nmetadata:\n  name: " + k.name()
                    + "\nspec:\n  clusterRef:\n    name: local-slurm\n  defaults:\n    resources: {cpus: 1, memory: 50Mi, time: 2m}\n  tasks:\n"
                    + k.tasks());
        }
        for (Case k : cases) {
            Condition accepted = awaitValue(k.name() + " Accepted=False", Duration.ofMinutes(2), () -> {
                Campaign camp = ns.get("campaign", k.name(), Campaign.class);
                Condition cond = condition(camp, "Accepted");
                assertThat(cond.getStatus()).isEqualTo("False");
                return cond;
            });
            System.out.printf("[orch] line 8: %s -> Accepted=False %s: %s%n", k.name(), accepted.getReason(), accepted.getMessage());
            assertThat(accepted.getReason()).as(k.name()).isEqualTo(k.reason());
            assertThat(accepted.getMessage()).as(k.name()).contains(k.inMessage());
        }
        assertThat(ns.get("campaign", "cycle", Campaign.class).getStatus().getConditions().stream()
                .filter(x -> x.getType().equals("Accepted")).findFirst().orElseThrow().getMessage())
                .matches("(?s).*dependency cycle: (a -> b -> a|b -> a -> b).*");
        // Still nothing after a few poll intervals: no Task, no attempt, no sbatch.
        awaitDuring("no Task, no attempt and no sbatch for invalid campaigns", Duration.ofSeconds(10), () -> {
            for (Case k : cases) {
                assertThat(ns.kubectl().get("htask,hatt", "-l", "hpcbridge.io/campaign=" + k.name(), "-o", "name").orFail().stdout())
                        .as(k.name()).isBlank();
            }
            assertThat(sbatchLines("hpcb." + ns.name() + ".")).isEmpty();
        });

        // A fixed spec is a new generation, and it is accepted and runs.
        ns.kubectl().run("patch", "campaign", "zeromem", "--type", "json", "-p",
                "[{\"op\":\"replace\",\"path\":\"/spec/tasks/0/resources/memory\",\"value\":\"50Mi\"}]").orFail();
        awaitOk("fixed zeromem accepted and succeeded", Duration.ofMinutes(3), () -> {
            Campaign camp = ns.get("campaign", "zeromem", Campaign.class);
            assertThat(condition(camp, "Accepted").getStatus()).isEqualTo("True");
            assertThat(camp.getStatus().getObservedGeneration()).isEqualTo(camp.getMetadata().getGeneration());
            assertThat(camp.getStatus().getPhase()).isEqualTo(CampaignPhase.Succeeded);
        });
        assertThat(sbatchLines(jobPrefix("zeromem"))).hasSize(1).allMatch(l -> l.contains(" --mem=50M "));
        assertThat(sbatchLines("hpcb." + ns.name() + ".")).hasSize(1);
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /** A fresh namespace with the example HpcCluster, polling every 2 s, connected. */
    private static TestNamespace freshNamespace(String prefix) {
        TestNamespace t = TestNamespace.create(prefix);
        t.kubectl().run("patch", "hpccluster", "local-slurm", "--type", "merge", "-p",
                "{\"spec\":{\"pollInterval\":\"" + POLL_INTERVAL + "\"}}").orFail();
        t.kubectl().run("wait", "--for=condition=Ready", "--timeout=120s", "hpccluster/local-slurm").orFail();
        return t;
    }

    private void apply(String manifest) {
        ns.kubectl().apply(manifest).orFail();
    }

    private void patch(String kind, String name, String mergePatch) {
        ns.kubectl().run("patch", kind, name, "--type", "merge", "-p", mergePatch).orFail();
    }

    private void annotate(String object, String... annotations) {
        List<String> args = new ArrayList<>(List.of("annotate", "--overwrite", object));
        args.addAll(List.of(annotations));
        ns.kubectl().run(args.toArray(String[]::new)).orFail();
    }

    private String jobPrefix(String campaign) {
        return "hpcb." + ns.name() + "." + campaign + "-";
    }

    private Task task(String campaign, String taskName) {
        return ns.get("htask", campaign + "-" + taskName, Task.class);
    }

    /** All attempts of a campaign, by task name and index. */
    private List<TaskAttempt> attempts(String campaign) {
        List<TaskAttempt> all = new ArrayList<>(ns.list("hatt", "hpcbridge.io/campaign=" + campaign, TaskAttempt.class));
        all.sort(Comparator.comparing((TaskAttempt a) -> a.getSpec().getTaskName()).thenComparing(a -> a.getSpec().getIndex()));
        return all;
    }

    /** The attempts of one task, by index. */
    private List<TaskAttempt> attempts(String campaign, String taskName) {
        return attempts(campaign).stream().filter(a -> a.getSpec().getTaskName().equals(taskName)).toList();
    }

    private TaskAttempt attempt(String campaign, String taskName, int index) {
        return ns.get("hatt", campaign + "-" + taskName + "-" + index, TaskAttempt.class);
    }

    private void assertAttemptCounts(String campaign, Map<String, Integer> expected) {
        Map<String, Long> actual = attempts(campaign).stream()
                .collect(Collectors.groupingBy(a -> a.getSpec().getTaskName(), TreeMap::new, Collectors.counting()));
        Map<String, Long> wanted = new TreeMap<>();
        expected.forEach((k, v) -> wanted.put(k, (long) v));
        Map<String, Long> relevant = new TreeMap<>();
        expected.keySet().forEach(k -> relevant.put(k, actual.getOrDefault(k, 0L)));
        assertThat(relevant).as("TaskAttempts per task (all: " + actual + ")").isEqualTo(wanted);
    }

    private void awaitCampaignPhase(String campaign, CampaignPhase phase, Duration timeout) {
        awaitOk("campaign " + campaign + " " + phase, timeout, () ->
                assertThat(ns.get("campaign", campaign, Campaign.class).getStatus().getPhase()).isEqualTo(phase));
    }

    private void awaitOk(String what, Duration timeout, ThrowingRunnable assertion) {
        awaitOk(what, timeout, Duration.ofSeconds(1), assertion);
    }

    private void awaitOk(String what, Duration timeout, Duration poll, ThrowingRunnable assertion) {
        try {
            await(what).atMost(timeout).pollDelay(Duration.ZERO).pollInterval(poll).untilAsserted(assertion);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + "\n" + diagnostics(), e);
        }
    }

    private <T> T awaitValue(String what, Duration timeout, java.util.concurrent.Callable<T> supplier) {
        Object[] holder = new Object[1];
        awaitOk(what, timeout, () -> holder[0] = supplier.call());
        @SuppressWarnings("unchecked")
        T value = (T) holder[0];
        return value;
    }

    /** The assertion holds for the whole period (checked every second); fails as soon as it does not. */
    private void awaitDuring(String what, Duration period, ThrowingRunnable assertion) {
        Instant end = Instant.now().plus(period);
        while (Instant.now().isBefore(end)) {
            try {
                assertion.run();
            } catch (AssertionError e) {
                throw new AssertionError(what + ": " + e.getMessage() + "\n" + diagnostics(), e);
            } catch (Throwable t) {
                throw new IllegalStateException(what, t);
            }
            sleep(1000);
        }
    }

    private String diagnostics() {
        if (ns == null) {
            return "";
        }
        return "---- objects in " + ns.name() + "\n" + ns.kubectl().get("campaign,htask,hatt", "-o", "wide").stdout()
                + "---- squeue\n" + login.exec("/usr/bin/squeue --me -o '%i %j %T %r'").stdout()
                + "---- operator log " + operator.log() + (operator.isAlive() ? "" : " (operator exited " + operator.exitValue() + ")");
    }

    /** The shim's sbatch lines whose --job-name starts with the prefix ("<ms> sbatch ..."). */
    private static List<String> sbatchLines(String jobNamePrefix) {
        LoginNode.Result r = login.exec("awk '$2 == \"sbatch\" && index($0, \" --job-name=" + jobNamePrefix + "\")' "
                + env.require("HPCB_CMDLOG") + " 2>/dev/null || true");
        return r.stdout().lines().filter(l -> !l.isBlank()).toList();
    }

    private static long millis(String cmdlogLine) {
        return Long.parseLong(cmdlogLine.substring(0, cmdlogLine.indexOf(' ')));
    }

    /** The login node's clock, in the shim log's unit. */
    private static long remoteMillis() {
        return Long.parseLong(login.exec("date +%s%3N").stdout().strip());
    }

    private static String sacct(String jobId, String fields) {
        return login.exec("/usr/bin/sacct -X -n -P -j " + jobId + " -o " + fields).stdout().strip();
    }

    private static Map<String, String> sacctStates(java.util.Collection<TaskAttempt> attempts) {
        String ids = attempts.stream().map(a -> a.getStatus().getJobId()).collect(Collectors.joining(","));
        Map<String, String> states = new TreeMap<>();
        for (String line : login.exec("/usr/bin/sacct -X -n -P -j " + ids + " -o JobIDRaw,State").stdout().lines().toList()) {
            String[] f = line.split("\\|");
            if (f.length == 2) {
                states.put(f[0], f[1]);
            }
        }
        assertThat(states).as("sacct rows for " + ids).hasSize(attempts.size());
        return states;
    }

    private static Condition condition(Campaign campaign, String type) {
        assertThat(campaign.getStatus()).as("status of " + campaign.getMetadata().getName()).isNotNull();
        return campaign.getStatus().getConditions().stream().filter(x -> type.equals(x.getType())).findFirst()
                .orElseThrow(() -> new AssertionError("no condition " + type + " in " + campaign.getStatus().getConditions()));
    }

    private static Instant instant(String rfc3339) {
        assertThat(rfc3339).as("timestamp").isNotNull();
        return Instant.parse(rfc3339);
    }

    private static List<String> concat(List<String> a, Set<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
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
     * {@code squeue --me -h -o %j} every second on the login node, in one ssh session (a loop of the real squeue), so
     * that the samples are not spaced by ssh set-up times. Counts the lines that start with the campaign's job prefix.
     */
    static final class QueueSampler implements AutoCloseable {
        private final Process process;
        private final Path out;
        private final String prefix;

        private QueueSampler(Process process, Path out, String prefix) {
            this.process = process;
            this.out = out;
            this.prefix = prefix;
        }

        static QueueSampler start(StackEnv env, String prefix) throws IOException {
            Path out = Files.createTempFile("squeue-samples", ".txt");
            // Bounded by itself too (30 min), should the local ssh be killed without the remote side noticing.
            String loop = "for i in $(seq 1 1800); do echo \"@ $(date +%s%3N)\"; /usr/bin/squeue --me -h -o %j; sleep 1; done";
            List<String> argv = List.of("ssh", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes",
                    "-o", "UserKnownHostsFile=" + env.require("HPCB_KNOWN_HOSTS"), "-i", env.require("HPCB_SSH_KEY"),
                    "-p", env.require("HPCB_SSH_PORT"), env.require("HPCB_SSH_USER") + "@" + env.require("HPCB_SSH_HOST"), loop);
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            return new QueueSampler(p, out, prefix);
        }

        void stopSampling() {
            if (process.isAlive()) {
                process.destroy();
                try {
                    process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        /** Jobs of the campaign per complete sample. */
        Map<Instant, Integer> counts() throws IOException {
            Map<Instant, Integer> counts = new LinkedHashMap<>();
            Instant current = null;
            int n = 0;
            for (String line : Files.readAllLines(out)) {
                if (line.startsWith("@ ")) {
                    if (current != null) {
                        counts.put(current, n);
                    }
                    current = Instant.ofEpochMilli(Long.parseLong(line.substring(2).strip()));
                    n = 0;
                } else if (line.startsWith(prefix)) {
                    n++;
                }
            }
            // The last sample may be cut off by the stop: left out.
            return counts;
        }

        @Override
        public void close() throws IOException {
            stopSampling();
            Files.deleteIfExists(out);
        }
    }
}
