package io.hpcbridge.gateway;

import java.time.Instant;

/**
 * One job as the scheduler described it in one answer, in the port's words.
 *
 * @param state       where the job stands
 * @param endCause    how it ended, when {@code state} is ENDED; else null
 * @param nativeState the scheduler's own word, for display only, e.g. {@code CANCELLED by 1001} or {@code Held}
 * @param exitCode    exit status when the script exited by itself, else null
 * @param signal      the signal that ended the script, else null
 * @param detail      the scheduler's remark: a pending reason, who cancelled or removed it, nodes, usage
 * @param hold        why the job is held, when {@code state} is HELD; else null
 * @param restarts    how often the scheduler restarted the job under the same id (Slurm requeue, HTCondor
 *                    restarts), as the adapter reports it; null when this answer does not say
 * @param fromHistory true when the record comes from the scheduler's history or accounting, which is final for an
 *                    ended job; false when from the live queue
 */
public record JobObservation(String jobId, JobState state, EndCause endCause, String nativeState, Integer exitCode,
        Integer signal, String detail, Hold hold, Integer restarts, Instant submitTime, Instant startTime, Instant endTime,
        boolean fromHistory) {

    public JobObservation {
        if (state == JobState.ENDED && endCause == null) {
            throw new IllegalArgumentException("an ended job has an end cause");
        }
        if (state != JobState.ENDED && endCause != null) {
            throw new IllegalArgumentException("only an ended job has an end cause");
        }
    }

    public boolean ended() {
        return state == JobState.ENDED;
    }

    /** Ended by itself with exit code 0 and no signal: the only success. */
    public boolean succeeded() {
        return ended() && endCause == EndCause.EXITED && exitCode != null && exitCode == 0 && (signal == null || signal == 0);
    }

    public JobObservation withRestarts(Integer n) {
        return new JobObservation(jobId, state, endCause, nativeState, exitCode, signal, detail, hold, n, submitTime,
                startTime, endTime, fromHistory);
    }

    /**
     * The same end corrected by the script's own exit-code file, the better witness of its exit status: a non-zero code
     * is an exit with that code; code 0 keeps the scheduler's cause (a success only when it said the script exited).
     */
    public JobObservation withExit(int code) {
        if (endCause == EndCause.SIGNALLED && signal != null && code == 128 + signal) {
            return this; // the file holds the shell's report (128+N) of the same signal the scheduler saw
        }
        EndCause cause = code != 0 ? EndCause.EXITED : endCause;
        Integer sig = code != 0 ? null : signal;
        return new JobObservation(jobId, JobState.ENDED, cause, nativeState, code, sig, detail, null, restarts, submitTime,
                startTime, endTime, fromHistory);
    }
}
