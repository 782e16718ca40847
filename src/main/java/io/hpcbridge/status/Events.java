package io.hpcbridge.status;

import java.time.Instant;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/** Kubernetes Events on the objects users look at, for transitions they care about. Never carries secrets. */
public final class Events {
    private static final Logger LOG = Logger.getLogger(Events.class);
    public static final String NORMAL = "Normal";
    public static final String WARNING = "Warning";

    private Events() {
    }

    public static void emit(KubernetesClient client, HasMetadata object, String type, String reason, String message) {
        String now = Times.format(Instant.now());
        Event event = new EventBuilder()
                .withNewMetadata()
                .withGenerateName(object.getMetadata().getName() + ".")
                .withNamespace(object.getMetadata().getNamespace())
                .endMetadata()
                .withNewInvolvedObject()
                .withApiVersion(object.getApiVersion())
                .withKind(object.getKind())
                .withName(object.getMetadata().getName())
                .withNamespace(object.getMetadata().getNamespace())
                .withUid(object.getMetadata().getUid())
                .endInvolvedObject()
                .withType(type)
                .withReason(reason)
                .withMessage(message.length() > 1024 ? message.substring(0, 1024) : message)
                .withFirstTimestamp(now)
                .withLastTimestamp(now)
                .withCount(1)
                .withNewSource().withComponent("hpc-bridge").endSource()
                .build();
        try {
            client.v1().events().inNamespace(object.getMetadata().getNamespace()).resource(event).create();
        } catch (KubernetesClientException e) {
            // An event is a courtesy; failing to record one must not fail the reconcile.
            LOG.debugf("event %s on %s not recorded: %s", reason, object.getMetadata().getName(), e.getMessage());
        }
    }
}
