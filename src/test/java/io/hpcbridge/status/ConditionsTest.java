package io.hpcbridge.status;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class ConditionsTest {
    private static final Instant T0 = Instant.parse("2025-02-01T08:00:00Z");
    private static final Instant T1 = Instant.parse("2025-02-01T09:30:00Z");

    private static Condition condition(String type, String status, String reason, String message, String since) {
        return new ConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message)
                .withObservedGeneration(1L).withLastTransitionTime(since).build();
    }

    private static Condition only(List<Condition> conditions, String type) {
        return Conditions.find(conditions, type).orElseThrow(() -> new AssertionError("no condition " + type));
    }

    @Test
    void addsAMissingConditionStampedNow() {
        List<Condition> result = Conditions.set(null, "Ready", true, "Up", "all good", 4L, T0);

        assertThat(result).singleElement().satisfies(c -> {
            assertThat(c.getType()).isEqualTo("Ready");
            assertThat(c.getStatus()).isEqualTo("True");
            assertThat(c.getReason()).isEqualTo("Up");
            assertThat(c.getMessage()).isEqualTo("all good");
            assertThat(c.getObservedGeneration()).isEqualTo(4L);
            assertThat(c.getLastTransitionTime()).isEqualTo("2025-02-01T08:00:00Z");
        });
    }

    @Test
    void keepsTransitionTimeWhenStatusIsUnchangedEvenIfReasonAndMessageChange() {
        List<Condition> current = List.of(condition("Ready", "False", "Connecting", "dialing", "2025-01-01T00:00:00Z"));

        List<Condition> result = Conditions.set(current, "Ready", false, "HostKeyMismatch", "key changed", 2L, T1);

        Condition c = only(result, "Ready");
        assertThat(c.getStatus()).isEqualTo("False");
        assertThat(c.getReason()).isEqualTo("HostKeyMismatch");
        assertThat(c.getMessage()).isEqualTo("key changed");
        assertThat(c.getObservedGeneration()).isEqualTo(2L);
        assertThat(c.getLastTransitionTime()).isEqualTo("2025-01-01T00:00:00Z");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"True, False", "False, True", "Unknown, True", "True, Unknown", "False, Unknown"})
    void movesTransitionTimeWhenStatusFlips(String before, String after) {
        List<Condition> current = List.of(condition("Ready", before, "R", "m", "2025-01-01T00:00:00Z"));

        List<Condition> result = Conditions.set(current, "Ready", after, "R", "m", 1L, T1);

        assertThat(only(result, "Ready").getStatus()).isEqualTo(after);
        assertThat(only(result, "Ready").getLastTransitionTime()).isEqualTo("2025-02-01T09:30:00Z");
    }

    @Test
    void existingConditionWithoutTransitionTimeGetsNow() {
        List<Condition> current = List.of(condition("Ready", "True", "R", "m", null));

        List<Condition> result = Conditions.set(current, "Ready", true, "R", "m", 1L, T1);

        assertThat(only(result, "Ready").getLastTransitionTime()).isEqualTo("2025-02-01T09:30:00Z");
    }

    @Test
    void unrelatedConditionsAreUntouchedAndOrderIsKept() {
        Condition a = condition("A", "True", "RA", "ma", "2024-01-01T00:00:00Z");
        Condition b = condition("B", "False", "RB", "mb", "2024-02-01T00:00:00Z");
        Condition c = condition("C", "Unknown", "RC", "mc", "2024-03-01T00:00:00Z");
        List<Condition> current = new ArrayList<>(List.of(a, b, c));
        Condition aCopy = new ConditionBuilder(a).build();
        Condition cCopy = new ConditionBuilder(c).build();

        List<Condition> result = Conditions.set(current, "B", true, "Now", "now true", 9L, T1);

        assertThat(result).extracting(Condition::getType).containsExactly("A", "B", "C");
        assertThat(result.get(0)).isEqualTo(aCopy);
        assertThat(result.get(2)).isEqualTo(cCopy);
        assertThat(result.get(1).getLastTransitionTime()).isEqualTo("2025-02-01T09:30:00Z");
        // the input list and its elements are not modified
        assertThat(current).containsExactly(a, b, c);
        assertThat(b.getStatus()).isEqualTo("False");
        assertThat(b.getReason()).isEqualTo("RB");
        assertThat(b.getLastTransitionTime()).isEqualTo("2024-02-01T00:00:00Z");
    }

    @Test
    void newTypeIsAppendedAfterExistingOnes() {
        List<Condition> current = List.of(condition("A", "True", "RA", "ma", "2024-01-01T00:00:00Z"));

        List<Condition> result = Conditions.set(current, "Z", false, "No", null, 1L, T0);

        assertThat(result).extracting(Condition::getType).containsExactly("A", "Z");
    }

    /** A message is never empty: without one, the reason stands in for it. */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.NullAndEmptySource
    void missingMessageFallsBackToTheReason(String message) {
        List<Condition> result = Conditions.set(List.of(), "Z", false, "NoRoute", message, 1L, T0);

        assertThat(only(result, "Z").getMessage()).isEqualTo("NoRoute");
    }

    @Test
    void transitionTimeIsTruncatedToSeconds() {
        List<Condition> result = Conditions.set(List.of(), "Ready", true, "R", "m", 1L, T0.plusMillis(987));

        assertThat(only(result, "Ready").getLastTransitionTime()).isEqualTo("2025-02-01T08:00:00Z");
    }

    @Test
    void findAndIsTrue() {
        List<Condition> conditions = List.of(condition("A", "True", "R", "m", "2024-01-01T00:00:00Z"),
                condition("B", "False", "R", "m", "2024-01-01T00:00:00Z"));

        assertThat(Conditions.isTrue(conditions, "A")).isTrue();
        assertThat(Conditions.isTrue(conditions, "B")).isFalse();
        assertThat(Conditions.isTrue(conditions, "C")).isFalse();
        assertThat(Conditions.isTrue(null, "A")).isFalse();
        assertThat(Conditions.find(conditions, "B")).hasValueSatisfying(c -> assertThat(c.getStatus()).isEqualTo("False"));
        assertThat(Conditions.find(null, "B")).isEmpty();
    }

    @Test
    void flipThenFlipBackStampsEachFlip() {
        List<Condition> c1 = Conditions.set(List.of(), "Ready", true, "R", "m", 1L, T0);
        List<Condition> c2 = Conditions.set(c1, "Ready", false, "R", "m", 1L, T0.plusSeconds(10));
        List<Condition> c3 = Conditions.set(c2, "Ready", false, "R2", "m2", 1L, T0.plusSeconds(20));
        List<Condition> c4 = Conditions.set(c3, "Ready", true, "R", "m", 1L, T0.plusSeconds(30));

        assertThat(only(c2, "Ready").getLastTransitionTime()).isEqualTo("2025-02-01T08:00:10Z");
        assertThat(only(c3, "Ready").getLastTransitionTime()).isEqualTo("2025-02-01T08:00:10Z");
        assertThat(only(c4, "Ready").getLastTransitionTime()).isEqualTo("2025-02-01T08:00:30Z");
    }
}
