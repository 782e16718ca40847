package io.hpcbridge.cluster;

import java.time.Instant;
import java.util.List;

import io.fabric8.kubernetes.api.model.Condition;
import io.hpcbridge.api.v1alpha1.ClusterPhase;
import io.hpcbridge.status.Conditions;
import io.hpcbridge.status.Kstatus;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** HpcCluster's Reachable and kstatus conditions, as HpcClusterReconciler writes them for each outcome of a reconcile. */
class HpcClusterConditionsTest {
    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

    private static Condition condition(List<Condition> c, String type) {
        return Conditions.find(c, type).orElseThrow(() -> new AssertionError("no condition " + type));
    }

    @ParameterizedTest(name = "{0}/{2}: Ready={3} Reconciling={4} Stalled={5} -> {7}")
    @CsvSource({
            // phase,     Reachable, reason,                Ready,   Reconciling, Stalled, ready reason,          kstatus
            "Ready,       True,      PollSucceeded,         True,    False,       False,   Ready,                 Current",
            "Pending,     Unknown,   Connecting,            Unknown, True,        False,   Connecting,            InProgress",
            "Paused,      Unknown,   Paused,                Unknown, False,       False,   Paused,                InProgress",
            "Unreachable, False,     ConnectionFailed,      False,   True,        False,   ConnectionFailed,      InProgress",
            "Unreachable, False,     PollFailed,            False,   True,        False,   PollFailed,            InProgress",
            "Unreachable, False,     CredentialsNotFound,   False,   False,       False,   CredentialsNotFound,   InProgress",
            "Unreachable, False,     CredentialsInvalid,    False,   False,       True,    CredentialsInvalid,    Failed",
            "Unreachable, False,     CredentialsForbidden,  False,   False,       True,    CredentialsForbidden,  Failed",
            "Unreachable, False,     AuthenticationFailed,  False,   False,       True,    AuthenticationFailed,  Failed",
            "Unreachable, False,     HostKeyMismatch,       False,   False,       True,    HostKeyMismatch,       Failed",
            "Unreachable, False,     HostKeyUnknown,        False,   False,       True,    HostKeyUnknown,        Failed",
            "Unreachable, False,     SchedulerNotSupported, False,   False,       True,    SchedulerNotSupported, Failed",
    })
    void eachOutcomeSetsReachableAndTheKstatusConditions(ClusterPhase phase, String reachable, String reason, String ready,
            String reconciling, String stalled, String readyReason, Kstatus.Result kstatus) {
        List<Condition> c = HpcClusterReconciler.conditions(null, phase, reachable, reason, "what happened", 5L, T0);

        assertThat(condition(c, "Reachable").getStatus()).isEqualTo(reachable);
        assertThat(condition(c, "Reachable").getReason()).isEqualTo(reason);
        assertThat(condition(c, "Ready").getStatus()).as("Ready keeps its meaning: True exactly when phase Ready").isEqualTo(ready);
        assertThat(condition(c, "Ready").getReason()).isEqualTo(readyReason);
        assertThat(condition(c, "Ready").getMessage()).isEqualTo("what happened");
        assertThat(condition(c, "Reconciling").getStatus()).isEqualTo(reconciling);
        assertThat(condition(c, "Stalled").getStatus()).isEqualTo(stalled);
        assertThat(c).allSatisfy(x -> assertThat(x.getObservedGeneration()).isEqualTo(5L));
        assertThat(Kstatus.compute(5, 5L, c)).isEqualTo(kstatus);
    }

    @Test
    void aFixedHostKeyClearsStalled() {
        List<Condition> refused = HpcClusterReconciler.conditions(null, ClusterPhase.Unreachable, "False", "HostKeyMismatch", "refused", 1L, T0);
        List<Condition> fixed = HpcClusterReconciler.conditions(refused, ClusterPhase.Ready, "True", "PollSucceeded", "ok", 2L, T0.plusSeconds(30));

        assertThat(condition(fixed, "Stalled").getStatus()).isEqualTo("False");
        assertThat(condition(fixed, "Stalled").getLastTransitionTime()).isEqualTo("2026-11-23T10:00:30Z");
        assertThat(condition(fixed, "Ready").getStatus()).isEqualTo("True");
        assertThat(condition(fixed, "Reconciling").getLastTransitionTime()).as("Reconciling stayed False").isEqualTo("2026-11-23T10:00:00Z");
    }
}
