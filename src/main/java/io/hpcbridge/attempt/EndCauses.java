package io.hpcbridge.attempt;

import java.util.EnumMap;
import java.util.Map;

import io.hpcbridge.api.v1alpha1.AttemptPhase;
import io.hpcbridge.api.v1alpha1.JobEndCause;
import io.hpcbridge.gateway.EndCause;
import io.hpcbridge.gateway.JobObservation;

/**
 * The one table from the port's end causes to an attempt's phase and public reason. Adapters say how a job ended in
 * the port's words; only this table turns that into what users and retry policies read.
 */
public final class EndCauses {

    /** Phase, reason and API cause of an attempt whose job ended this way. EXITED depends on the exit code, see {@link #outcome}. */
    record Entry(AttemptPhase phase, String reason, String what, JobEndCause cause) {
    }

    private static final Map<EndCause, Entry> TABLE = new EnumMap<>(EndCause.class);

    static {
        TABLE.put(EndCause.EXITED, new Entry(AttemptPhase.Failed, AttemptReasons.NON_ZERO_EXIT, "exited", JobEndCause.Exited));
        TABLE.put(EndCause.SIGNALLED, new Entry(AttemptPhase.Failed, AttemptReasons.SIGNAL, "was killed by a signal", JobEndCause.Signalled));
        TABLE.put(EndCause.TIME_LIMIT, new Entry(AttemptPhase.Failed, AttemptReasons.TIMEOUT, "reached its time limit", JobEndCause.TimeLimit));
        TABLE.put(EndCause.MEMORY_LIMIT, new Entry(AttemptPhase.Failed, AttemptReasons.OUT_OF_MEMORY, "ran out of memory", JobEndCause.MemoryLimit));
        TABLE.put(EndCause.DISK_LIMIT, new Entry(AttemptPhase.Failed, AttemptReasons.OUT_OF_DISK, "used more disk than it asked for", JobEndCause.DiskLimit));
        TABLE.put(EndCause.NODE_FAILURE, new Entry(AttemptPhase.Failed, AttemptReasons.NODE_FAIL, "lost a node", JobEndCause.NodeFailure));
        TABLE.put(EndCause.BOOT_FAILURE, new Entry(AttemptPhase.Failed, AttemptReasons.BOOT_FAIL, "could not boot its node", JobEndCause.BootFailure));
        TABLE.put(EndCause.PREEMPTED, new Entry(AttemptPhase.Failed, AttemptReasons.PREEMPTED, "was preempted", JobEndCause.Preempted));
        TABLE.put(EndCause.DEADLINE, new Entry(AttemptPhase.Failed, AttemptReasons.DEADLINE, "passed its deadline", JobEndCause.Deadline));
        TABLE.put(EndCause.CANCELLED, new Entry(AttemptPhase.Cancelled, AttemptReasons.CANCELLED, "was cancelled on the cluster", JobEndCause.Cancelled));
        TABLE.put(EndCause.REMOVED_EXTERNALLY, new Entry(AttemptPhase.Cancelled, AttemptReasons.CANCELLED, "was removed on the cluster", JobEndCause.RemovedExternally));
        TABLE.put(EndCause.OTHER, new Entry(AttemptPhase.Failed, AttemptReasons.SCHEDULER_ENDED, "ended", JobEndCause.Other));
        for (EndCause c : EndCause.values()) {
            if (!TABLE.containsKey(c)) {
                throw new ExceptionInInitializerError("no entry for end cause " + c);
            }
        }
    }

    /** Phase, reason, API cause and message of a confirmed end. Success needs EXITED with exit code 0 and no signal. */
    record Outcome(AttemptPhase phase, String reason, String message, JobEndCause cause) {
        Outcome(AttemptPhase phase, String reason, String message) {
            this(phase, reason, message, null);
        }
    }

    private EndCauses() {
    }

    /** The public reason of an end cause (for EXITED: the failure reason, NonZeroExit). */
    public static String reason(EndCause cause) {
        return TABLE.get(cause).reason();
    }

    /** The API's word for an end cause (status.endCause). */
    public static JobEndCause apiCause(EndCause cause) {
        return TABLE.get(cause).cause();
    }

    static Outcome outcome(JobObservation o) {
        String job = "job " + o.jobId();
        if (!o.ended()) {
            throw new IllegalArgumentException("not an end: " + o.state());
        }
        if (o.succeeded()) {
            return new Outcome(AttemptPhase.Succeeded, AttemptReasons.COMPLETED, job + " completed with exit code 0", JobEndCause.Exited);
        }
        EndCause cause = o.endCause();
        if (cause == EndCause.EXITED && o.signal() != null && o.signal() > 0) {
            cause = EndCause.SIGNALLED;
        }
        Entry e = TABLE.get(cause);
        String detail = o.detail() == null || o.detail().isBlank() ? "" : " (" + o.detail() + ")";
        String message = switch (cause) {
            case EXITED -> job + " exited with code " + (o.exitCode() == null ? "unknown" : o.exitCode());
            case SIGNALLED -> job + " was killed by signal " + (o.signal() == null ? "unknown" : o.signal()) + detail;
            case CANCELLED -> job + " " + e.what() + detail + ", not by hpc-bridge";
            default -> job + " " + e.what() + detail;
        };
        return new Outcome(e.phase(), e.reason(), message, e.cause());
    }
}
