package io.hpcbridge.cluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;

/** Lets code outside the informers (the pollers) ask for one primary resource to be reconciled. */
public class SignalEventSource<P extends HasMetadata> extends AbstractEventSource<Void, P> {

    public SignalEventSource(String name) {
        super(Void.class, name);
    }

    /** Signals carry no resources. */
    @Override
    public java.util.Set<Void> getSecondaryResources(P primary) {
        return java.util.Set.of();
    }

    public void signal(ResourceID resource) {
        if (isRunning()) {
            getEventHandler().handleEvent(new Event(resource));
        }
    }
}
