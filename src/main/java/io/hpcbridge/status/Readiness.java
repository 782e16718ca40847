package io.hpcbridge.status;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import io.fabric8.kubernetes.api.model.Condition;
import io.hpcbridge.api.v1alpha1.ConditionTypes;

/**
 * The kstatus conditions (Ready, Reconciling, Stalled) every kind carries, derived from one kind-neutral summary so that
 * the five status builders cannot disagree on what they mean.
 *
 * <p>How sigs.k8s.io/cli-utils kstatus (and so Flux's health checks) reads them, in order: status.observedGeneration
 * different from metadata.generation is InProgress; Reconciling=True is InProgress; Stalled=True is Failed (Flux stops
 * waiting at once); then Ready=True is Current and Ready=False or Unknown is InProgress.
 */
public final class Readiness {
    /** Where an object stands with respect to its desired state. */
    public enum State {
        /** Desired state reached: Ready=True. */
        READY,
        /** The operator is working toward it: Reconciling=True. */
        RECONCILING,
        /** It cannot be reached without a user's action: Stalled=True. */
        STALLED,
        /** Nothing is in progress and nothing is wrong, but it is not reached either (suspended, paused, waiting for a referenced object). */
        WAITING
    }

    /**
     * @param readyStatus the Ready condition's status: True for READY, otherwise False or (where a kind has always said
     *                    so, HpcCluster while connecting or paused) Unknown
     */
    public record Summary(State state, String reason, String message, String readyStatus) {
        public Summary {
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(reason, "reason");
            if ((state == State.READY) != Conditions.TRUE.equals(readyStatus)) {
                throw new IllegalArgumentException("Ready is True exactly in state READY, not " + readyStatus + " in " + state);
            }
        }

        public static Summary ready(String reason, String message) {
            return new Summary(State.READY, reason, message, Conditions.TRUE);
        }

        public static Summary reconciling(String reason, String message) {
            return new Summary(State.RECONCILING, reason, message, Conditions.FALSE);
        }

        public static Summary stalled(String reason, String message) {
            return new Summary(State.STALLED, reason, message, Conditions.FALSE);
        }

        public static Summary waiting(String reason, String message) {
            return new Summary(State.WAITING, reason, message, Conditions.FALSE);
        }

        /** The same summary with Ready=Unknown instead of False. */
        public Summary readyUnknown() {
            return new Summary(state, reason, message, Conditions.UNKNOWN);
        }
    }

    private Readiness() {
    }

    /** Returns {@code current} with Ready, Reconciling and Stalled set from the summary; all three share its reason and message. */
    public static List<Condition> apply(List<Condition> current, Summary summary, Long generation, Instant now) {
        var c = Conditions.set(current, ConditionTypes.READY, summary.readyStatus(), summary.reason(), summary.message(), generation, now);
        c = Conditions.set(c, ConditionTypes.RECONCILING, summary.state() == State.RECONCILING, summary.reason(), summary.message(), generation, now);
        return Conditions.set(c, ConditionTypes.STALLED, summary.state() == State.STALLED, summary.reason(), summary.message(), generation, now);
    }
}
