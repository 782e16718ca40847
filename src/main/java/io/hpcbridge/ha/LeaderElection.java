package io.hpcbridge.ha;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.quarkus.runtime.ShutdownEvent;

/**
 * Turns {@link LeaderElectionSettings} into the Java Operator SDK's leader election. The Quarkus Operator SDK picks up
 * the {@link LeaderElectionConfiguration} bean (in the prod profile); a null bean means no leader election.
 *
 * <p>With it, every process starts its informers, but only the Lease holder runs reconcilers. Everything that talks
 * to a login node (SSH sessions, pollers, submissions) or writes to the API server starts from a reconciler, so a follower
 * does neither. When the leader loses the Lease it halts at once, as a crash would (the operator is built to resume
 * after one); a follower takes the Lease when it expires.
 */
@Singleton
public class LeaderElection {
    private static final Logger LOG = Logger.getLogger(LeaderElection.class);

    private final AtomicBoolean shuttingDown = new AtomicBoolean();
    /** Stops the process without shutdown hooks; replaced in tests. */
    Runnable halt = () -> Runtime.getRuntime().halt(1);

    @Produces
    @Dependent
    LeaderElectionConfiguration leaderElectionConfiguration(LeaderElectionSettings settings, KubernetesClient client) {
        return configuration(settings, client.getConfiguration().getNamespace(), hostname(), ProcessHandle.current().pid(),
                callbacks()).orElse(null);
    }

    /**
     * The JOSDK configuration for these settings, empty when leader election is off. The Lease namespace falls back to
     * the client's namespace (the pod's, in a cluster); with neither, this fails, since processes would not agree.
     */
    static Optional<LeaderElectionConfiguration> configuration(LeaderElectionSettings settings, String clientNamespace,
            String hostname, long pid, LeaderCallbacks callbacks) {
        if (!settings.enabled()) {
            return Optional.empty();
        }
        String namespace = settings.leaseNamespace().filter(s -> !s.isBlank())
                .or(() -> Optional.ofNullable(clientNamespace).filter(s -> !s.isBlank()))
                .orElseThrow(() -> new IllegalArgumentException(
                        "leader election is enabled but hpcbridge.leader-election.lease-namespace "
                                + "(HPCBRIDGE_LEADER_ELECTION_LEASE_NAMESPACE) is not set and the client has no namespace"));
        if (settings.leaseName().isBlank()) {
            throw new IllegalArgumentException("hpcbridge.leader-election.lease-name is empty");
        }
        Duration lease = settings.leaseDuration();
        Duration renew = settings.renewDeadline();
        Duration retry = settings.retryPeriod();
        if (retry.isNegative() || retry.isZero() || renew.compareTo(retry) <= 0 || lease.compareTo(renew) <= 0) {
            throw new IllegalArgumentException("leader election needs 0 < retry-period < renew-deadline < lease-duration, got "
                    + retry + ", " + renew + ", " + lease);
        }
        String identity = settings.identity().filter(s -> !s.isBlank())
                .orElseGet(() -> (hostname == null || hostname.isBlank() ? "hpc-bridge" : hostname) + "-" + pid);
        return Optional.of(LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(settings.leaseName())
                .withLeaseNamespace(namespace)
                .withIdentity(identity)
                .withLeaseDuration(lease)
                .withRenewDeadline(renew)
                .withRetryPeriod(retry)
                .withLeaderCallbacks(callbacks)
                // JOSDK would call System.exit on the elector's thread, which hangs a graceful shutdown (it runs
                // inside a JVM shutdown hook). The callbacks below stop the process themselves.
                .withExitOnStopLeading(false)
                .build());
    }

    LeaderCallbacks callbacks() {
        return new LeaderCallbacks(
                () -> LOG.info("leader election: this process leads now and starts reconciling"),
                this::stoppedLeading,
                leader -> {
                });
    }

    /** Losing the Lease outside a shutdown: stop at once, before the next leader starts submitting. */
    void stoppedLeading() {
        if (shuttingDown.get()) {
            LOG.info("leader election: stopped leading on shutdown");
            return;
        }
        LOG.error("leader election: lost the Lease (not renewed within the renew deadline); halting so that two "
                + "operators never reconcile at once");
        halt.run();
    }

    /** Before the operator stops (its own observer has a larger priority), so the stop is not taken for a loss. */
    void onShutdown(@Observes @Priority(10) ShutdownEvent event) {
        shuttingDown.set(true);
    }

    private static String hostname() {
        String h = System.getenv("HOSTNAME");
        if (h != null && !h.isBlank()) {
            return h;
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return null;
        }
    }
}
