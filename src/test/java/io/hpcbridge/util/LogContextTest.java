package io.hpcbridge.util;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;

import org.jboss.logging.MDC;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.hpcbridge.api.v1alpha1.Campaign;
import io.hpcbridge.api.v1alpha1.Constants;
import io.hpcbridge.api.v1alpha1.HpcCluster;
import io.hpcbridge.api.v1alpha1.NameReference;
import io.hpcbridge.api.v1alpha1.ProcessingBlock;
import io.hpcbridge.api.v1alpha1.Task;
import io.hpcbridge.api.v1alpha1.TaskAttempt;

class LogContextTest {
    @AfterEach
    void clear() {
        LogContext.KEYS.forEach(MDC::remove);
    }

    @Test
    void anAttemptCarriesNamespaceCampaignTaskAttemptAndCluster() {
        TaskAttempt a = attempt();
        try (LogContext log = LogContext.of(a)) {
            assertThat(ours()).containsExactlyInAnyOrderEntriesOf(Map.of("namespace", "ns-a", "campaign", "hello",
                    "task", "hello-combine", "attempt", "hello-combine-1", "cluster", "local-slurm"));
        }
        assertThat(ours()).isEmpty();
    }

    @Test
    void withoutSpecFieldsTheLabelAndOwnerNameTheCampaignAndTask() {
        TaskAttempt a = attempt();
        a.getSpec().setCampaign(null);
        a.getSpec().setTask(null);
        a.getMetadata().setOwnerReferences(java.util.List.of(new OwnerReferenceBuilder().withKind("Task").withName("hello-combine").build()));
        try (LogContext log = LogContext.of(a)) {
            assertThat(ours()).containsEntry("campaign", "hello").containsEntry("task", "hello-combine");
        }

        Task t = new Task();
        t.setMetadata(new ObjectMetaBuilder().withNamespace("ns-a").withName("hello-combine")
                .withOwnerReferences(new OwnerReferenceBuilder().withKind("Campaign").withName("hello").build()).build());
        try (LogContext log = LogContext.of(t)) {
            assertThat(ours()).containsExactlyInAnyOrderEntriesOf(Map.of("namespace", "ns-a", "campaign", "hello", "task", "hello-combine"));
        }
    }

    @Test
    void nestedContextsRestoreTheOuterOneAndClearKeysTheyDoNotHave() {
        Campaign c = new Campaign();
        c.setMetadata(new ObjectMetaBuilder().withNamespace("ns-a").withName("hello").build());
        c.getSpec().setClusterRef(new NameReference("local-slurm"));
        try (LogContext outer = LogContext.of(c)) {
            try (LogContext inner = LogContext.of(attempt())) {
                assertThat(ours()).containsEntry("attempt", "hello-combine-1");
            }
            assertThat(ours()).containsExactlyInAnyOrderEntriesOf(Map.of("namespace", "ns-a", "campaign", "hello", "cluster", "local-slurm"));
            HpcCluster h = new HpcCluster();
            h.setMetadata(new ObjectMetaBuilder().withNamespace("ns-b").withName("other").build());
            try (LogContext inner = LogContext.of(h)) {
                // The campaign of the outer context is not this cluster's.
                assertThat(ours()).containsExactlyInAnyOrderEntriesOf(Map.of("namespace", "ns-b", "cluster", "other"));
            }
        }
        assertThat(ours()).isEmpty();
    }

    @Test
    void aBlockAndAPollerHaveTheirOwnKeys() {
        ProcessingBlock b = new ProcessingBlock();
        b.setMetadata(new ObjectMetaBuilder().withNamespace("ns-a").withName("hello-results")
                .addToLabels(Constants.LABEL_CAMPAIGN, "hello").build());
        try (LogContext log = LogContext.of(b)) {
            assertThat(ours()).containsExactlyInAnyOrderEntriesOf(Map.of("namespace", "ns-a", "campaign", "hello", "block", "hello-results"));
        }
        try (LogContext log = LogContext.cluster("ns-a", "local-slurm")) {
            assertThat(ours()).containsExactlyInAnyOrderEntriesOf(Map.of("namespace", "ns-a", "cluster", "local-slurm"));
        }
        assertThat(ours()).isEmpty();
    }

    @Test
    void aPoolThreadStartsWithoutTheContextOfTheReconcileThatCreatedIt() throws Exception {
        Map<String, Object> inherited = new HashMap<>();
        Map<String, Object> seen = new HashMap<>();
        try (LogContext log = LogContext.of(attempt())) {
            MDC.put("resource.name", "hello-combine-1");
            Runnable look = () -> {
                Map<String, Object> m = ours();
                m.put("resource.name", MDC.get("resource.name"));
                (Thread.currentThread().getName().equals("plain") ? inherited : seen).putAll(m);
            };
            Thread plain = new Thread(look, "plain");
            Thread pooled = new Thread(LogContext.withoutInheritedContext(look), "pooled");
            plain.start();
            pooled.start();
            plain.join();
            pooled.join();
            MDC.remove("resource.name");
        }
        // Why the wrapper exists: a new thread inherits the MDC of the thread that created it.
        assertThat(inherited).containsEntry("attempt", "hello-combine-1").containsEntry("resource.name", "hello-combine-1");
        assertThat(seen).containsOnlyKeys("resource.name");
        assertThat(seen.get("resource.name")).isNull();
    }

    private static TaskAttempt attempt() {
        TaskAttempt a = new TaskAttempt();
        a.setMetadata(new ObjectMetaBuilder().withNamespace("ns-a").withName("hello-combine-1")
                .addToLabels(Constants.LABEL_CAMPAIGN, "hello").addToLabels(Constants.LABEL_TASK, "combine").build());
        a.getSpec().setCampaign("hello");
        a.getSpec().setTask("hello-combine");
        a.getSpec().setTaskName("combine");
        a.getSpec().setClusterRef(new NameReference("local-slurm"));
        return a;
    }

    private static Map<String, Object> ours() {
        Map<String, Object> m = new HashMap<>();
        for (String k : LogContext.KEYS) {
            Object v = MDC.get(k);
            if (v != null) {
                m.put(k, v);
            }
        }
        return m;
    }
}
