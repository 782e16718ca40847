package io.hpcbridge.status;

import java.util.Optional;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;

/**
 * A reconcile that throws (the API server refused a write, RBAC is missing, a bug) is otherwise seen only in the
 * operator's log. This puts it on the object as a Warning Event {@value #REASON}, where {@code kubectl describe} shows
 * it: once when the failures start and once when the retries are used up, not on every retry in between.
 */
public final class ReconcileErrors {
    public static final String REASON = "ReconcileError";
    static final int MAX_DETAIL = 600;

    private ReconcileErrors() {
    }

    public static void report(KubernetesClient client, HasMetadata object, Optional<RetryInfo> retry, Exception e) {
        eventMessage(e, retry).ifPresent(message -> Events.emit(client, object, Events.WARNING, REASON, message));
    }

    /** The Event's message, or empty on a retry that is neither the first failure nor the last retry. */
    static Optional<String> eventMessage(Exception e, Optional<RetryInfo> retry) {
        boolean first = retry.isEmpty() || retry.get().getAttemptCount() <= 1;
        boolean last = retry.isPresent() && retry.get().isLastAttempt();
        if (!first && !last) {
            return Optional.empty();
        }
        String next = last ? "retries used up; the next attempt comes with the next change to this object or the periodic resync"
                : "retrying with backoff";
        return Optional.of("the operator could not reconcile this object: " + detail(e) + " (" + next + ")");
    }

    /** What went wrong, in the API server's words where it answered. */
    static String detail(Throwable e) {
        Throwable cause = e;
        while (!(cause instanceof KubernetesClientException) && cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String text;
        if (cause instanceof KubernetesClientException k && k.getStatus() != null && k.getStatus().getMessage() != null) {
            text = "HTTP " + k.getCode() + ": " + k.getStatus().getMessage();
        } else {
            text = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
        return text.length() > MAX_DETAIL ? text.substring(0, MAX_DETAIL) + "…" : text;
    }
}
