package io.hpcbridge.campaign;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.hpcbridge.util.LogContext;

/**
 * The campaign scheduler's writes to objects it owns (Tasks, TaskAttempts): creates and merge patches, run a few at a
 * time so that a sweep of thousands of Tasks is created in seconds rather than minutes, without flooding the API server.
 */
final class KubeWrites {
    private static final Logger LOG = Logger.getLogger(KubeWrites.class);
    /** Concurrent writes; the fabric8 client multiplexes them over its HTTP connections. */
    static final int CONCURRENCY = 8;

    private final ExecutorService pool = Executors.newFixedThreadPool(CONCURRENCY, r -> {
        Thread t = new Thread(LogContext.withoutInheritedContext(r), "hpcb-kube-writes-" + COUNTER.incrementAndGet());
        t.setDaemon(true);
        return t;
    });
    private static final AtomicInteger COUNTER = new AtomicInteger();

    /**
     * Creates every object; an object that already exists (a reconcile raced its own cache) is skipped. The first
     * refusal that every later create would meet as well (403: e.g. the namespace is being deleted; 404: it is gone)
     * cancels the creates not yet started, instead of sending thousands that must fail.
     */
    <T extends HasMetadata> List<T> createAll(KubernetesClient client, List<T> objects) {
        return createAll(objects, o -> create(client, o));
    }

    <T extends HasMetadata> List<T> createAll(List<T> objects, UnaryOperator<T> create) {
        AtomicReference<KubernetesClientException> refused = new AtomicReference<>();
        List<CompletableFuture<T>> futures = new ArrayList<>();
        for (T o : objects) {
            futures.add(CompletableFuture.supplyAsync(() -> {
                if (refused.get() != null) {
                    return null;
                }
                try {
                    return create.apply(o);
                } catch (KubernetesClientException e) {
                    if (e.getCode() == 403 || e.getCode() == 404) {
                        refused.compareAndSet(null, e);
                    }
                    throw e;
                }
            }, pool));
        }
        return join(futures);
    }

    /** Runs the writes concurrently and waits for all of them; the first failure is rethrown after all have ended. */
    void runAll(List<Runnable> work) {
        if (work.size() == 1) {
            work.get(0).run();
            return;
        }
        List<CompletableFuture<Object>> futures = new ArrayList<>();
        for (Runnable r : work) {
            futures.add(CompletableFuture.supplyAsync(() -> {
                r.run();
                return Boolean.TRUE;
            }, pool));
        }
        join(futures);
    }

    /** Sets (or, with null, removes) one annotation with a JSON merge patch; a vanished object is not an error. */
    <T extends HasMetadata> T annotate(KubernetesClient client, Class<T> type, T object, String key, String value) {
        Map<String, Object> annotations = new LinkedHashMap<>();
        annotations.put(key, value);
        return mergePatch(client, type, object, Map.of("metadata", Map.of("annotations", annotations)));
    }

    <T extends HasMetadata> T mergePatch(KubernetesClient client, Class<T> type, T object, Map<String, Object> patch) {
        try {
            return client.resources(type).inNamespace(object.getMetadata().getNamespace()).withName(object.getMetadata().getName())
                    .patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(patch));
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                LOG.debugf("%s %s is gone; patch skipped", type.getSimpleName(), object.getMetadata().getName());
                return null;
            }
            throw e;
        }
    }

    /** Creates the object; one that already exists (a reconcile raced its own cache) gives null, not an error. */
    static <T extends HasMetadata> T create(KubernetesClient client, T object) {
        try {
            return client.resource(object).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                return null;
            }
            throw e;
        }
    }

    private static <T> List<T> join(List<CompletableFuture<T>> futures) {
        List<T> results = new ArrayList<>();
        RuntimeException first = null;
        for (CompletableFuture<T> f : futures) {
            try {
                results.add(f.join());
            } catch (java.util.concurrent.CompletionException e) {
                if (first == null) {
                    first = e.getCause() instanceof RuntimeException r ? r : e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
        return results.stream().filter(Objects::nonNull).toList();
    }
}
