package io.hpcbridge.attempt;

import java.util.EnumMap;
import java.util.Map;

import io.hpcbridge.api.v1alpha1.AttemptPhase;
import io.hpcbridge.gateway.EndCause;
import io.hpcbridge.gateway.JobObservation;

/**
 * The one table from the port's end causes to an attempt's phase and public reason. Adapters say how a job ended in
 * the port's words; only this table turns that into what users and retry policies read.
 */
public final class EndCauses {

    /** Phase and reason of an attempt whose job ended this way. EXITED depends on the exit code, see {@link #outcome}. */
    record Entry(AttemptPhase phase, String reason, String what) {
    }

    private static final Map<EndCause, Entry> TABLE = new EnumMap<>(EndCause.class);

    static {
        TABLE.put(EndCause.EXITED, new Entry(AttemptPhase.Failed, AttemptReasons.NON_ZERO_EXIT, "exited"));
        TABLE.put(EndCause.SIGNALLED, new Entry(AttemptPhase.Failed, AttemptReasons.SIGNAL, "was killed by a signal"));
        TABLE.put(EndCause.TIME_LIMIT, new Entry(AttemptPhase.Failed, AttemptReasons.TIMEOUT, "reached its time limit"));
        TABLE.put(EndCause.MEMORY_LIMIT, new Entry(AttemptPhase.Failed, AttemptReasons.OUT_OF_MEMORY, "ran out of memory"));
        TABLE.put(EndCause.DISK_LIMIT, new Entry(AttemptPhase.Failed, AttemptReasons.OUT_OF_DISK, "used more disk than it asked for"));
        TABLE.put(EndCause.NODE_FAILURE, new Entry(AttemptPhase.Failed, AttemptReasons.NODE_FAIL, "lost a node"));
        TABLE.put(EndCause.BOOT_FAILURE, new Entry(AttemptPhase.Failed, AttemptReasons.BOOT_FAIL, "could not boot its node"));
        TABLE.put(EndCause.PREEMPTED, new Entry(AttemptPhase.Failed, AttemptReasons.PREEMPTED, "was preempted"));
        TABLE.put(EndCause.DEADLINE, new Entry(AttemptPhase.Failed, AttemptReasons.DEADLINE, "passed its deadline"));
        TABLE.put(EndCause.CANCELLED, new Entry(AttemptPhase.Cancelled, AttemptReasons.CANCELLED, "was cancelled on the cluster"));
        TABLE.put(EndCause.REMOVED_EXTERNALLY, new Entry(AttemptPhase.Cancelled, AttemptReasons.CANCELLED, "was removed on the cluster"));
        TABLE.put(EndCause.OTHER, new Entry(AttemptPhase.Failed, AttemptReasons.SCHEDULER_ENDED, "ended"));
        for (EndCause c : EndCause.values()) {
            if (!TABLE.containsKey(c)) {
                throw new ExceptionInInitializerError("no entry for end cause " + c);
            }
        }
    }

    /** Phase, reason and message of a confirmed end. Success needs EXITED with exit code 0 and no signal. */
    record Outcome(AttemptPhase phase, String reason, String message) {
    }

    private EndCauses() {
    }

    /** The public reason of an end cause (for EXITED: the failure reason, NonZeroExit). */
    public static String reason(EndCause cause) {
        return TABLE.get(cause).reason();
    }

    static Outcome outcome(JobObservation o) {
        String job = "job " + o.jobId();
        if (!o.ended()) {
            throw new IllegalArgumentException("not an end: " + o.state());
        }
        if (o.succeeded()) {
            return new Outcome(AttemptPhase.Succeeded, AttemptReasons.COMPLETED, job + " completed with exit code 0");
        }
        EndCause cause = o.endCause();
        if (cause == EndCause.EXITED && o.signal() != null && o.signal() > 0) {
            cause = EndCause.SIGNALLED;
        }
        Entry e = TABLE.get(cause);
        String detail = o.detail() == null || o.detail().isBlank() ? "" : " (" + o.detail() + ")";
        return switch (cause) {
            case EXITED -> new Outcome(e.phase(), e.reason(),
                    job + " exited with code " + (o.exitCode() == null ? "unknown" : o.exitCode()));
            case SIGNALLED -> new Outcome(e.phase(), e.reason(), job + " was killed by signal "
                    + (o.signal() == null ? "unknown" : o.signal()) + detail);
            case CANCELLED -> new Outcome(e.phase(), e.reason(), job + " " + e.what() + detail + ", not by hpc-bridge");
            default -> new Outcome(e.phase(), e.reason(), job + " " + e.what() + detail);
        };
    }
}
