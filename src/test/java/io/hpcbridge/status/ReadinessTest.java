package io.hpcbridge.status;

import java.time.Instant;
import java.util.List;

import io.fabric8.kubernetes.api.model.Condition;
import io.hpcbridge.status.Readiness.State;
import io.hpcbridge.status.Readiness.Summary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReadinessTest {
    private static final Instant T0 = Instant.parse("2025-02-01T08:00:00Z");
    private static final Instant T1 = Instant.parse("2025-02-01T09:00:00Z");

    static Condition condition(List<Condition> conditions, String type) {
        return Conditions.find(conditions, type).orElseThrow(() -> new AssertionError("no condition " + type));
    }

    @ParameterizedTest(name = "{0}: Ready={1} Reconciling={2} Stalled={3} -> kstatus {4}")
    @CsvSource({
            "READY,       True,  False, False, Current",
            "RECONCILING, False, True,  False, InProgress",
            "STALLED,     False, False, True,  Failed",
            "WAITING,     False, False, False, InProgress",
    })
    void eachStateSetsTheThreeConditionsAndReadsAsKstatusDoes(State state, String ready, String reconciling, String stalled,
            Kstatus.Result kstatus) {
        Summary summary = new Summary(state, "SomeReason", "some message", state == State.READY ? "True" : "False");

        List<Condition> c = Readiness.apply(List.of(), summary, 3L, T0);

        assertThat(condition(c, "Ready").getStatus()).isEqualTo(ready);
        assertThat(condition(c, "Reconciling").getStatus()).isEqualTo(reconciling);
        assertThat(condition(c, "Stalled").getStatus()).isEqualTo(stalled);
        assertThat(c).allSatisfy(x -> {
            assertThat(x.getReason()).isEqualTo("SomeReason");
            assertThat(x.getMessage()).isEqualTo("some message");
            assertThat(x.getObservedGeneration()).isEqualTo(3L);
        });
        assertThat(Kstatus.compute(3, 3L, c)).isEqualTo(kstatus);
        // A status the operator has not yet written for the latest spec is InProgress whatever it says.
        assertThat(Kstatus.compute(4, 3L, c)).isEqualTo(Kstatus.Result.InProgress);
    }

    @Test
    void neverReconcilingAndStalledAtOnce() {
        for (State state : State.values()) {
            List<Condition> c = Readiness.apply(null,
                    new Summary(state, "R", "m", state == State.READY ? "True" : "False"), 1L, T0);
            boolean reconciling = "True".equals(condition(c, "Reconciling").getStatus());
            boolean stalled = "True".equals(condition(c, "Stalled").getStatus());
            assertThat(reconciling && stalled).as(state.name()).isFalse();
        }
    }

    @Test
    void readyUnknownKeepsTheStateAndReadsAsInProgress() {
        List<Condition> c = Readiness.apply(null, Summary.waiting("Paused", "paused").readyUnknown(), 1L, T0);

        assertThat(condition(c, "Ready").getStatus()).isEqualTo("Unknown");
        assertThat(condition(c, "Reconciling").getStatus()).isEqualTo("False");
        assertThat(condition(c, "Stalled").getStatus()).isEqualTo("False");
        assertThat(Kstatus.compute(1, 1L, c)).isEqualTo(Kstatus.Result.InProgress);
    }

    @Test
    void readyTrueOnlyInStateReady() {
        assertThatThrownBy(() -> new Summary(State.RECONCILING, "R", "m", "True")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Summary(State.READY, "R", "m", "False")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Summary.ready("R", "m").readyUnknown()).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void transitionTimesMoveOnlyWithTheStatus() {
        List<Condition> first = Readiness.apply(null, Summary.reconciling("Running", "1/2 done"), 1L, T0);
        List<Condition> same = Readiness.apply(first, Summary.reconciling("Running", "2/2 running"), 1L, T1);
        List<Condition> done = Readiness.apply(same, Summary.ready("Succeeded", "2/2 done"), 1L, T1);

        assertThat(same).allSatisfy(x -> assertThat(x.getLastTransitionTime()).isEqualTo("2025-02-01T08:00:00Z"));
        assertThat(condition(done, "Ready").getLastTransitionTime()).isEqualTo("2025-02-01T09:00:00Z");
        assertThat(condition(done, "Reconciling").getLastTransitionTime()).isEqualTo("2025-02-01T09:00:00Z");
        assertThat(condition(done, "Stalled").getLastTransitionTime()).isEqualTo("2025-02-01T08:00:00Z");
    }

    @Test
    void otherConditionsAreLeftAlone() {
        List<Condition> before = Conditions.set(null, "Accepted", true, "Accepted", "ok", 1L, T0);

        List<Condition> after = Readiness.apply(before, Summary.stalled("TasksFailed", "x failed"), 1L, T1);

        assertThat(after).hasSize(4);
        assertThat(condition(after, "Accepted")).isEqualTo(before.get(0));
    }

    @Test
    void kstatusRestatementMatchesTheLibrarysOrder() {
        // Reconciling=True wins over Stalled=True only by position in kstatus; our conditions never have both.
        List<Condition> readyButStalled = Conditions.set(Conditions.set(null, "Ready", true, "R", "m", 1L, T0), "Stalled", true, "S", "m", 1L, T0);
        assertThat(Kstatus.compute(1, 1L, readyButStalled)).isEqualTo(Kstatus.Result.Failed);
        // Without status.observedGeneration and conditions, kstatus says Current: the race the docs warn about.
        assertThat(Kstatus.compute(1, null, List.of())).isEqualTo(Kstatus.Result.Current);
    }
}
