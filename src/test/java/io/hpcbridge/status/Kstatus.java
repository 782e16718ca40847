package io.hpcbridge.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import io.fabric8.kubernetes.api.model.Condition;

/**
 * The order in which sigs.k8s.io/cli-utils pkg/kstatus/status computes a custom resource's status (generic.go
 * checkGenericProperties, then status.go checkReadyCondition), restated for tests. Flux's kustomize-controller health
 * checks use this library. Deletion (Terminating) and the built-in kinds' rules are left out.
 */
public final class Kstatus {
    public enum Result {
        InProgress, Failed, Current
    }

    private Kstatus() {
    }

    public static Result compute(long generation, Long observedGeneration, List<Condition> conditions) {
        // checkGeneration: only when status.observedGeneration exists.
        if (observedGeneration != null && observedGeneration != generation) {
            return Result.InProgress;
        }
        List<Condition> list = conditions == null ? List.of() : conditions;
        for (Condition c : list) {
            if ("Reconciling".equals(c.getType()) && "True".equals(c.getStatus())) {
                return Result.InProgress;
            }
            if ("Stalled".equals(c.getType()) && "True".equals(c.getStatus())) {
                return Result.Failed;
            }
        }
        for (Condition c : list) {
            if ("Ready".equals(c.getType())) {
                switch (c.getStatus()) {
                    case "True":
                        return Result.Current;
                    case "False", "Unknown":
                        return Result.InProgress;
                    default:
                        break;
                }
            }
        }
        // No known condition: kstatus assumes the resource is current.
        return Result.Current;
    }

    /**
     * Asserts the three kstatus conditions of a status built for {@code generation}: their statuses, one shared reason,
     * observedGeneration, and what kstatus makes of the whole.
     */
    public static void assertConditions(List<Condition> conditions, long generation, Long observedGeneration, String ready,
            String reconciling, String stalled, String reason, Result expected) {
        assertThat(find(conditions, "Ready").getStatus()).as("Ready").isEqualTo(ready);
        assertThat(find(conditions, "Reconciling").getStatus()).as("Reconciling").isEqualTo(reconciling);
        assertThat(find(conditions, "Stalled").getStatus()).as("Stalled").isEqualTo(stalled);
        for (String type : List.of("Ready", "Reconciling", "Stalled")) {
            assertThat(find(conditions, type).getReason()).as(type + " reason").isEqualTo(reason);
            assertThat(find(conditions, type).getObservedGeneration()).as(type + " observedGeneration").isEqualTo(generation);
        }
        assertThat(compute(generation, observedGeneration, conditions)).isEqualTo(expected);
    }

    private static Condition find(List<Condition> conditions, String type) {
        return Conditions.find(conditions, type).orElseThrow(() -> new AssertionError("no condition " + type + " in " + conditions));
    }
}
