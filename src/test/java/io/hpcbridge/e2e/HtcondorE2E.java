package io.hpcbridge.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.hpcbridge.api.v1alpha1.AttemptPhase;
import io.hpcbridge.api.v1alpha1.Campaign;
import io.hpcbridge.api.v1alpha1.CampaignPhase;
import io.hpcbridge.api.v1alpha1.Task;
import io.hpcbridge.api.v1alpha1.TaskAttempt;
import io.hpcbridge.api.v1alpha1.TaskPhase;

/**
 * The HTCondor half of the bridge on a real pool (HTCondor in a Debian 13 chroot, its own sshd login node): the real
 * operator process, the real API server, and facts checked on the pool itself with condor_history and condor_q as the
 * login user, independent of the operator.
 */
class HtcondorE2E {
    private static final String WAIT = "--timeout=300s";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestNamespace ns;
    private static LoginNode pool;

    @BeforeAll
    static void setUp() {
        OperatorProcess.shared();
        pool = LoginNode.htcondor();
        ns = TestNamespace.withCredentials("e2e-condor");
        ns.kubectl().apply(new File("examples/htcondor/01-hpccluster.yaml")).orFail();
        ns.kubectl().withTimeout(Duration.ofSeconds(150)).run("wait", "--for=condition=Ready", "--timeout=120s", "hpcc/local-htcondor").orFail();
    }

    @AfterAll
    static void cleanUp() {
        if (ns != null) {
            ns.close();
        }
    }

    /** The same manifest as the Slurm example: only spec.clusterRef differs. */
    @Test
    void theHelloExampleDiffersFromTheSlurmOneOnlyInClusterRef() throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        JsonNode slurm = yaml.readTree(Files.readString(Path.of("examples/02-campaign-hello.yaml")));
        JsonNode condor = yaml.readTree(Files.readString(Path.of("examples/htcondor/02-campaign-hello.yaml")));
        assertThat(condor.at("/spec/clusterRef/name").asText()).isEqualTo("local-htcondor");
        ((com.fasterxml.jackson.databind.node.ObjectNode) condor.at("/spec/clusterRef")).put("name", slurm.at("/spec/clusterRef/name").asText());
        assertThat(condor).isEqualTo(slurm);
    }

    /** Acceptance 1: hello Succeeded; condor_history shows each attempt's job completed, exit code 0, with its identity. */
    @Test
    void helloSucceedsOnHtcondorAndHistoryShowsEachAttemptsJobCompletedWithItsIdentity() {
        ns.kubectl().apply(new File("examples/htcondor/02-campaign-hello.yaml")).orFail();
        Kubectl.Result waited = ns.kubectl().withTimeout(Duration.ofSeconds(330)).run("wait", "--for=condition=Succeeded", WAIT, "campaign/hello");
        assertThat(waited.exitCode()).as("campaign/hello on HTCondor: %s\n%s", waited, diagnostics("hello")).isZero();

        Campaign hello = ns.get("campaign", "hello", Campaign.class);
        assertThat(hello.getStatus().getPhase()).isEqualTo(CampaignPhase.Succeeded);
        List<TaskAttempt> attempts = ns.list("hatt", "hpcbridge.io/campaign=hello", TaskAttempt.class);
        assertThat(attempts).hasSize(3);
        for (TaskAttempt a : attempts) {
            assertThat(a.getStatus().getPhase()).isEqualTo(AttemptPhase.Succeeded);
            assertThat(a.getStatus().getExitCode()).isZero();
            assertThat(a.getStatus().getJobId()).matches("[0-9]+\\.[0-9]+");
            JsonNode ad = historyAd(a.getStatus().getJobId());
            assertThat(ad.path("JobStatus").asInt()).as("JobStatus of %s", a.getStatus().getJobId()).isEqualTo(4);
            assertThat(ad.path("ExitCode").asInt(-1)).isZero();
            assertThat(ad.path("ExitBySignal").asBoolean(true)).isFalse();
            assertThat(ad.path("HpcBridgeAttempt").asText()).isEqualTo(a.getMetadata().getUid());
        }
        LoginNode.Result out = pool.exec("cat " + attempts.stream().filter(x -> x.getSpec().getTaskName().equals("prepare-a"))
                .findFirst().orElseThrow().getSpec().getWorkDir() + "/a.txt");
        assertThat(out.stdout().strip()).isEqualTo("hello from a");
    }

    /** Acceptance 2: exit 3 → Failed, NonZeroExit, exitCode 3, downstream Skipped; a signal is reported as the signal. */
    @Test
    void exitThreeFailsWithItsCodeAndASignalIsReportedAsTheSignal() {
        ns.kubectl().apply("""
                apiVersion: hpcbridge.io/v1alpha1
                kind: Campaign
                metadata:
                  name: failing
                spec:
                  clusterRef:
                    name: local-htcondor
                  defaults:
                    resources: {cpus: 1, memory: 64Mi, time: 5m}
                  tasks:
                    - name: breaks
                      script: |
                        #!/bin/bash
                        echo "about to fail" >&2
                        exit 3
                    - name: after-break
                      dependsOn: [breaks]
                      script: |
                        #!/bin/bash
                        echo never
                    - name: killed
                      script: |
                        #!/bin/bash
                        kill -9 $$
                """).orFail();
        ns.kubectl().withTimeout(Duration.ofSeconds(330)).run("wait", "--for=condition=Failed", WAIT, "campaign/failing").orFail();

        TaskAttempt breaks = ns.get("hatt", "failing-breaks-1", TaskAttempt.class);
        assertThat(breaks.getStatus().getPhase()).isEqualTo(AttemptPhase.Failed);
        assertThat(breaks.getStatus().getReason()).isEqualTo("NonZeroExit");
        assertThat(breaks.getStatus().getExitCode()).isEqualTo(3);
        assertThat(breaks.getStatus().getMessage()).contains("about to fail");
        assertThat(historyAd(breaks.getStatus().getJobId()).path("ExitCode").asInt()).isEqualTo(3);
        assertThat(ns.get("htask", "failing-after-break", Task.class).getStatus().getPhase()).isEqualTo(TaskPhase.Skipped);

        TaskAttempt killed = ns.get("hatt", "failing-killed-1", TaskAttempt.class);
        assertThat(killed.getStatus().getPhase()).isEqualTo(AttemptPhase.Failed);
        // The wrapper ends by the script's signal, so HTCondor itself records a death by signal 9, and so does the status.
        assertThat(killed.getStatus().getReason()).as("status %s", killed.getStatus().getMessage()).isEqualTo("Signal");
        assertThat(killed.getStatus().getSignal()).isEqualTo(9);
        assertThat(killed.getStatus().getExitCode()).isNull();
        JsonNode killedAd = historyAd(killed.getStatus().getJobId());
        assertThat(killedAd.path("ExitBySignal").asBoolean()).isTrue();
        assertThat(killedAd.path("ExitSignal").asInt()).isEqualTo(9);
    }

    /** Acceptance 5: condor_rm from the login node → Cancelled naming who removed it, within three polls. */
    @Test
    void aRemovalOnThePoolIsCancelledNamingWhoRemovedIt() {
        ns.kubectl().apply(sleeper("removed", 300, "")).orFail();
        TaskAttempt running = awaitAttempt("removed-sleep-1", AttemptPhase.Running, Duration.ofMinutes(3));
        String jobId = running.getStatus().getJobId();
        long polls = 3;
        LoginNode.Result rm = pool.exec("condor_rm " + jobId);
        assertThat(rm.ok()).as("condor_rm: %s %s", rm.stdout(), rm.stderr()).isTrue();
        long removedAt = System.nanoTime();

        TaskAttempt cancelled = awaitAttempt("removed-sleep-1", AttemptPhase.Cancelled, Duration.ofMinutes(2));
        Duration took = Duration.ofNanos(System.nanoTime() - removedAt);
        System.out.println("[condor] line 5: condor_rm -> Cancelled in " + took.toMillis() + " ms: " + cancelled.getStatus().getMessage());
        assertThat(took).as("within three polls of 5 s, plus the reconcile").isLessThan(Duration.ofSeconds(polls * 5 + 10));
        assertThat(cancelled.getStatus().getReason()).isEqualTo("Cancelled");
        assertThat(cancelled.getStatus().getMessage()).contains("removed", "hpcuser").doesNotContain("hpc-bridge: ");
        assertThat(historyAd(jobId).path("JobStatus").asInt()).isEqualTo(3);
    }

    /** Acceptance 5: condor_hold → Held with the reason; condor_release → it runs on and succeeds. */
    @Test
    void aUserHoldIsShownAndAReleaseLetsTheJobSucceed() {
        ns.kubectl().apply(sleeper("held", 20, "")).orFail();
        TaskAttempt running = awaitAttempt("held-sleep-1", AttemptPhase.Running, Duration.ofMinutes(3));
        String jobId = running.getStatus().getJobId();
        assertThat(pool.exec("condor_hold " + jobId).ok()).isTrue();

        TaskAttempt held = awaitAttempt("held-sleep-1", AttemptPhase.Held, Duration.ofMinutes(1));
        System.out.println("[condor] line 5: held: " + held.getStatus().getMessage());
        assertThat(held.getStatus().getReason()).isEqualTo("Held");
        assertThat(held.getStatus().getHold()).isNotNull();
        assertThat(held.getStatus().getHold().getCode()).isEqualTo(1);
        assertThat(held.getStatus().getHold().getReason()).contains("condor_hold");
        // A user's hold waits: still Held well after a few polls.
        sleep(Duration.ofSeconds(15));
        assertThat(ns.get("hatt", "held-sleep-1", TaskAttempt.class).getStatus().getPhase()).isEqualTo(AttemptPhase.Held);

        assertThat(pool.exec("condor_release " + jobId).ok()).isTrue();
        ns.kubectl().withTimeout(Duration.ofSeconds(330)).run("wait", "--for=condition=Succeeded", WAIT, "campaign/held").orFail();
        TaskAttempt done = ns.get("hatt", "held-sleep-1", TaskAttempt.class);
        assertThat(done.getStatus().getJobId()).as("the same job, released, not a new one").isEqualTo(jobId);
        assertThat(done.getStatus().getHold()).isNull();
        assertThat(ns.list("hatt", "hpcbridge.io/campaign=held", TaskAttempt.class)).hasSize(1);
    }

    /** Acceptance 5: a hold by pool policy (SYSTEM_PERIODIC_HOLD) ends Failed with reason Held after heldTimeout. */
    @Test
    void aPolicyHoldEndsFailedHeldAfterTheClustersHeldTimeoutAndTheJobIsRemoved() {
        ns.kubectl().apply("""
                apiVersion: hpcbridge.io/v1alpha1
                kind: HpcCluster
                metadata:
                  name: htcondor-short-hold
                spec:
                  scheduler: htcondor
                  loginNodes:
                    - host: 127.0.0.1
                      port: 2223
                  user: hpcuser
                  credentialsSecretRef:
                    name: htcondor-login
                  workRoot: /home/hpcuser/hpcb-work
                  pollInterval: 5s
                  heldTimeout: 20s
                """).orFail();
        ns.kubectl().withTimeout(Duration.ofSeconds(150)).run("wait", "--for=condition=Ready", "--timeout=120s", "hpcc/htcondor-short-hold").orFail();
        ns.kubectl().apply(sleeper("policy", 300, "htcondor-short-hold", """
                      htcondor:
                        attributes:
                          - name: HpcbTestPolicyHold
                            value: "true"
                """)).orFail();
        TaskAttempt held = awaitAttempt("policy-sleep-1", AttemptPhase.Held, Duration.ofMinutes(3));
        System.out.println("[condor] line 5: policy hold: " + held.getStatus().getMessage());
        assertThat(held.getStatus().getHold().getReason()).contains("HpcbTestPolicyHold");

        TaskAttempt failed = awaitAttempt("policy-sleep-1", AttemptPhase.Failed, Duration.ofMinutes(2));
        assertThat(failed.getStatus().getReason()).isEqualTo("Held");
        assertThat(failed.getStatus().getMessage()).contains("heldTimeout");
        String jobId = failed.getStatus().getJobId();
        // The held job does not sit in the queue: the operator removed it.
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() ->
                assertThat(historyAd(jobId).path("JobStatus").asInt()).isEqualTo(3));
    }

    /** A campaign of one task that sleeps, on the given cluster (default local-htcondor), with extra resources YAML. */
    private static String sleeper(String name, int seconds, String cluster) {
        return sleeper(name, seconds, cluster, "");
    }

    private static String sleeper(String name, int seconds, String cluster, String resources) {
        return """
                apiVersion: hpcbridge.io/v1alpha1
                kind: Campaign
                metadata:
                  name: %s
                spec:
                  clusterRef:
                    name: %s
                  defaults:
                    resources:
                      cpus: 1
                      memory: 64Mi
                      time: 15m
                %s
                  tasks:
                    - name: sleep
                      script: |
                        #!/bin/bash
                        sleep %d
                        echo slept
                """.formatted(name, cluster.isEmpty() ? "local-htcondor" : cluster, resources.stripTrailing(), seconds);
    }

    /** The job's ad in condor_history on the pool (read as the login user, independent of the operator). */
    private static JsonNode historyAd(String jobId) {
        LoginNode.Result r = pool.exec("condor_history -json -limit 1 -attributes JobStatus,ExitCode,ExitBySignal,ExitSignal,"
                + "HpcBridgeAttempt,RemoveReason " + jobId);
        assertThat(r.ok()).as("condor_history %s: %s", jobId, r.stderr()).isTrue();
        JsonNode ads;
        try {
            ads = JSON.readTree(r.stdout().isBlank() ? "[]" : r.stdout());
        } catch (IOException e) {
            throw new AssertionError("condor_history printed no JSON: " + r.stdout(), e);
        }
        assertThat(ads.size()).as("history ads of %s: %s", jobId, r.stdout()).isEqualTo(1);
        return ads.get(0);
    }

    private static TaskAttempt awaitAttempt(String name, AttemptPhase phase, Duration timeout) {
        return awaitValue(name + " " + phase, timeout, () -> {
            TaskAttempt a = ns.get("hatt", name, TaskAttempt.class);
            assertThat(a.getStatus()).isNotNull();
            assertThat(a.getStatus().getPhase()).as("%s: %s", name, a.getStatus().getMessage()).isEqualTo(phase);
            return a;
        });
    }

    private static <T> T awaitValue(String what, Duration timeout, Callable<T> supplier) {
        List<T> holder = new ArrayList<>(1);
        try {
            await(what).atMost(timeout).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().untilAsserted(() -> {
                T v = supplier.call();
                holder.clear();
                holder.add(v);
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(what + " not reached in " + timeout + "\n" + diagnostics(null), e);
        }
        return holder.get(0);
    }

    private static String diagnostics(String campaign) {
        String sel = campaign == null ? "app.kubernetes.io/managed-by=hpc-bridge" : "hpcbridge.io/campaign=" + campaign;
        return ns.kubectl().run("get", "hatt", "-l", sel, "-o", "wide").stdout() + "\n"
                + ns.kubectl().run("get", "hpcc", "-o", "wide").stdout() + "\n"
                + pool.exec("condor_q -nobatch 2>&1 | tail -20").stdout();
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
