package io.hpcbridge.status;

import java.util.function.Supplier;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.CustomResource;

/**
 * The object sent to patch a status: name, namespace and status, nothing else. Status patches are server-side
 * applied; anything else in the body (the user's annotations, spec defaults) would be recorded as owned by the
 * operator's field manager, and a later apply by the same manager (the finalizer) would then remove it.
 */
public final class StatusPatch {
    private StatusPatch() {
    }

    public static <S, R extends CustomResource<?, S>> R of(R resource, S status, Supplier<R> fresh) {
        R patch = fresh.get();
        patch.setMetadata(new ObjectMetaBuilder()
                .withName(resource.getMetadata().getName())
                .withNamespace(resource.getMetadata().getNamespace())
                .build());
        patch.setStatus(status);
        return patch;
    }
}
