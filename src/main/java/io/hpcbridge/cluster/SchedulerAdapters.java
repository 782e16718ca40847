package io.hpcbridge.cluster;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import io.hpcbridge.api.v1alpha1.SchedulerType;
import io.hpcbridge.gateway.BatchScheduler;
import io.hpcbridge.gateway.SchedulerAdapter;

/** The scheduler adapters present in this build, found by their {@link SchedulerAdapter} qualifier; imports none. */
@ApplicationScoped
public class SchedulerAdapters {
    @Inject
    @Any
    Instance<BatchScheduler> adapters;

    /** The adapter for this scheduler type, or empty when this build has none. */
    public Optional<BatchScheduler> forType(SchedulerType type) {
        if (type == null) {
            return Optional.empty();
        }
        Instance<BatchScheduler> selected = adapters.select(new SchedulerAdapter.Literal(type));
        return selected.isResolvable() ? Optional.of(selected.get()) : Optional.empty();
    }
}
