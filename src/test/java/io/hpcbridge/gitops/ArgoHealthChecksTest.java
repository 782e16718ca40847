package io.hpcbridge.gitops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.hpcbridge.api.v1alpha1.AttemptPhase;
import io.hpcbridge.api.v1alpha1.BlockPhase;
import io.hpcbridge.api.v1alpha1.BlockedCount;
import io.hpcbridge.api.v1alpha1.Campaign;
import io.hpcbridge.api.v1alpha1.CampaignPhase;
import io.hpcbridge.api.v1alpha1.CampaignStatus;
import io.hpcbridge.api.v1alpha1.ClusterPhase;
import io.hpcbridge.api.v1alpha1.ConditionTypes;
import io.hpcbridge.api.v1alpha1.Constants;
import io.hpcbridge.api.v1alpha1.HpcCluster;
import io.hpcbridge.api.v1alpha1.HpcClusterStatus;
import io.hpcbridge.api.v1alpha1.NameReference;
import io.hpcbridge.api.v1alpha1.ObservedStatus;
import io.hpcbridge.api.v1alpha1.ProcessingBlock;
import io.hpcbridge.api.v1alpha1.ProcessingBlockStatus;
import io.hpcbridge.api.v1alpha1.Task;
import io.hpcbridge.api.v1alpha1.TaskAttempt;
import io.hpcbridge.api.v1alpha1.TaskAttemptStatus;
import io.hpcbridge.api.v1alpha1.TaskCounts;
import io.hpcbridge.api.v1alpha1.TaskPhase;
import io.hpcbridge.api.v1alpha1.TaskStatus;
import io.hpcbridge.status.Conditions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Argo CD health checks in deploy/argocd/health, run by a real Lua 5.1 interpreter (Debian's lua5.1, which
 * hack/components.sh installs) on sample objects built from the Java model, and the argocd-cm patch generated from
 * them. The harness (src/test/resources/argocd/harness.lua) gives a check no more than Argo CD's sandbox does.
 */
class ArgoHealthChecksTest {
    private static final String LUA = "lua5.1";
    private static final Path HEALTH = Path.of("deploy/argocd/health");
    private static final Path PATCH = Path.of("deploy/argocd/argocd-cm-patch.yaml");
    private static final Path HARNESS = Path.of("src/test/resources/argocd/harness.lua");
    /** Shared start of every check; each argocd-cm value is this file, an empty line, then the kind's own file. */
    private static final String COMMON = "_common.lua";
    /** The checks taken from the patch, one file per kind, made once per test run. */
    private static final Path INSTALLED = Path.of("target/argocd-installed-checks-" + ProcessHandle.current().pid());
    private static final String OUT_OF_DATE = PATCH + " is out of date with " + HEALTH + "/*.lua: run hack/update-argocd.sh";

    /** Check file (without .lua) to the Kind it is registered for in argocd-cm. */
    private static final Map<String, String> KINDS = new TreeMap<>(Map.of(
            "campaign", "Campaign", "task", "Task", "taskattempt", "TaskAttempt",
            "hpccluster", "HpcCluster", "processingblock", "ProcessingBlock"));

    private static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");
    private static final ObjectMapper JSON = Serialization.jsonMapper();
    /** The hpcbridge.io/cancel-requested value the operator writes on the live attempts of a stopped campaign. */
    private static final String STOP_REASON = "campaign stopped";

    /** One object, the check that judges it, and what Argo CD must show. */
    record Sample(String name, String check, JsonNode object, String status, List<String> fragments) {
        @Override
        public String toString() {
            return check + ": " + name;
        }
    }

    record Health(String status, String message) {
    }

    @BeforeAll
    static void luaIsInstalled() throws Exception {
        Process p;
        try {
            p = new ProcessBuilder(LUA, "-v").redirectErrorStream(true).start();
        } catch (IOException e) {
            fail(LUA + " is not installed, so the Argo CD health checks cannot be tested: apt-get install -y lua5.1"
                    + " (hack/stack-up.sh installs it through hack/components.sh). " + e.getMessage());
            return;
        }
        String version = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as(LUA + " -v did not finish").isTrue();
        assertThat(version).as(LUA + " -v").startsWith("Lua 5.1");
    }

    // ------------------------------------------------------------------ the table

    static Stream<Sample> samples() {
        List<Sample> s = new ArrayList<>();
        String three = "3 tasks planned";
        String running = "1/3 tasks succeeded, 1 running, 0 failed, 0 skipped, 0 cancelled";

        // A status written before any phase (the shared noPhaseYet of _common.lua), for each kind that checks it.
        String noPhase = "waiting for the operator to report a phase";
        s.add(sample("status without a phase", "campaign", withoutPhase(campaign(1, st -> st.setPhase(CampaignPhase.Running))),
                "Progressing", noPhase));
        s.add(sample("status without a phase", "task", withoutPhase(task(1, null, st -> st.setPhase(TaskPhase.Running))),
                "Progressing", noPhase));
        s.add(sample("status without a phase", "taskattempt", withoutPhase(attempt(null, st -> st.setPhase(AttemptPhase.Running))),
                "Progressing", noPhase));
        s.add(sample("status without a phase", "processingblock", withoutPhase(block(BlockPhase.Open, "TasksPending", "1 of 3")),
                "Progressing", noPhase));

        // Campaign: every phase, and what comes before the phase (no status, old generation, Accepted=False).
        s.add(sample("no status yet", "campaign", campaign(1, null), "Progressing",
                "waiting for the operator to report status"));
        s.add(sample("spec changed, not yet observed", "campaign", campaign(3, st -> {
            st.setObservedGeneration(2L);
            st.setPhase(CampaignPhase.Succeeded);
            st.setConditions(conditions(2, ConditionTypes.SUCCEEDED, "True", "AllTasksSucceeded", "3/3 tasks succeeded"));
        }), "Progressing", "waiting for the operator to observe generation 3", "status describes generation 2"));
        s.add(sample("Pending, not accepted: a cycle", "campaign", campaign(1, st -> {
            st.setPhase(CampaignPhase.Pending);
            st.setConditions(conditions(1, ConditionTypes.ACCEPTED, "False", "DependencyCycle",
                    "dependency cycle: a -> c -> b -> a; task 'x': cpus must be at least 1, not -2"));
        }), "Degraded", "not accepted (DependencyCycle): dependency cycle: a -> c -> b -> a", "cpus must be at least 1"));
        s.add(sample("Pending, accepted", "campaign", campaign(1, st -> {
            st.setPhase(CampaignPhase.Pending);
            st.setTasks(counts(3, 0, 0, 0, 0, 0));
            st.setConditions(conditions(1, ConditionTypes.ACCEPTED, "True", "Accepted", three,
                    ConditionTypes.COMPLETED, "False", "NotFinished", "0/3 tasks succeeded, 0 running, 0 failed, 0 skipped, 0 cancelled"));
        }), "Progressing", "Pending: 0/3 tasks succeeded"));
        s.add(sample("Running, tasks waiting", "campaign", campaign(2, st -> {
            st.setPhase(CampaignPhase.Running);
            st.setTasks(counts(3, 1, 1, 0, 0, 0));
            st.setBlockedBy(List.of(new BlockedCount("ParallelismLimit", 350), new BlockedCount("WaitingForDependencies", 12),
                    new BlockedCount("ClusterLimit", 3), new BlockedCount("BackoffUntil", 1)));
            st.setConditions(conditions(2, ConditionTypes.ACCEPTED, "True", "Accepted", three,
                    ConditionTypes.COMPLETED, "False", "NotFinished", running,
                    ConditionTypes.CLUSTER_REACHABLE, "True", "PollSucceeded", "HpcCluster local-slurm: scheduler answered"));
        }), "Progressing", "Running: " + running + "; waiting: ParallelismLimit 350, WaitingForDependencies 12, ClusterLimit 3, ..."));
        s.add(sample("Running, without conditions: counts from status.tasks", "campaign", campaign(1, st -> {
            st.setPhase(CampaignPhase.Running);
            st.setTasks(counts(3, 1, 1, 0, 0, 0));
        }), "Progressing", "Running: " + running));
        s.add(sample("Running, its cluster unreachable", "campaign", campaign(1, st -> {
            st.setPhase(CampaignPhase.Running);
            st.setConditions(conditions(1, ConditionTypes.ACCEPTED, "True", "Accepted", three,
                    ConditionTypes.COMPLETED, "False", "NotFinished", running,
                    ConditionTypes.CLUSTER_REACHABLE, "False", "ConnectionFailed",
                    "HpcCluster local-slurm: connection refused (3 failed polls in a row)"));
        }), "Degraded", "Running, cluster unreachable (ConnectionFailed): HpcCluster local-slurm: connection refused",
                "nothing is submitted"));
        s.add(sample("Suspended", "campaign", campaign(2, st -> {
            st.setPhase(CampaignPhase.Suspended);
            st.setConditions(conditions(2, ConditionTypes.COMPLETED, "False", "NotFinished", running,
                    ConditionTypes.SUSPENDED, "True", "Suspended", "spec.suspend is true: no new submissions; live jobs are still followed"));
        }), "Suspended", "Suspended: spec.suspend is true: no new submissions", running));
        s.add(sample("Suspended while its cluster is unreachable: the user's pause wins", "campaign", campaign(2, st -> {
            st.setPhase(CampaignPhase.Suspended);
            st.setConditions(conditions(2, ConditionTypes.SUSPENDED, "True", "Suspended", "spec.suspend is true",
                    ConditionTypes.CLUSTER_REACHABLE, "False", "PollFailed", "HpcCluster local-slurm: squeue timed out"));
        }), "Suspended", "spec.suspend is true"));
        s.add(sample("Stopping", "campaign", campaign(3, st -> {
            st.setPhase(CampaignPhase.Stopping);
            st.setConditions(conditions(3, ConditionTypes.COMPLETED, "False", "Stopping", "spec.stop is true: cancelling live jobs; " + running));
        }), "Progressing", "Stopping: spec.stop is true: cancelling live jobs; " + running));
        s.add(sample("Stopping while its cluster is unreachable", "campaign", campaign(3, st -> {
            st.setPhase(CampaignPhase.Stopping);
            st.setConditions(conditions(3, ConditionTypes.COMPLETED, "False", "Stopping", "spec.stop is true: cancelling live jobs",
                    ConditionTypes.CLUSTER_REACHABLE, "False", "HostKeyMismatch", "HpcCluster local-slurm: host key mismatch"));
        }), "Degraded", "Stopping, cluster unreachable (HostKeyMismatch)"));
        s.add(sample("Stopped", "campaign", campaign(3, st -> {
            st.setPhase(CampaignPhase.Stopped);
            st.setConditions(conditions(3, ConditionTypes.COMPLETED, "True", "Stopped",
                    "stopped (spec.stop): every cancel confirmed; 1/3 tasks succeeded, 0 running, 0 failed, 0 skipped, 2 cancelled"));
        }), "Suspended", "stopped (spec.stop): every cancel confirmed", "2 cancelled"));
        s.add(sample("Succeeded", "campaign", campaign(1, st -> {
            st.setPhase(CampaignPhase.Succeeded);
            st.setConditions(conditions(1, ConditionTypes.COMPLETED, "True", "Succeeded", "3/3 tasks succeeded, 0 running, 0 failed, 0 skipped, 0 cancelled",
                    ConditionTypes.SUCCEEDED, "True", "AllTasksSucceeded", "3/3 tasks succeeded, 0 running, 0 failed, 0 skipped, 0 cancelled"));
        }), "Healthy", "Succeeded: 3/3 tasks succeeded"));
        s.add(sample("Failed", "campaign", campaign(1, st -> {
            st.setPhase(CampaignPhase.Failed);
            st.setConditions(conditions(1, ConditionTypes.COMPLETED, "True", "Failed", "1/3 tasks succeeded, 0 running, 1 failed, 1 skipped, 0 cancelled",
                    ConditionTypes.FAILED, "True", "TasksFailed",
                    "task break failed (NonZeroExit): job 4711 exited with code 3; 1 downstream task(s) skipped"));
        }), "Degraded", "Failed: task break failed (NonZeroExit): job 4711 exited with code 3", "1 downstream task(s) skipped"));
        s.add(sample("a phase this check does not know", "campaign",
                withPhase(campaign(1, st -> st.setPhase(CampaignPhase.Running)), "Archived"), "Unknown", "unknown phase Archived"));

        // Task
        s.add(sample("Pending, waiting for dependencies", "task", task(1, null, st -> {
            st.setPhase(TaskPhase.Pending);
            st.setReason("WaitingForDependencies");
            st.setMessage("waiting for prepare-a, prepare-b");
        }), "Progressing", "Pending (WaitingForDependencies): waiting for prepare-a, prepare-b"));
        s.add(sample("Pending, held by spec.suspend", "task", task(1, null, st -> {
            st.setPhase(TaskPhase.Pending);
            st.setReason("Suspended");
            st.setMessage("ready to run; the campaign is suspended");
        }), "Suspended", "Pending (Suspended)"));
        s.add(sample("Retrying, held by a paused cluster", "task", task(1, null, st -> {
            st.setPhase(TaskPhase.Retrying);
            st.setReason("ClusterPaused");
        }), "Suspended", "Retrying (ClusterPaused)"));
        s.add(sample("Retrying, in backoff", "task", task(1, null, st -> {
            st.setPhase(TaskPhase.Retrying);
            st.setReason("BackoffUntil");
            st.setMessage("retry 1 of 3 after 2024-05-01T12:05:00Z");
        }), "Progressing", "Retrying (BackoffUntil): retry 1 of 3"));
        s.add(sample("Running, its attempt queued", "task", task(1, null, st -> {
            st.setPhase(TaskPhase.Running);
            st.setReason("Queued");
            st.setMessage("hello-combine-1: job 4711 is pending (Resources)");
        }), "Progressing", "Running (Queued): hello-combine-1"));
        s.add(sample("a rerun recorded in spec, not yet observed", "task", task(2, null, st -> {
            st.setObservedGeneration(1L);
            st.setPhase(TaskPhase.Succeeded);
        }), "Progressing", "waiting for the operator to observe generation 2"));
        s.add(sample("Succeeded", "task", task(1, null, st -> {
            st.setPhase(TaskPhase.Succeeded);
            st.setReason("Completed");
            st.setMessage("hello-combine-1 succeeded");
        }), "Healthy", "Succeeded (Completed): hello-combine-1 succeeded"));
        s.add(sample("Failed, a message with escapes", "task", task(1, null, st -> {
            st.setPhase(TaskPhase.Failed);
            st.setReason("NonZeroExit");
            st.setMessage("retry limit 0 reached: job 4711 exited with code 3\n--- stderr tail ---\n\t\"boom\" at C:\\tmp — café…");
        }), "Degraded",
                "Failed (NonZeroExit): retry limit 0 reached: job 4711 exited with code 3\n--- stderr tail ---\n\t\"boom\" at C:\\tmp — café…"));
        s.add(sample("Skipped", "task", task(1, null, st -> {
            st.setPhase(TaskPhase.Skipped);
            st.setReason("UpstreamFailed");
            st.setMessage("dependency break failed");
        }), "Degraded", "Skipped (UpstreamFailed): dependency break failed"));
        s.add(sample("Cancelled by a campaign stop", "task", task(2, true, st -> {
            st.setPhase(TaskPhase.Cancelled);
            st.setReason("Stopped");
            st.setMessage("the campaign was stopped");
        }), "Suspended", "Cancelled (Stopped)"));
        s.add(sample("Cancelled on the cluster", "task", task(1, null, st -> {
            st.setPhase(TaskPhase.Cancelled);
            st.setReason("Cancelled");
            st.setMessage("job 4711 was cancelled: CANCELLED by 1001");
        }), "Degraded", "Cancelled: job 4711 was cancelled: CANCELLED by 1001"));

        // TaskAttempt
        s.add(sample("no status yet", "taskattempt", attempt(null, null), "Progressing", "waiting for the operator"));
        s.add(sample("Pending, cluster unavailable", "taskattempt", attempt(null, st -> {
            st.setPhase(AttemptPhase.Pending);
            st.setReason("ClusterUnavailable");
            st.setMessage("HpcCluster local-slurm has not answered a poll yet");
        }), "Progressing", "Pending (ClusterUnavailable)"));
        s.add(sample("Submitting, deferred", "taskattempt", attempt(null, st -> {
            st.setPhase(AttemptPhase.Submitting);
            st.setReason("SubmitDeferred");
            st.setMessage("sbatch: error: socket timed out");
        }), "Progressing", "Submitting (SubmitDeferred): sbatch: error: socket timed out"));
        s.add(sample("Queued", "taskattempt", attempt(null, st -> {
            st.setPhase(AttemptPhase.Queued);
            st.setReason("Queued");
            st.setJobId("4711");
            st.setMessage("job 4711 is pending (Priority)");
        }), "Progressing", "Queued: job 4711 is pending (Priority)"));
        s.add(sample("Held", "taskattempt", attempt(null, st -> {
            st.setPhase(AttemptPhase.Held);
            st.setReason("Held");
            st.setJobId("4711.0");
            st.setMessage("job 4711.0 is held (HoldReasonCode 13): Transfer input files failure");
        }), "Progressing", "Held: job 4711.0 is held (HoldReasonCode 13): Transfer input files failure"));
        s.add(sample("Running", "taskattempt", attempt(null, st -> {
            st.setPhase(AttemptPhase.Running);
            st.setReason("Running");
            st.setMessage("job 4711 is running on node1");
        }), "Progressing", "Running: job 4711 is running on node1"));
        s.add(sample("Running, cancel requested by a stop", "taskattempt", attempt(STOP_REASON, st -> {
            st.setPhase(AttemptPhase.Running);
            st.setReason("Running");
            st.setMessage("job 4711 is running");
        }), "Progressing", "Running: job 4711 is running; cancel requested: campaign stopped"));
        s.add(sample("Settling", "taskattempt", attempt(null, st -> {
            st.setPhase(AttemptPhase.Settling);
            st.setReason("LeftQueue");
            st.setMessage("job 4711 left the queue; waiting for accounting");
        }), "Progressing", "Settling (LeftQueue)"));
        s.add(sample("Succeeded", "taskattempt", attempt(null, st -> {
            st.setPhase(AttemptPhase.Succeeded);
            st.setReason("Completed");
            st.setExitCode(0);
            st.setMessage("job 4711 completed");
        }), "Healthy", "Succeeded (Completed): job 4711 completed"));
        s.add(sample("Failed, timeout", "taskattempt", attempt(null, st -> {
            st.setPhase(AttemptPhase.Failed);
            st.setReason("Timeout");
            st.setMessage("job 4711 hit its time limit (TIMEOUT)");
        }), "Degraded", "Failed (Timeout): job 4711 hit its time limit"));
        s.add(sample("Cancelled by a campaign stop", "taskattempt", attempt(STOP_REASON, st -> {
            st.setPhase(AttemptPhase.Cancelled);
            st.setReason("Cancelled");
            st.setMessage("job 4711 was cancelled by hpc-bridge: campaign stopped");
        }), "Suspended", "Cancelled: job 4711 was cancelled by hpc-bridge: campaign stopped"));
        s.add(sample("Cancelled on the cluster", "taskattempt", attempt(null, st -> {
            st.setPhase(AttemptPhase.Cancelled);
            st.setReason("Cancelled");
            st.setMessage("job 4711 was cancelled: CANCELLED by 1001");
        }), "Degraded", "CANCELLED by 1001"));
        s.add(sample("Lost", "taskattempt", attempt(null, st -> {
            st.setPhase(AttemptPhase.Lost);
            st.setReason("SchedulerLost");
            st.setMessage("neither queue nor accounting knew job 4711 for 10m");
        }), "Degraded", "Lost (SchedulerLost): neither queue nor accounting knew job 4711"));

        // HpcCluster
        s.add(sample("no status yet", "hpccluster", cluster(1, false, null), "Progressing", "waiting for the operator to report status"));
        s.add(sample("Pending, connecting", "hpccluster", cluster(1, false, st -> {
            st.setPhase(ClusterPhase.Pending);
            st.setConditions(conditions(1, ConditionTypes.REACHABLE, "Unknown", "Connecting", "connecting to a login node",
                    ConditionTypes.READY, "False", "Connecting", "connecting to a login node"));
        }), "Progressing", "Pending (Connecting): connecting to a login node"));
        s.add(sample("Ready", "hpccluster", cluster(1, false, st -> {
            st.setPhase(ClusterPhase.Ready);
            st.setActiveJobs(2);
            st.setConditions(conditions(1, ConditionTypes.REACHABLE, "True", "PollSucceeded", "scheduler slurm 22.05.8 answered through 127.0.0.1:2222",
                    ConditionTypes.READY, "True", "Ready", "scheduler slurm 22.05.8 answered through 127.0.0.1:2222"));
        }), "Healthy", "Ready: scheduler slurm 22.05.8 answered through 127.0.0.1:2222; 2 active jobs"));
        s.add(sample("Unreachable: host key mismatch", "hpccluster", cluster(1, false, st -> {
            st.setPhase(ClusterPhase.Unreachable);
            st.setConditions(conditions(1, ConditionTypes.REACHABLE, "False", "HostKeyMismatch",
                    "host key of 127.0.0.1:2222 does not match known_hosts (1 failed polls in a row)",
                    ConditionTypes.READY, "False", "HostKeyMismatch", "host key of 127.0.0.1:2222 does not match known_hosts"));
        }), "Degraded", "Unreachable (HostKeyMismatch): host key of 127.0.0.1:2222 does not match known_hosts"));
        s.add(sample("Paused", "hpccluster", cluster(2, true, st -> {
            st.setPhase(ClusterPhase.Paused);
            st.setConditions(conditions(2, ConditionTypes.REACHABLE, "Unknown", "Paused", "spec.paused is true: nothing is submitted or polled",
                    ConditionTypes.READY, "False", "Paused", "spec.paused is true: nothing is submitted or polled"));
        }), "Suspended", "Paused: spec.paused is true"));
        s.add(sample("paused in spec, not yet observed", "hpccluster", cluster(3, true, st -> {
            st.setObservedGeneration(2L);
            st.setPhase(ClusterPhase.Ready);
        }), "Progressing", "waiting for the operator to observe generation 3"));

        // ProcessingBlock
        s.add(sample("Open", "processingblock", block(BlockPhase.Open, "TasksPending", "1 of 3 tasks succeeded"),
                "Progressing", "Open (TasksPending): 1 of 3 tasks succeeded"));
        s.add(sample("Complete", "processingblock", block(BlockPhase.Complete, "AllTasksSucceeded", "all 3 tasks succeeded"),
                "Healthy", "Complete (AllTasksSucceeded): all 3 tasks succeeded"));
        s.add(sample("Archived", "processingblock", block(BlockPhase.Archived, "Archived", "outputs archived"), "Healthy", "Archived"));
        s.add(sample("Failed", "processingblock", block(BlockPhase.Failed, "TasksDidNotSucceed", "tasks that did not succeed: break"),
                "Degraded", "Failed (TasksDidNotSucceed): tasks that did not succeed: break"));
        s.add(sample("Invalidated", "processingblock", block(BlockPhase.Invalidated, "Invalidated", "outputs invalidated"),
                "Degraded", "Invalidated"));
        return s.stream();
    }

    // ------------------------------------------------------------------ the tests

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void healthOfEachSample(Sample sample) throws Exception {
        Health health = run(installed(sample.check()), JSON.writeValueAsString(sample.object()));
        assertThat(health.status()).as("status of %s (message: %s)", sample, health.message()).isEqualTo(sample.status());
        for (String fragment : sample.fragments()) {
            assertThat(health.message()).as("message of %s", sample).contains(fragment);
        }
    }

    @Test
    void everyPhaseOfEveryKindHasASample() {
        Map<String, Set<String>> sampled = new TreeMap<>();
        samples().forEach(s -> sampled.computeIfAbsent(s.check(), k -> new TreeSet<>())
                .add(s.object().path("status").path("phase").asText("")));
        Map<String, Class<? extends Enum<?>>> phases = Map.of("campaign", CampaignPhase.class, "task", TaskPhase.class,
                "taskattempt", AttemptPhase.class, "hpccluster", ClusterPhase.class, "processingblock", BlockPhase.class);
        assertThat(phases.keySet()).containsExactlyInAnyOrderElementsOf(KINDS.keySet());
        for (var e : phases.entrySet()) {
            List<String> all = Arrays.stream(e.getValue().getEnumConstants()).map(Enum::name).toList();
            assertThat(sampled.get(e.getKey())).as("phases of %s with a sample", e.getKey()).containsAll(all);
        }
        assertThat(samples().count()).isGreaterThanOrEqualTo(12);
    }

    @Test
    void argocdCmPatchHoldsExactlyTheLuaFiles() throws Exception {
        try (Stream<Path> files = Files.list(HEALTH)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".lua")).sorted())
                    .as("health checks in " + HEALTH)
                    .containsExactlyElementsOf(Stream.concat(Stream.of(COMMON), KINDS.keySet().stream().map(k -> k + ".lua")).sorted().toList());
        }
        JsonNode patch = patch();
        assertThat(patch.path("apiVersion").asText()).isEqualTo("v1");
        assertThat(patch.path("kind").asText()).isEqualTo("ConfigMap");
        assertThat(patch.path("metadata").path("name").asText()).isEqualTo("argocd-cm");

        String common = Files.readString(HEALTH.resolve(COMMON), StandardCharsets.UTF_8);
        Map<String, String> expected = new TreeMap<>();
        for (var e : KINDS.entrySet()) {
            expected.put(patchKey(e.getKey()), common + "\n" + Files.readString(HEALTH.resolve(e.getKey() + ".lua"), StandardCharsets.UTF_8));
        }
        Map<String, String> actual = new TreeMap<>();
        patch.path("data").fields().forEachRemaining(f -> actual.put(f.getKey(), f.getValue().asText()));
        assertThat(actual.keySet()).as(OUT_OF_DATE).containsExactlyElementsOf(expected.keySet());
        for (String key : expected.keySet()) {
            assertThat(actual.get(key)).as(OUT_OF_DATE + " (" + key + " differs)").isEqualTo(expected.get(key));
        }
    }

    private static JsonNode patch() throws IOException {
        assertThat(PATCH).as(OUT_OF_DATE).exists();
        return new ObjectMapper(new YAMLFactory()).readTree(PATCH.toFile());
    }

    private static String patchKey(String check) {
        return "resource.customizations.health." + Constants.GROUP + "_" + KINDS.get(check);
    }

    /** The check as users install it: the argocd-cm value, written to a file for the harness. */
    private static Path installed(String check) throws IOException {
        Path file = INSTALLED.resolve(check + ".lua");
        if (!Files.exists(file)) {
            String script = patch().path("data").path(patchKey(check)).asText();
            assertThat(script).as("%s in %s", patchKey(check), PATCH).isNotEmpty();
            Files.createDirectories(INSTALLED);
            Files.writeString(file, script, StandardCharsets.UTF_8);
        }
        return file;
    }

    /** The harness must reject what Argo CD rejects, or a check that passes here could fail in Argo CD. */
    @Test
    void harnessGivesChecksNoMoreThanArgoCd(@TempDir Path tmp) throws Exception {
        Map<String, String> rejected = Map.of(
                "return { status = string.upper('healthy') }", "attempt to index global 'string'",
                "local s = 'Healthy'\nreturn { status = s:sub(1) }", "attempt to index",
                "return { status = 'Healthy', message = math.max(1, 2) }", "attempt to index global 'math'",
                "return { status = 'Fine' }", "invalid health status Fine",
                "return { status = 'Healthy', message = 3 }", "message is a number",
                "return 'Healthy'", "not a table");
        for (var e : rejected.entrySet()) {
            Path script = Files.writeString(tmp.resolve("check.lua"), e.getKey());
            Result r = exec(script, "{\"metadata\":{\"name\":\"x\"}}");
            assertThat(r.exit()).as("exit code for %s (stdout %s)", e.getKey(), r.stdout()).isEqualTo(3);
            assertThat(r.stderr()).as("error for %s", e.getKey()).contains(e.getValue());
        }
        Path ok = Files.writeString(tmp.resolve("ok.lua"),
                "local hs = {}\nhs.status = 'Healthy'\nhs.message = table.concat({obj.metadata.name, tostring(#obj.spec.items)}, ' ')\nreturn hs\n");
        assertThat(run(ok, "{\"metadata\":{\"name\":\"x\"},\"spec\":{\"items\":[1,null,2.5e1,true,\"\\u00e9\\ud83d\\ude00\"]}}"))
                .isEqualTo(new Health("Healthy", "x 4"));
        Result broken = exec(ok, "{\"metadata\":{\"name\":\"x\"}");
        assertThat(broken.exit()).as("exit code for broken JSON").isEqualTo(2);
        assertThat(broken.stderr()).contains("JSON: expected ',' or '}'");
    }

    @Test
    void checksUseNoLibraryArgoCdLacks() throws Exception {
        for (String check : KINDS.keySet()) {
            String lua = Files.readString(installed(check), StandardCharsets.UTF_8);
            String code = lua.replaceAll("--[^\n]*", "");
            assertThat(code).as(check + ".lua uses a library Argo CD does not open").doesNotContainPattern("\\b(string|math|io|os|debug|require)\\b\\s*[.(:]");
            assertThat(lua).as(check + ".lua returns hs").containsPattern("\\nreturn hs\\n$");
        }
    }

    // ------------------------------------------------------------------ running lua5.1

    record Result(int exit, String stdout, String stderr) {
    }

    private static Health run(Path check, String json) throws Exception {
        Result r = exec(check, json);
        if (r.exit() != 0) {
            fail("%s %s %s exited with %d: %s%nobject: %s", LUA, HARNESS, check, r.exit(), r.stderr(), json);
        }
        int nl = r.stdout().indexOf('\n');
        assertThat(nl).as("harness output %s", r.stdout()).isPositive();
        return new Health(r.stdout().substring(0, nl), r.stdout().substring(nl + 1));
    }

    private static Result exec(Path check, String json) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder(LUA, HARNESS.toString(), check.toString()).start();
        } catch (IOException e) {
            throw new AssertionError(LUA + " could not be started (apt-get install -y lua5.1): " + e.getMessage(), e);
        }
        CompletableFuture<String> out = read(p.getInputStream());
        CompletableFuture<String> err = read(p.getErrorStream());
        try (OutputStream in = p.getOutputStream()) {
            in.write(json.getBytes(StandardCharsets.UTF_8));
        }
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("%s %s did not finish within 30s", LUA, check);
        }
        return new Result(p.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS));
    }

    private static CompletableFuture<String> read(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    // ------------------------------------------------------------------ building samples from the model

    private static Sample sample(String name, String check, CustomResource<?, ?> object, String status, String... fragments) {
        return sample(name, check, (JsonNode) JSON.valueToTree(object), status, fragments);
    }

    private static Sample sample(String name, String check, JsonNode object, String status, String... fragments) {
        return new Sample(name, check, object, status, List.of(fragments));
    }

    /** Sets the metadata every live object has; {@code status} is observed at {@code generation} unless it says otherwise. */
    private static <S extends ObservedStatus, R extends CustomResource<?, S>> R live(R resource, String name, long generation,
            S status, Consumer<S> fill) {
        resource.getMetadata().setName(name);
        resource.getMetadata().setNamespace("hpcb-demo");
        resource.getMetadata().setGeneration(generation);
        if (fill == null) {
            resource.setStatus(null);
        } else {
            status.setObservedGeneration(generation);
            fill.accept(status);
            resource.setStatus(status);
        }
        return resource;
    }

    private static Campaign campaign(long generation, Consumer<CampaignStatus> fill) {
        Campaign c = live(new Campaign(), "hello", generation, new CampaignStatus(), fill);
        c.getSpec().setClusterRef(new NameReference("local-slurm"));
        return c;
    }

    private static Task task(long generation, Boolean stop, Consumer<TaskStatus> fill) {
        Task t = live(new Task(), "hello-combine", generation, new TaskStatus(), fill);
        t.getSpec().setCampaign("hello");
        t.getSpec().setTaskName("combine");
        t.getSpec().setStop(stop);
        return t;
    }

    private static TaskAttempt attempt(String cancelRequested, Consumer<TaskAttemptStatus> fill) {
        TaskAttempt a = live(new TaskAttempt(), "hello-combine-1", 1, new TaskAttemptStatus(), fill);
        a.getSpec().setCampaign("hello");
        a.getSpec().setTask("hello-combine");
        if (cancelRequested != null) {
            a.getMetadata().setAnnotations(Map.of(Constants.ANNOTATION_CANCEL, cancelRequested));
        }
        return a;
    }

    private static HpcCluster cluster(long generation, boolean paused, Consumer<HpcClusterStatus> fill) {
        HpcCluster c = live(new HpcCluster(), "local-slurm", generation, new HpcClusterStatus(), fill);
        c.getSpec().setPaused(paused ? Boolean.TRUE : null);
        return c;
    }

    private static ProcessingBlock block(BlockPhase phase, String reason, String message) {
        return live(new ProcessingBlock(), "hello-results", 1, new ProcessingBlockStatus(), st -> {
            st.setPhase(phase);
            st.setTotalTasks(3);
            st.setConditions(conditions(1, ConditionTypes.COMPLETED, phase == BlockPhase.Open ? "False" : "True", reason, message,
                    ConditionTypes.FAILED, phase == BlockPhase.Failed ? "True" : "False", reason, message));
        });
    }

    private static TaskCounts counts(int total, int succeeded, int running, int failed, int skipped, int cancelled) {
        TaskCounts c = new TaskCounts();
        c.setTotal(total);
        c.setSucceeded(succeeded);
        c.setRunning(running);
        c.setFailed(failed);
        c.setSkipped(skipped);
        c.setCancelled(cancelled);
        c.setPending(total - succeeded - running - failed - skipped - cancelled);
        return c;
    }

    /** Conditions as the operator writes them, from groups of (type, status, reason, message). */
    private static List<Condition> conditions(long generation, String... typeStatusReasonMessage) {
        assertThat(typeStatusReasonMessage.length % 4).isZero();
        List<Condition> c = new ArrayList<>();
        for (int i = 0; i < typeStatusReasonMessage.length; i += 4) {
            c = Conditions.set(c, typeStatusReasonMessage[i], typeStatusReasonMessage[i + 1], typeStatusReasonMessage[i + 2],
                    typeStatusReasonMessage[i + 3], generation, NOW);
        }
        return c;
    }

    /** A status with everything but its phase. */
    private static JsonNode withoutPhase(CustomResource<?, ?> object) {
        ObjectNode json = JSON.valueToTree(object);
        ((ObjectNode) json.path("status")).remove("phase");
        return json;
    }

    /** A phase the model does not have (yet): what an older check sees after an upgrade of the operator. */
    private static JsonNode withPhase(CustomResource<?, ?> object, String phase) {
        ObjectNode json = JSON.valueToTree(object);
        ((ObjectNode) json.path("status")).put("phase", phase);
        return json;
    }
}
