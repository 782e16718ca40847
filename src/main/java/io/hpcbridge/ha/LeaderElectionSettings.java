package io.hpcbridge.ha;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Leader election settings, {@code hpcbridge.leader-election.*} (environment {@code HPCBRIDGE_LEADER_ELECTION_*}).
 * Off by default: one operator process per Kubernetes cluster. The Helm chart turns it on.
 */
@ConfigMapping(prefix = "hpcbridge.leader-election")
public interface LeaderElectionSettings {
    /** Whether operator processes elect a leader through a Lease; only the leader reconciles. */
    @WithDefault("false")
    boolean enabled();

    /** Name of the Lease object. */
    @WithDefault("hpc-bridge-leader")
    String leaseName();

    /** Namespace of the Lease; defaults to the Kubernetes client's namespace (the pod's, inside a cluster). */
    Optional<String> leaseNamespace();

    /** This process's identity in the Lease; defaults to {@code <hostname>-<pid>}. */
    Optional<String> identity();

    /** How long a Lease holds without renewal: the most a follower waits after the leader died. */
    @WithDefault("15s")
    Duration leaseDuration();

    /** How long the leader keeps trying to renew before it gives up leading (and the process stops). */
    @WithDefault("10s")
    Duration renewDeadline();

    /** How often candidates try to acquire, and the leader to renew, the Lease. */
    @WithDefault("2s")
    Duration retryPeriod();
}
