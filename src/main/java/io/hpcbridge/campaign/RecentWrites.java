package io.hpcbridge.campaign;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * Objects this operator just created or changed, laid over an informer cache that may not have seen them yet. The
 * campaign scheduler counts live attempts and reads task resets from its cache; without this overlay a reconcile that
 * runs right after another could miss what that one created and start more attempts than the caps allow.
 */
final class RecentWrites<T extends HasMetadata> {
    /** By then the informer has the object (or it is gone); the entry is dropped either way. */
    static final Duration TTL = Duration.ofMinutes(2);

    private record Entry<T>(T object, Instant at) {
    }

    private final Map<String, Entry<T>> entries = new ConcurrentHashMap<>();

    void record(T object, Instant now) {
        entries.put(key(object), new Entry<>(object, now));
    }

    /**
     * The cached objects, each replaced by the recorded one when the cache has an older generation (or lacks it), plus
     * recorded objects matching {@code belongs} that the cache does not have yet. Entries the cache has caught up with
     * are forgotten.
     */
    Map<String, T> overlay(Collection<T> cached, Predicate<T> belongs, Instant now) {
        Map<String, T> merged = new LinkedHashMap<>();
        for (T c : cached) {
            String k = key(c);
            Entry<T> e = entries.get(k);
            if (e != null && !newer(e.object(), c)) {
                entries.remove(k, e);
                e = null;
            }
            merged.put(c.getMetadata().getName(), e == null ? c : e.object());
        }
        entries.values().removeIf(e -> e.at().plus(TTL).isBefore(now));
        for (Entry<T> e : entries.values()) {
            T o = e.object();
            if (belongs.test(o) && !merged.containsKey(o.getMetadata().getName())) {
                merged.put(o.getMetadata().getName(), o);
            }
        }
        return merged;
    }

    /** Recorded objects that match, for counts across campaigns (e.g. attempts on one cluster). */
    java.util.List<T> recorded(Predicate<T> matching) {
        return entries.values().stream().map(Entry::object).filter(matching).toList();
    }

    private static boolean newer(HasMetadata recorded, HasMetadata cached) {
        Long a = recorded.getMetadata().getGeneration();
        Long b = cached.getMetadata().getGeneration();
        return a != null && b != null && a > b;
    }

    private static String key(HasMetadata o) {
        return o.getMetadata().getNamespace() + "/" + o.getMetadata().getName();
    }
}
