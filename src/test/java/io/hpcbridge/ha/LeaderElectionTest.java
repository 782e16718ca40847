package io.hpcbridge.ha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

class LeaderElectionTest {
    private static final LeaderCallbacks CALLBACKS = new LeaderCallbacks(() -> {
    }, () -> {
    }, id -> {
    });

    /** The settings as SmallRye reads them from environment variables, the way the Helm chart passes them. */
    private static LeaderElectionSettings fromEnv(Map<String, String> env) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new EnvConfigSource(env, 300))
                .withConverter(Duration.class, 200, new DurationConverter())
                .withMapping(LeaderElectionSettings.class)
                .build();
        return config.getConfigMapping(LeaderElectionSettings.class);
    }

    @Test
    void offByDefault() {
        assertThat(LeaderElection.configuration(fromEnv(Map.of()), "ns", "host", 7, CALLBACKS)).isEmpty();
        assertThat(LeaderElection.configuration(fromEnv(Map.of("HPCBRIDGE_LEADER_ELECTION_ENABLED", "false")), "ns", "host", 7,
                CALLBACKS)).isEmpty();
    }

    @Test
    void chartEnvironmentGivesLeaseIdentityAndJosdkDefaultTimings() {
        LeaderElectionConfiguration c = LeaderElection.configuration(fromEnv(Map.of(
                "HPCBRIDGE_LEADER_ELECTION_ENABLED", "true",
                "HPCBRIDGE_LEADER_ELECTION_LEASE_NAME", "hpc-bridge-leader",
                "HPCBRIDGE_LEADER_ELECTION_LEASE_NAMESPACE", "hpc-system")), "default", "hpc-bridge-7d9f-abcde", 1, CALLBACKS)
                .orElseThrow();
        assertThat(c.getLeaseName()).isEqualTo("hpc-bridge-leader");
        assertThat(c.getLeaseNamespace()).contains("hpc-system");
        assertThat(c.getIdentity()).contains("hpc-bridge-7d9f-abcde-1");
        assertThat(c.getLeaseDuration()).isEqualTo(Duration.ofSeconds(15));
        assertThat(c.getRenewDeadline()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.getRetryPeriod()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.getLeaderCallbacks()).contains(CALLBACKS);
        assertThat(c.isExitOnStopLeading()).as("our callback stops the process, not JOSDK's System.exit").isFalse();
    }

    @Test
    void identityIsPerProcessUnlessGiven() {
        var env = Map.of("HPCBRIDGE_LEADER_ELECTION_ENABLED", "true", "HPCBRIDGE_LEADER_ELECTION_LEASE_NAMESPACE", "x");
        String a = LeaderElection.configuration(fromEnv(env), null, "node1", 100, CALLBACKS).orElseThrow().getIdentity().orElseThrow();
        String b = LeaderElection.configuration(fromEnv(env), null, "node1", 101, CALLBACKS).orElseThrow().getIdentity().orElseThrow();
        assertThat(a).isEqualTo("node1-100").isNotEqualTo(b);
        assertThat(LeaderElection.configuration(fromEnv(env), null, null, 5, CALLBACKS).orElseThrow().getIdentity())
                .contains("hpc-bridge-5");
        var given = Map.of("HPCBRIDGE_LEADER_ELECTION_ENABLED", "true", "HPCBRIDGE_LEADER_ELECTION_LEASE_NAMESPACE", "x",
                "HPCBRIDGE_LEADER_ELECTION_IDENTITY", "op-a");
        assertThat(LeaderElection.configuration(fromEnv(given), null, "node1", 100, CALLBACKS).orElseThrow().getIdentity())
                .contains("op-a");
    }

    @Test
    void leaseNamespaceFallsBackToTheClientsAndIsRequired() {
        var env = Map.of("HPCBRIDGE_LEADER_ELECTION_ENABLED", "true");
        assertThat(LeaderElection.configuration(fromEnv(env), "pod-ns", "h", 1, CALLBACKS).orElseThrow().getLeaseNamespace())
                .contains("pod-ns");
        assertThat(LeaderElection.configuration(fromEnv(env), "pod-ns", "h", 1, CALLBACKS).orElseThrow().getLeaseName())
                .isEqualTo("hpc-bridge-leader");
        assertThatThrownBy(() -> LeaderElection.configuration(fromEnv(env), null, "h", 1, CALLBACKS))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("HPCBRIDGE_LEADER_ELECTION_LEASE_NAMESPACE");
    }

    @Test
    void timingsAreReadAndMustBeOrdered() {
        var env = Map.of("HPCBRIDGE_LEADER_ELECTION_ENABLED", "true", "HPCBRIDGE_LEADER_ELECTION_LEASE_NAMESPACE", "x",
                "HPCBRIDGE_LEADER_ELECTION_LEASE_DURATION", "30s", "HPCBRIDGE_LEADER_ELECTION_RENEW_DEADLINE", "20s",
                "HPCBRIDGE_LEADER_ELECTION_RETRY_PERIOD", "5s");
        LeaderElectionConfiguration c = LeaderElection.configuration(fromEnv(env), null, "h", 1, CALLBACKS).orElseThrow();
        assertThat(c.getLeaseDuration()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.getRenewDeadline()).isEqualTo(Duration.ofSeconds(20));
        assertThat(c.getRetryPeriod()).isEqualTo(Duration.ofSeconds(5));

        var bad = Map.of("HPCBRIDGE_LEADER_ELECTION_ENABLED", "true", "HPCBRIDGE_LEADER_ELECTION_LEASE_NAMESPACE", "x",
                "HPCBRIDGE_LEADER_ELECTION_LEASE_DURATION", "10s", "HPCBRIDGE_LEADER_ELECTION_RENEW_DEADLINE", "10s");
        assertThatThrownBy(() -> LeaderElection.configuration(fromEnv(bad), null, "h", 1, CALLBACKS))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("renew-deadline < lease-duration");
    }

    @Test
    void losingTheLeaseHaltsUnlessTheOperatorIsShuttingDown() {
        LeaderElection election = new LeaderElection();
        int[] halts = {0};
        election.halt = () -> halts[0]++;
        election.callbacks().onStopLeading();
        assertThat(halts[0]).as("lease lost while running").isEqualTo(1);

        election.onShutdown(null);
        election.callbacks().onStopLeading();
        assertThat(halts[0]).as("stop on shutdown is not a loss").isEqualTo(1);
    }
}
