package io.hpcbridge.status;

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
}
