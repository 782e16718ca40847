package io.hpcbridge.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Condition;
import io.hpcbridge.api.v1alpha1.AttemptPhase;
import io.hpcbridge.api.v1alpha1.Campaign;
import io.hpcbridge.api.v1alpha1.CampaignPhase;
import io.hpcbridge.api.v1alpha1.HpcCluster;
import io.hpcbridge.api.v1alpha1.TaskAttempt;

/**
 * Acceptance 6 of the HTCondor issue: the pool's schedd is stopped for two minutes mid-campaign (condor_off, the
 * master, collector and startd keep running, so running jobs keep running). While it is down no attempt changes
 * phase and the cluster shows Reachable=False; once it is back the campaign completes.
 */
class HtcondorOutageE2E {
    private static final Duration OUTAGE = Duration.ofMinutes(2);
    private static final Duration POLL = Duration.ofSeconds(5);
    private static TestNamespace ns;

    @BeforeAll
    static void setUp() {
        OperatorProcess.shared();
        ns = TestNamespace.withCredentials("e2e-condor-out");
        ns.kubectl().apply(new File("examples/htcondor/01-hpccluster.yaml")).orFail();
    }

    @AfterAll
    static void cleanUp() throws Exception {
        StackControl.ensureRunning("condor-schedd");
        if (ns != null) {
            ns.close();
        }
    }

    @Test
    void aTwoMinuteScheddOutageChangesNoPhaseShowsUnreachableAndTheCampaignCompletesAfter() throws Exception {
        ns.kubectl().apply("""
                apiVersion: hpcbridge.io/v1alpha1
                kind: Campaign
                metadata:
                  name: outage
                spec:
                  clusterRef:
                    name: local-htcondor
                  defaults:
                    resources: {cpus: 1, memory: 32Mi, time: 15m}
                  tasks:
                    - name: short
                      shards: 3
                      script: |
                        #!/bin/bash
                        sleep 20
                    - name: long
                      shards: 3
                      script: |
                        #!/bin/bash
                        sleep 75
                    - name: after
                      dependsOn: [short, long]
                      script: |
                        #!/bin/bash
                        echo after the outage
                """).orFail();
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        Map<String, AttemptPhase> before = Map.of();
        while (Instant.now().isBefore(deadline)) {
            before = phases();
            if (before.size() == 6 && before.values().stream().allMatch(p -> p == AttemptPhase.Running)) {
                break;
            }
            Thread.sleep(1000);
        }
        assertThat(before).as("six attempts running before the outage").hasSize(6).allSatisfy((k, v) -> assertThat(v).isEqualTo(AttemptPhase.Running));

        StackControl.stop("condor-schedd");
        Instant stoppedAt = Instant.now();
        List<String> trail = new ArrayList<>();
        boolean sawUnreachable = false;
        try {
            while (Duration.between(stoppedAt, Instant.now()).compareTo(OUTAGE) < 0) {
                Map<String, AttemptPhase> now = phases();
                assertThat(now).as("attempt phases %ds into the schedd outage; trail %s",
                        Duration.between(stoppedAt, Instant.now()).toSeconds(), trail).isEqualTo(before);
                Condition reachable = reachable();
                String r = reachable == null ? "none" : reachable.getStatus() + "/" + reachable.getReason();
                if (trail.isEmpty() || !trail.get(trail.size() - 1).endsWith(r)) {
                    trail.add("+" + Duration.between(stoppedAt, Instant.now()).toSeconds() + "s Reachable=" + r);
                }
                if (reachable != null && "False".equals(reachable.getStatus())) {
                    sawUnreachable = true;
                }
                if (Duration.between(stoppedAt, Instant.now()).compareTo(POLL.multipliedBy(3).plusSeconds(20)) > 0) {
                    assertThat(reachable).as("Reachable some polls into the outage; trail %s", trail).isNotNull();
                    assertThat(reachable.getStatus()).as("Reachable some polls into the outage; trail %s", trail).isEqualTo("False");
                }
                Thread.sleep(1000);
            }
        } finally {
            StackControl.start("condor-schedd");
        }
        System.out.println("[condor-out] during the outage: " + trail);
        assertThat(sawUnreachable).isTrue();

        Kubectl.Result waited = ns.kubectl().withTimeout(Duration.ofSeconds(330)).run("wait", "--for=condition=Succeeded", "--timeout=300s", "campaign/outage");
        assertThat(waited.exitCode()).as("campaign after the outage: %s %s", waited, phases()).isZero();
        Campaign c = ns.get("campaign", "outage", Campaign.class);
        assertThat(c.getStatus().getPhase()).isEqualTo(CampaignPhase.Succeeded);
        assertThat(ns.list("hatt", "hpcbridge.io/campaign=outage", TaskAttempt.class)).as("no attempt was retried").hasSize(7)
                .allSatisfy(a -> assertThat(a.getStatus().getPhase()).isEqualTo(AttemptPhase.Succeeded));
        assertThat(reachable().getStatus()).isEqualTo("True");
    }

    private static Map<String, AttemptPhase> phases() {
        Map<String, AttemptPhase> out = new TreeMap<>();
        for (TaskAttempt a : ns.list("hatt", "hpcbridge.io/campaign=outage", TaskAttempt.class)) {
            out.put(a.getMetadata().getName(), a.getStatus() == null ? null : a.getStatus().getPhase());
        }
        return new LinkedHashMap<>(out);
    }

    private static Condition reachable() {
        HpcCluster cluster = ns.get("hpcc", "local-htcondor", HpcCluster.class);
        if (cluster.getStatus() == null || cluster.getStatus().getConditions() == null) {
            return null;
        }
        return cluster.getStatus().getConditions().stream().filter(x -> "Reachable".equals(x.getType())).findFirst().orElse(null);
    }
}
