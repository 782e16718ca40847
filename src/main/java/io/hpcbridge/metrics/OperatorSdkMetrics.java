package io.hpcbridge.metrics;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The Operator SDK's own meters ({@code operator_sdk_*}) without per-resource tags. The Quarkus extension's default
 * collects them per resource, with each object's name and namespace as labels: one set of series per TaskAttempt,
 * which a campaign of thousands of attempts turns into a cardinality problem for Prometheus.
 */
public class OperatorSdkMetrics {
    @Produces
    @Singleton
    Metrics operatorSdkMetrics(MeterRegistry registry) {
        return MicrometerMetrics.withoutPerResourceMetrics(registry);
    }
}
