package io.hpcbridge.status;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;

/** Standard conditions whose lastTransitionTime moves only when their status does. */
public final class Conditions {
    public static final String TRUE = "True";
    public static final String FALSE = "False";
    public static final String UNKNOWN = "Unknown";

    private Conditions() {
    }

    /**
     * Returns a copy of {@code current} with the condition of this type set. lastTransitionTime is kept when the
     * status is unchanged, so reason and message updates do not look like transitions.
     */
    public static List<Condition> set(List<Condition> current, String type, String status, String reason, String message,
            Long generation, Instant now) {
        List<Condition> result = new ArrayList<>();
        boolean found = false;
        for (Condition c : current == null ? List.<Condition>of() : current) {
            if (type.equals(c.getType())) {
                found = true;
                String since = status.equals(c.getStatus()) && c.getLastTransitionTime() != null
                        ? c.getLastTransitionTime()
                        : Times.format(now);
                result.add(build(type, status, reason, message, generation, since));
            } else {
                result.add(c);
            }
        }
        if (!found) {
            result.add(build(type, status, reason, message, generation, Times.format(now)));
        }
        return result;
    }

    public static List<Condition> set(List<Condition> current, String type, boolean status, String reason, String message,
            Long generation, Instant now) {
        return set(current, type, status ? TRUE : FALSE, reason, message, generation, now);
    }

    public static Optional<Condition> find(List<Condition> conditions, String type) {
        return conditions == null ? Optional.empty()
                : conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    public static boolean isTrue(List<Condition> conditions, String type) {
        return find(conditions, type).map(c -> TRUE.equals(c.getStatus())).orElse(false);
    }

    private static Condition build(String type, String status, String reason, String message, Long generation, String since) {
        return new ConditionBuilder()
                .withType(type)
                .withStatus(status)
                .withReason(reason)
                // Never empty: an empty string reaches the API server as null on some serialization paths.
                .withMessage(message == null || message.isEmpty() ? reason : message)
                .withObservedGeneration(generation)
                .withLastTransitionTime(since)
                .build();
    }
}
