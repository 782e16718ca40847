package io.hpcbridge.status;

import io.fabric8.kubernetes.client.utils.Serialization;

/** Compares statuses by their JSON form, so a reconcile that changes nothing writes nothing. */
public final class StatusComparison {
    private StatusComparison() {
    }

    public static boolean same(Object a, Object b) {
        return Serialization.jsonMapper().valueToTree(a).equals(Serialization.jsonMapper().valueToTree(b));
    }

    /** A deep copy through JSON, so a decision never mutates the cached object. */
    @SuppressWarnings("unchecked")
    public static <T> T copy(T value) {
        return value == null ? null
                : (T) Serialization.jsonMapper().convertValue(value, value.getClass());
    }
}
