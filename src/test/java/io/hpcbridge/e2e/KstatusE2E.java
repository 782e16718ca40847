package io.hpcbridge.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Condition;
import io.hpcbridge.api.v1alpha1.Campaign;
import io.hpcbridge.api.v1alpha1.CampaignPhase;
import io.hpcbridge.api.v1alpha1.HpcCluster;
import io.hpcbridge.api.v1alpha1.ProcessingBlock;
import io.hpcbridge.api.v1alpha1.Task;
import io.hpcbridge.api.v1alpha1.TaskAttempt;
import io.hpcbridge.status.Kstatus;

/**
 * The kstatus conditions (Ready, Reconciling, Stalled) as the real operator writes them on the real API server, read the
 * way GitOps tools read them: `kubectl wait --for=condition=...` and the kstatus rules Flux's health checks apply.
 */
class KstatusE2E {
    private static final String WAIT = "--timeout=240s";
    private static TestNamespace ns;

    @BeforeAll
    static void setUp() {
        OperatorProcess.shared();
        ns = TestNamespace.create("e2e-kstatus");
    }

    @AfterAll
    static void cleanUp() {
        if (ns != null) {
            ns.close();
        }
    }

    /** One observation of the campaign while it ran: phase and the three conditions' statuses. */
    private record Seen(String phase, String ready, String reconciling, String stalled) {
    }

    @Test
    void helloIsReconcilingWhileItRunsThenReadyAndEverythingItMadeIsReady() throws Exception {
        List<Seen> seen = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean watching = new AtomicBoolean(true);
        // Polled from before the apply, so the run's whole course is seen (hello takes several seconds on Slurm).
        Thread watcher = new Thread(() -> {
            while (watching.get()) {
                Kubectl.Result r = ns.kubectl().run("get", "campaign", "hello", "-o", "json", "--ignore-not-found");
                if (r.ok() && !r.stdout().isBlank()) {
                    Campaign c = io.fabric8.kubernetes.client.utils.Serialization.unmarshal(r.stdout(), Campaign.class);
                    // Only statuses the operator wrote: right after the apply there is none (the model fills in an
                    // empty one), which plain kstatus would call Current (see docs/operations.md, GitOps with Flux).
                    if (c.getStatus() != null && c.getStatus().getObservedGeneration() != null) {
                        var conditions = c.getStatus().getConditions();
                        seen.add(new Seen(String.valueOf(c.getStatus().getPhase()), status(conditions, "Ready"),
                                status(conditions, "Reconciling"), status(conditions, "Stalled")));
                    }
                }
                try {
                    Thread.sleep(150);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "watch-hello");
        watcher.start();
        try {
            ns.kubectl().apply(new File("examples/02-campaign-hello.yaml")).orFail();
            Kubectl.Result ready = ns.kubectl().withTimeout(java.time.Duration.ofSeconds(260))
                    .run("wait", "--for=condition=Ready", WAIT, "campaign/hello");
            assertThat(ready.exitCode()).as("kubectl wait --for=condition=Ready campaign/hello: %s", ready).isZero();
        } finally {
            watching.set(false);
            watcher.join(10_000);
        }

        List<String> foreign = OperatorProcess.foreignOperators();
        System.out.println("KstatusE2E: hello as seen while it ran: " + seen + "; other operator processes: " + foreign);
        assertThat(foreign).as("no other operator wrote these statuses").isEmpty();
        assertThat(seen).as("observations while hello ran").isNotEmpty();
        assertThat(seen).as("Reconciling was True while tasks ran")
                .anySatisfy(s -> {
                    assertThat(s.phase()).isIn("Pending", "Running");
                    assertThat(s.reconciling()).isEqualTo("True");
                    assertThat(s.ready()).isEqualTo("False");
                });
        assertThat(seen).as("never Reconciling and Stalled at once, never Stalled on the way: %s", seen)
                .allSatisfy(s -> assertThat(s.stalled()).isEqualTo("False"));
        assertThat(seen).as("Ready only once Succeeded")
                .allSatisfy(s -> assertThat("True".equals(s.ready())).isEqualTo("Succeeded".equals(s.phase())));

        Campaign hello = ns.get("campaign", "hello", Campaign.class);
        assertThat(hello.getStatus().getPhase()).isEqualTo(CampaignPhase.Succeeded);
        List<Condition> c = hello.getStatus().getConditions();
        assertThat(condition(c, "Ready").getStatus()).isEqualTo("True");
        assertThat(condition(c, "Ready").getReason()).isEqualTo("Succeeded");
        assertThat(condition(c, "Reconciling").getStatus()).isEqualTo("False");
        assertThat(condition(c, "Stalled").getStatus()).isEqualTo("False");
        long generation = hello.getMetadata().getGeneration();
        assertThat(hello.getStatus().getObservedGeneration()).isEqualTo(generation);
        assertThat(c).filteredOn(x -> List.of("Ready", "Reconciling", "Stalled").contains(x.getType()))
                .hasSize(3).allSatisfy(x -> assertThat(x.getObservedGeneration()).isEqualTo(generation));
        assertThat(Kstatus.compute(generation, hello.getStatus().getObservedGeneration(), c)).isEqualTo(Kstatus.Result.Current);
        // The conditions Argo CD checks and earlier scripts wait for are still there.
        assertThat(condition(c, "Succeeded").getStatus()).isEqualTo("True");
        assertThat(condition(c, "Completed").getStatus()).isEqualTo("True");
        assertThat(condition(c, "Accepted").getStatus()).isEqualTo("True");

        // Every other kind the campaign made, and the cluster, are Ready too.
        for (String kind : List.of("htask", "hatt")) {
            ns.kubectl().run("wait", "--for=condition=Ready", "--timeout=60s", kind, "-l", "hpcbridge.io/campaign=hello").orFail();
        }
        ns.kubectl().run("wait", "--for=condition=Ready", "--timeout=60s", "pblock/hello-results", "hpccluster/local-slurm").orFail();
        for (Task t : ns.list("htask", "hpcbridge.io/campaign=hello", Task.class)) {
            assertKstatusCurrent(t.getMetadata().getGeneration(), t.getStatus().getObservedGeneration(), t.getStatus().getConditions());
        }
        for (TaskAttempt a : ns.list("hatt", "hpcbridge.io/campaign=hello", TaskAttempt.class)) {
            assertKstatusCurrent(a.getMetadata().getGeneration(), a.getStatus().getObservedGeneration(), a.getStatus().getConditions());
        }
        ProcessingBlock block = ns.get("pblock", "hello-results", ProcessingBlock.class);
        assertKstatusCurrent(block.getMetadata().getGeneration(), block.getStatus().getObservedGeneration(), block.getStatus().getConditions());
        HpcCluster cluster = ns.get("hpccluster", "local-slurm", HpcCluster.class);
        assertKstatusCurrent(cluster.getMetadata().getGeneration(), cluster.getStatus().getObservedGeneration(), cluster.getStatus().getConditions());
        assertThat(condition(cluster.getStatus().getConditions(), "Ready").getReason()).isEqualTo("Ready");
    }

    @Test
    void aCampaignWithADependencyCycleIsStalledAndNotReady() {
        ns.kubectl().apply(new File("examples/04-campaign-cycle.yaml")).orFail();
        ns.kubectl().run("wait", "--for=condition=Stalled", "--timeout=60s", "campaign/cyclic").orFail();

        Campaign cyclic = ns.get("campaign", "cyclic", Campaign.class);
        List<Condition> c = cyclic.getStatus().getConditions();
        assertThat(condition(c, "Stalled").getReason()).isEqualTo("DependencyCycle");
        assertThat(condition(c, "Stalled").getMessage()).contains("dependency cycle");
        assertThat(condition(c, "Ready").getStatus()).isEqualTo("False");
        assertThat(condition(c, "Ready").getReason()).isEqualTo("DependencyCycle");
        assertThat(condition(c, "Reconciling").getStatus()).isEqualTo("False");
        assertThat(condition(c, "Accepted").getStatus()).isEqualTo("False");
        assertThat(Kstatus.compute(cyclic.getMetadata().getGeneration(), cyclic.getStatus().getObservedGeneration(), c))
                .as("what Flux's health check concludes: fail at once").isEqualTo(Kstatus.Result.Failed);
        // Not Ready: kubectl wait for Ready times out.
        assertThat(ns.kubectl().run("wait", "--for=condition=Ready", "--timeout=3s", "campaign/cyclic").exitCode()).isNotZero();
    }

    @Test
    void aCampaignWhoseTaskFailsEndsStalledWithTheFailureAsMessage() {
        ns.kubectl().apply(new File("examples/03-campaign-failing.yaml")).orFail();
        ns.kubectl().withTimeout(java.time.Duration.ofSeconds(260)).run("wait", "--for=condition=Stalled", WAIT, "campaign/failing").orFail();

        Campaign failing = ns.get("campaign", "failing", Campaign.class);
        assertThat(failing.getStatus().getPhase()).isEqualTo(CampaignPhase.Failed);
        List<Condition> c = failing.getStatus().getConditions();
        assertThat(condition(c, "Stalled").getReason()).isEqualTo("TasksFailed");
        assertThat(condition(c, "Stalled").getMessage()).contains("task breaks failed (NonZeroExit)", "hpcbridge.io/retry-failed");
        assertThat(condition(c, "Ready").getStatus()).isEqualTo("False");
        assertThat(condition(c, "Reconciling").getStatus()).isEqualTo("False");
        assertThat(Kstatus.compute(failing.getMetadata().getGeneration(), failing.getStatus().getObservedGeneration(), c))
                .isEqualTo(Kstatus.Result.Failed);
        // The failed task and its skipped downstream are Stalled; the independent one is Ready.
        assertThat(condition(ns.get("htask", "failing-breaks", Task.class).getStatus().getConditions(), "Stalled").getStatus()).isEqualTo("True");
        assertThat(condition(ns.get("htask", "failing-after-break", Task.class).getStatus().getConditions(), "Stalled").getStatus()).isEqualTo("True");
        assertThat(condition(ns.get("htask", "failing-independent", Task.class).getStatus().getConditions(), "Ready").getStatus()).isEqualTo("True");
        assertThat(condition(ns.get("hatt", "failing-breaks-1", TaskAttempt.class).getStatus().getConditions(), "Stalled").getStatus()).isEqualTo("True");
    }

    private static void assertKstatusCurrent(Long generation, Long observedGeneration, List<Condition> conditions) {
        assertThat(condition(conditions, "Ready").getStatus()).isEqualTo("True");
        assertThat(condition(conditions, "Reconciling").getStatus()).isEqualTo("False");
        assertThat(condition(conditions, "Stalled").getStatus()).isEqualTo("False");
        assertThat(Kstatus.compute(generation == null ? 0 : generation, observedGeneration, conditions)).isEqualTo(Kstatus.Result.Current);
    }

    private static String status(List<Condition> conditions, String type) {
        return conditions.stream().filter(c -> type.equals(c.getType())).map(Condition::getStatus).findFirst().orElse("absent");
    }

    private static Condition condition(List<Condition> conditions, String type) {
        return conditions.stream().filter(c -> type.equals(c.getType())).findFirst()
                .orElseThrow(() -> new AssertionError("no condition " + type + " in " + conditions));
    }
}
