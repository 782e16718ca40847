package io.hpcbridge.metrics;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.hpcbridge.api.v1alpha1.AttemptPhase;
import io.hpcbridge.gateway.RemoteOperation;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The operator's own metrics, all prefixed {@code hpcb_}. Labels stay low-cardinality: cluster (namespace/name),
 * port operation, outcome, phase, kind; never an attempt, task or job id. Names and meanings are listed in docs/operations.md.
 */
@ApplicationScoped
public class OperatorMetrics {
    private final MeterRegistry registry;
    private final Map<String, AtomicInteger> attemptsByPhase = new ConcurrentHashMap<>();
    private final Map<String, Map<String, AttemptPhase>> phaseOfAttempt = new ConcurrentHashMap<>();

    @Inject
    public OperatorMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (AttemptPhase p : AttemptPhase.values()) {
            AtomicInteger n = new AtomicInteger();
            attemptsByPhase.put(p.name(), n);
            Gauge.builder("hpcb_attempts", n, AtomicInteger::get).tag("phase", p.name())
                    .description("TaskAttempts known to this operator, by phase").register(registry);
        }
    }

    /** For tests and tools that run without Quarkus. */
    public static OperatorMetrics noop() {
        return new OperatorMetrics(new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
    }

    public MeterRegistry registry() {
        return registry;
    }

    public void remoteCommand(String cluster, RemoteOperation operation, String outcome, Duration took) {
        Timer.builder("hpcb_remote_commands").tag("cluster", cluster).tag("operation", operation.label()).tag("outcome", outcome)
                .description("Commands run on login nodes, by port operation and outcome (ok, nonzero, error)")
                .register(registry).record(took);
    }

    /** Bucket bounds of the poll latency histogram ({@code hpcb_polls_seconds_bucket}): few, so the series stay few. */
    static final Duration[] POLL_BUCKETS = { Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
            Duration.ofSeconds(60), Duration.ofSeconds(120) };

    public void poll(String cluster, boolean ok, Duration took) {
        Timer.builder("hpcb_polls").tag("cluster", cluster).tag("outcome", ok ? "ok" : "failed")
                .serviceLevelObjectives(POLL_BUCKETS)
                .description("Batched status polls per cluster").register(registry).record(took);
    }

    /** One try to open an SSH connection to a login node; {@code outcome} is ok or an SshFailure reason. */
    public void sshConnect(String cluster, String outcome) {
        Counter.builder("hpcb_ssh_connects").tag("cluster", cluster).tag("outcome", outcome)
                .description("SSH connection tries to login nodes, by outcome (ok, ConnectionFailed, AuthenticationFailed, "
                        + "HostKeyUnknown, HostKeyMismatch, error)")
                .register(registry).increment();
    }

    public void submission(String cluster, String outcome) {
        Counter.builder("hpcb_submissions").tag("cluster", cluster).tag("outcome", outcome)
                .description("Submission outcomes: submitted, adopted, rejected, deferred, unconfirmed")
                .register(registry).increment();
    }

    public void lost(String cluster) {
        lostCounter(cluster).increment();
    }

    private Counter lostCounter(String cluster) {
        return Counter.builder("hpcb_attempts_lost").tag("cluster", cluster)
                .description("Attempts declared Lost (in neither queue nor accounting past the grace period)")
                .register(registry);
    }

    public void statusWrite(String kind) {
        Counter.builder("hpcb_status_writes").tag("kind", kind).description("Status writes to the API server, by kind")
                .register(registry).increment();
    }

    /** Registers per-cluster gauges read from the session: staleness, open connections, channels in use. */
    public void clusterGauges(String cluster, java.util.function.Supplier<Double> stalenessSeconds,
            java.util.function.Supplier<Double> openConnections, java.util.function.Supplier<Double> channelsInUse,
            java.util.function.Supplier<Double> followedJobs) {
        Gauge.builder("hpcb_status_staleness_seconds", stalenessSeconds::get).tag("cluster", cluster)
                .description("Seconds since the cluster's last successful poll").register(registry);
        Gauge.builder("hpcb_ssh_connections_open", openConnections::get).tag("cluster", cluster)
                .description("Open SSH connections to the cluster's login nodes").register(registry);
        Gauge.builder("hpcb_ssh_channels_in_use", channelsInUse::get).tag("cluster", cluster)
                .description("SSH channels (commands, transfers) in use").register(registry);
        Gauge.builder("hpcb_followed_jobs", followedJobs::get).tag("cluster", cluster)
                .description("Jobs the cluster's poller follows").register(registry);
        // Present at 0 from the start, so that increase() and alerts see the first lost attempt.
        lostCounter(cluster);
    }

    public void removeClusterGauges(String cluster) {
        registry.getMeters().stream()
                .filter(m -> m.getId().getName().startsWith("hpcb_") && cluster.equals(m.getId().getTag("cluster"))
                        && m instanceof Gauge)
                .toList()
                .forEach(registry::remove);
    }

    /** Keeps the attempts-by-phase gauges current; {@code phase} null forgets the attempt. */
    public void attemptPhase(String namespace, String name, AttemptPhase phase) {
        Map<String, AttemptPhase> ns = phaseOfAttempt.computeIfAbsent(namespace, k -> new ConcurrentHashMap<>());
        AttemptPhase previous = phase == null ? ns.remove(name) : ns.put(name, phase);
        if (previous != null) {
            attemptsByPhase.get(previous.name()).decrementAndGet();
        }
        if (phase != null) {
            attemptsByPhase.get(phase.name()).incrementAndGet();
        }
    }
}
