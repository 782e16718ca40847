package io.hpcbridge.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.hpcbridge.api.v1alpha1.TaskAttempt;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.javaoperatorsdk.operator.processing.GroupVersionKind;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;

/** The Operator SDK meters the operator installs name no object; the extension's default would name every one. */
class OperatorSdkMetricsTest {
    @Test
    void reconcileMetersCarryNoObjectNameOrNamespace() {
        List<PrometheusText.Sample> ours = afterOneReconcile(new OperatorSdkMetrics()::operatorSdkMetrics);
        assertThat(ours).isNotEmpty().allSatisfy(s -> assertThat(s.labels()).doesNotContainKeys("name", "namespace")
                .doesNotContainValue("hello-combine-1"));
    }

    @Test
    void theExtensionsDefaultWouldNameEachAttempt() {
        List<PrometheusText.Sample> perResource = afterOneReconcile(r -> MicrometerMetrics.newPerResourceCollectingMicrometerMetricsBuilder(r).build());
        assertThat(perResource).anySatisfy(s -> assertThat(s.labels()).containsEntry("name", "hello-combine-1"));
    }

    private static List<PrometheusText.Sample> afterOneReconcile(java.util.function.Function<PrometheusMeterRegistry, Metrics> make) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Metrics metrics = make.apply(registry);
        TaskAttempt a = new TaskAttempt();
        a.setMetadata(new ObjectMetaBuilder().withNamespace("ns-a").withName("hello-combine-1").build());
        metrics.finishedReconciliation(a, Map.of(Constants.RESOURCE_GVK_KEY, new GroupVersionKind("hpcbridge.io", "v1alpha1", "TaskAttempt"),
                Constants.CONTROLLER_NAME, "taskattempt"));
        return PrometheusText.parse(registry.scrape()).stream().filter(s -> s.name().startsWith("operator_sdk_")).toList();
    }
}
