package io.hpcbridge.cluster;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.hpcbridge.metrics.MeteredConnector;
import io.hpcbridge.metrics.MeteredShell;
import io.hpcbridge.metrics.OperatorMetrics;

import io.hpcbridge.api.v1alpha1.HpcCluster;
import io.hpcbridge.api.v1alpha1.HpcClusterSpec;
import io.hpcbridge.api.v1alpha1.SchedulerType;
import io.hpcbridge.gateway.BatchScheduler;
import io.hpcbridge.ssh.LoginNodeShell;
import io.hpcbridge.ssh.SshConnection;
import io.hpcbridge.ssh.SshCredentials;
import io.hpcbridge.ssh.SshSettings;
import io.hpcbridge.util.Durations;
import io.hpcbridge.util.LogContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/** The live sessions, one per HpcCluster, replaced when the cluster's spec or credentials change. */
@ApplicationScoped
public class ClusterSessions {
    private record Entry(ClusterSession session, String configKey) {
    }

    private final Map<String, Entry> sessions = new ConcurrentHashMap<>();
    private final ScheduledExecutorService pollers = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(LogContext.withoutInheritedContext(r), "hpcb-poller");
        t.setDaemon(true);
        return t;
    });
    @Inject
    OperatorMetrics metrics;
    @Inject
    SchedulerAdapters adapters;

    private volatile Consumer<ResourceID> attemptListener = id -> {
    };
    private volatile Consumer<ResourceID> clusterListener = id -> {
    };

    public static String key(String namespace, String name) {
        return namespace + "/" + name;
    }

    public void onAttemptChanged(Consumer<ResourceID> listener) {
        this.attemptListener = listener;
    }

    public void onClusterHealthChanged(Consumer<ResourceID> listener) {
        this.clusterListener = listener;
    }

    public Optional<ClusterSession> find(String namespace, String name) {
        return Optional.ofNullable(sessions.get(key(namespace, name))).map(Entry::session);
    }

    /** Returns the cluster's session, (re)creating it when its connection settings or credentials changed. */
    public ClusterSession ensure(HpcCluster cluster, SshCredentials credentials, SshSettings settings) {
        String k = key(cluster.getMetadata().getNamespace(), cluster.getMetadata().getName());
        String configKey = configKey(cluster.getSpec(), credentials);
        Entry existing = sessions.get(k);
        if (existing != null && existing.configKey().equals(configKey)) {
            applySettings(existing.session(), cluster.getSpec());
            return existing.session();
        }
        HpcClusterSpec spec = cluster.getSpec();
        BatchScheduler scheduler = adapters.forType(spec.getScheduler())
                .orElseThrow(() -> new UnsupportedSchedulerException(spec.getScheduler()));
        List<LoginNodeShell.Endpoint> endpoints = spec.getLoginNodes().stream()
                .map(n -> new LoginNodeShell.Endpoint(n.getHost(), n.effectivePort()))
                .toList();
        LoginNodeShell.Connector ssh = e -> SshConnection.open(e.host(), e.port(), credentials, settings);
        LoginNodeShell shell = new LoginNodeShell(endpoints, new MeteredConnector(ssh, k, metrics), settings, Clock.systemUTC());
        Duration interval = Durations.parseOr(spec.getPollInterval(), Duration.ofSeconds(30));
        String namespace = cluster.getMetadata().getNamespace();
        String name = cluster.getMetadata().getName();
        ClusterSession session = new ClusterSession(k, spec.getScheduler(), scheduler, new MeteredShell(shell, k, metrics), shell,
                interval, Clock.systemUTC(), id -> attemptListener.accept(id),
                ignored -> clusterListener.accept(new ResourceID(name, namespace)), metrics);
        Entry previous = sessions.put(k, new Entry(session, configKey));
        if (previous != null) {
            previous.session().close();
            metrics.removeClusterGauges(k);
        }
        metrics.clusterGauges(k, () -> {
            var last = session.health().lastPollTime();
            return last == null ? Double.NaN : (double) java.time.Duration.between(last, java.time.Instant.now()).toSeconds();
        }, () -> (double) shell.openConnections(), () -> (double) shell.channelsInUse(), () -> (double) session.followedJobs());
        applySettings(session, spec);
        session.start(pollers);
        return session;
    }

    /** Settings a live session takes over without reconnecting. */
    private static void applySettings(ClusterSession session, HpcClusterSpec spec) {
        session.setAllowRequeue(Boolean.TRUE.equals(spec.getAllowRequeue()));
        session.setHeldTimeout(Durations.parseOr(spec.getHeldTimeout(), ClusterSession.DEFAULT_HELD_TIMEOUT));
    }

    public void remove(String namespace, String name) {
        Entry e = sessions.remove(key(namespace, name));
        if (e != null) {
            e.session().close();
            metrics.removeClusterGauges(key(namespace, name));
        }
    }

    private static String configKey(HpcClusterSpec spec, SshCredentials credentials) {
        return spec.getScheduler() + "|" + spec.getUser() + "|" + spec.getPollInterval() + "|" + spec.getConnectionInterval() + "|"
                + spec.getLoginNodes().stream().map(n -> n.getHost() + ":" + n.effectivePort()).toList() + "|" + credentials.fingerprint();
    }

    @PreDestroy
    void shutdown() {
        sessions.values().forEach(e -> e.session().close());
        sessions.clear();
        pollers.shutdownNow();
    }

    /** The scheduler has no adapter yet. */
    public static class UnsupportedSchedulerException extends RuntimeException {
        public UnsupportedSchedulerException(SchedulerType type) {
            super("scheduler " + type + " has no adapter in this version of hpc-bridge");
        }
    }
}
