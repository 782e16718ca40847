package io.hpcbridge.campaign;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.List;

import io.hpcbridge.api.v1alpha1.Escalation;
import io.hpcbridge.api.v1alpha1.Resources;
import io.hpcbridge.api.v1alpha1.TaskAttempt;
import io.hpcbridge.attempt.AttemptReasons;
import io.hpcbridge.util.Durations;
import io.hpcbridge.util.Quantities;
import io.hpcbridge.util.SpecTrees;

/**
 * Decides the resources of a task's next attempt: after an OutOfMemory end memory is multiplied by
 * {@code retryStrategy.escalate.memoryFactor}, after a Timeout the time limit by {@code timeFactor}, never beyond
 * {@code maxMemory} / {@code maxTime}. Each attempt starts from the previous attempt's frozen resources, so escalation
 * compounds over a run. Pure: inputs are never modified, the result is always a fresh copy.
 *
 * <p>Formats: memory is rounded up to whole MiB and written as {@code <n>Gi} when that is exact, else {@code <n>Mi};
 * time is rounded up to whole seconds only and written like {@code 90s}, {@code 2m}, {@code 1h30m}, {@code 1d12h}:
 * rounding to a scheduler's granularity (whole minutes for Slurm's --time) is the scheduler adapter's, not the API's.
 * A cap is written exactly as the user wrote maxMemory / maxTime. Every other field (slurm, htcondor, disk, ...) is
 * carried over unchanged.
 */
public final class ResourceEscalation {
    private static final long MIB = 1L << 20;

    /** The next attempt's resources (null when there are none to set) and what was escalated (null when nothing). */
    public record Escalated(Resources resources, String note) {
    }

    private ResourceEscalation() {
    }

    /**
     * @param base                 the task's resources, used for the first attempt of a run (and whenever escalation is
     *                             not configured, so that edits of the task's resources still reach new attempts)
     * @param escalate             {@code retryStrategy.escalate}; null, or factors unset or at most 1, escalate nothing
     * @param earlierAttemptsOfRun the run's earlier attempts in any order; the one with the highest spec.index counts
     */
    public static Escalated next(Resources base, Escalation escalate, List<TaskAttempt> earlierAttemptsOfRun) {
        Double memoryFactor = effective(escalate == null ? null : escalate.getMemoryFactor());
        Double timeFactor = effective(escalate == null ? null : escalate.getTimeFactor());
        TaskAttempt newest = newest(earlierAttemptsOfRun);
        if ((memoryFactor == null && timeFactor == null) || newest == null) {
            return new Escalated(copy(base), null);
        }
        Resources next = copy(newest.getSpec().getResources());
        String reason = newest.getStatus() == null ? null : newest.getStatus().getReason();
        String cause = " after " + reason + " of attempt " + label(newest);
        if (AttemptReasons.OUT_OF_MEMORY.equals(reason) && memoryFactor != null) {
            return new Escalated(next, escalateMemory(next, memoryFactor, escalate.getMaxMemory(), cause));
        }
        if (AttemptReasons.TIMEOUT.equals(reason) && timeFactor != null) {
            return new Escalated(next, escalateTime(next, timeFactor, escalate.getMaxTime(), cause));
        }
        return new Escalated(next, null);
    }

    /** Sets the new memory on {@code next} (if any) and returns the note. */
    private static String escalateMemory(Resources next, double factor, String maxMemory, String cause) {
        String current = next == null ? null : next.getMemory();
        if (current == null || current.isBlank()) {
            return "memory unset, nothing to multiply" + cause + " (the default memory applies again)";
        }
        long bytes;
        try {
            bytes = Quantities.bytes(current);
        } catch (IllegalArgumentException e) {
            return "memory " + current + " not raised" + cause + ": " + e.getMessage();
        }
        Long cap = null;
        if (maxMemory != null && !maxMemory.isBlank()) {
            try {
                cap = Quantities.bytes(maxMemory);
            } catch (IllegalArgumentException e) {
                return "memory " + current + " not raised" + cause + ": maxMemory " + e.getMessage();
            }
            if (bytes >= cap) {
                return "memory " + current + " not raised" + cause + ": already " + (bytes == cap ? "at" : "above")
                        + " maxMemory " + maxMemory;
            }
        }
        BigInteger wanted = roundUp(multiply(bytes, factor), MIB);
        if (cap != null && wanted.compareTo(BigInteger.valueOf(cap)) > 0) {
            next.setMemory(maxMemory);
            return "memory " + current + " -> " + maxMemory + cause + " (capped at maxMemory " + maxMemory + ")";
        }
        if (wanted.bitLength() > 63) {
            return "memory " + current + " not raised" + cause + ": " + current + " * " + factor(factor) + " is too large";
        }
        String raised = Quantities.format(wanted.longValueExact());
        if (wanted.longValueExact() == bytes) {
            return "memory " + current + " not raised" + cause + ": " + current + " * " + factor(factor) + " is still " + current;
        }
        next.setMemory(raised);
        return "memory " + current + " -> " + raised + cause;
    }

    /** Sets the new time limit on {@code next} (if any) and returns the note. */
    private static String escalateTime(Resources next, double factor, String maxTime, String cause) {
        String current = next == null ? null : next.getTime();
        if (current == null || current.isBlank()) {
            return "time unset, nothing to multiply" + cause + " (the default time limit applies again)";
        }
        long seconds;
        try {
            seconds = Durations.parse(current).getSeconds();
        } catch (IllegalArgumentException e) {
            return "time " + current + " not raised" + cause + ": " + e.getMessage();
        }
        Long cap = null;
        if (maxTime != null && !maxTime.isBlank()) {
            try {
                cap = Durations.parse(maxTime).getSeconds();
            } catch (IllegalArgumentException e) {
                return "time " + current + " not raised" + cause + ": maxTime " + e.getMessage();
            }
            if (seconds >= cap) {
                return "time " + current + " not raised" + cause + ": already " + (seconds == cap ? "at" : "above")
                        + " maxTime " + maxTime;
            }
        }
        BigInteger wanted = multiply(seconds, factor); // already whole seconds: multiply rounds up
        if (cap != null && wanted.compareTo(BigInteger.valueOf(cap)) > 0) {
            next.setTime(maxTime);
            return "time " + current + " -> " + maxTime + cause + " (capped at maxTime " + maxTime + ")";
        }
        if (wanted.bitLength() > 63) {
            return "time " + current + " not raised" + cause + ": " + current + " * " + factor(factor) + " is too long";
        }
        if (wanted.longValueExact() == seconds) {
            return "time " + current + " not raised" + cause + ": " + current + " * " + factor(factor) + " is still " + current;
        }
        String raised = Durations.format(Duration.ofSeconds(wanted.longValueExact()));
        next.setTime(raised);
        return "time " + current + " -> " + raised + cause;
    }

    /** A factor that escalates: set, finite and above 1. Anything else (the schema asks for at least 1) escalates nothing. */
    private static Double effective(Double factor) {
        return factor != null && Double.isFinite(factor) && factor > 1 ? factor : null;
    }

    /** ceil(amount * factor), exactly: 1.5 is 1.5, not 1.4999... */
    private static BigInteger multiply(long amount, double factor) {
        return BigDecimal.valueOf(amount).multiply(BigDecimal.valueOf(factor)).setScale(0, RoundingMode.CEILING).toBigInteger();
    }

    private static BigInteger roundUp(BigInteger amount, long unit) {
        BigInteger u = BigInteger.valueOf(unit);
        BigInteger[] qr = amount.divideAndRemainder(u);
        return (qr[1].signum() > 0 ? qr[0].add(BigInteger.ONE) : qr[0]).multiply(u);
    }

    private static String factor(double factor) {
        return BigDecimal.valueOf(factor).stripTrailingZeros().toPlainString();
    }

    /** The attempt with the highest spec.index (ties: the later in the list); attempts without a spec do not count. */
    private static TaskAttempt newest(List<TaskAttempt> attempts) {
        if (attempts == null) {
            return null;
        }
        TaskAttempt best = null;
        for (TaskAttempt a : attempts) {
            if (a != null && a.getSpec() != null && (best == null || index(a) >= index(best))) {
                best = a;
            }
        }
        return best;
    }

    private static int index(TaskAttempt attempt) {
        Integer index = attempt.getSpec().getIndex();
        return index == null ? 0 : index;
    }

    private static String label(TaskAttempt attempt) {
        if (attempt.getMetadata() != null && attempt.getMetadata().getName() != null) {
            return attempt.getMetadata().getName();
        }
        return "#" + index(attempt);
    }

    /** A deep copy (every field, the slurm and htcondor sections too); null stays null. */
    static Resources copy(Resources r) {
        return SpecTrees.copy(r);
    }
}
