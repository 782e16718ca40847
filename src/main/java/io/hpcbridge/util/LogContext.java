package io.hpcbridge.util;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jboss.logging.MDC;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.hpcbridge.api.v1alpha1.Campaign;
import io.hpcbridge.api.v1alpha1.Constants;
import io.hpcbridge.api.v1alpha1.HpcCluster;
import io.hpcbridge.api.v1alpha1.NameReference;
import io.hpcbridge.api.v1alpha1.ProcessingBlock;
import io.hpcbridge.api.v1alpha1.Task;
import io.hpcbridge.api.v1alpha1.TaskAttempt;

/**
 * Puts the object being worked on into the log MDC (namespace, cluster, campaign, task, attempt, block), so every log
 * line written meanwhile carries them, in JSON logs as fields of {@code mdc}. Used with try-with-resources; closing it
 * restores what the thread had before, so contexts nest and nothing leaks into the next reconcile on a pooled thread.
 * Every key is set or cleared: a Task's context never shows the attempt of an earlier line. Only names go in, never
 * spec contents.
 */
public final class LogContext implements AutoCloseable {
    public static final String NAMESPACE = "namespace";
    public static final String CLUSTER = "cluster";
    public static final String CAMPAIGN = "campaign";
    public static final String TASK = "task";
    public static final String ATTEMPT = "attempt";
    public static final String BLOCK = "block";
    public static final List<String> KEYS = List.of(NAMESPACE, CLUSTER, CAMPAIGN, TASK, ATTEMPT, BLOCK);

    private final Object[] previous = new Object[KEYS.size()];

    private LogContext(Map<String, String> values) {
        for (int i = 0; i < KEYS.size(); i++) {
            String key = KEYS.get(i);
            previous[i] = MDC.get(key);
            set(key, values.get(key));
        }
    }

    /** The context of one of the operator's kinds; for any other object, its namespace only. */
    public static LogContext of(HasMetadata resource) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put(NAMESPACE, resource.getMetadata().getNamespace());
        if (resource instanceof Campaign c) {
            v.put(CAMPAIGN, c.getMetadata().getName());
            v.put(CLUSTER, name(c.getSpec() == null ? null : c.getSpec().getClusterRef()));
        } else if (resource instanceof Task t) {
            v.put(CAMPAIGN, firstNonNull(t.getSpec() == null ? null : t.getSpec().getCampaign(), label(t, Constants.LABEL_CAMPAIGN),
                    owner(t, "Campaign")));
            v.put(TASK, t.getMetadata().getName());
            v.put(CLUSTER, name(t.getSpec() == null ? null : t.getSpec().getClusterRef()));
        } else if (resource instanceof TaskAttempt a) {
            v.put(CAMPAIGN, firstNonNull(a.getSpec() == null ? null : a.getSpec().getCampaign(), label(a, Constants.LABEL_CAMPAIGN)));
            v.put(TASK, firstNonNull(a.getSpec() == null ? null : a.getSpec().getTask(), owner(a, "Task")));
            v.put(ATTEMPT, a.getMetadata().getName());
            v.put(CLUSTER, name(a.getSpec() == null ? null : a.getSpec().getClusterRef()));
        } else if (resource instanceof ProcessingBlock b) {
            v.put(CAMPAIGN, firstNonNull(b.getSpec() == null ? null : b.getSpec().getCampaign(), label(b, Constants.LABEL_CAMPAIGN),
                    owner(b, "Campaign")));
            v.put(BLOCK, b.getMetadata().getName());
        } else if (resource instanceof HpcCluster h) {
            v.put(CLUSTER, h.getMetadata().getName());
        }
        return new LogContext(v);
    }

    /** The context of an HpcCluster's poller and connections. */
    public static LogContext cluster(String namespace, String name) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put(NAMESPACE, namespace);
        v.put(CLUSTER, name);
        return new LogContext(v);
    }

    /**
     * For a pool's thread factory: the log MDC is inherited by new threads, so a thread created during a reconcile
     * would otherwise name that reconcile's object on every line it ever writes, whatever it works on.
     */
    public static Runnable withoutInheritedContext(Runnable r) {
        return () -> {
            MDC.clear();
            r.run();
        };
    }

    @Override
    public void close() {
        for (int i = 0; i < KEYS.size(); i++) {
            set(KEYS.get(i), previous[i]);
        }
    }

    private static void set(String key, Object value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }

    private static String name(NameReference ref) {
        return ref == null ? null : ref.getName();
    }

    private static String label(HasMetadata o, String key) {
        Map<String, String> labels = o.getMetadata().getLabels();
        return labels == null ? null : labels.get(key);
    }

    private static String owner(HasMetadata o, String kind) {
        List<OwnerReference> refs = o.getMetadata().getOwnerReferences();
        if (refs == null) {
            return null;
        }
        return refs.stream().filter(r -> kind.equals(r.getKind())).map(OwnerReference::getName).findFirst().orElse(null);
    }

    private static String firstNonNull(String... values) {
        for (String s : values) {
            if (s != null && !s.isEmpty()) {
                return s;
            }
        }
        return null;
    }
}
