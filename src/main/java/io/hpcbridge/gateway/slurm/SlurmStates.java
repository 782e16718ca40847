package io.hpcbridge.gateway.slurm;

import io.hpcbridge.gateway.EndCause;
import io.hpcbridge.gateway.JobState;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Slurm's state words (long and compact, base states and printed flags) mapped onto the port's {@link JobState} and {@link EndCause}, and
 * sacct's {@code ExitCode N:M}. Pure functions.
 */
public final class SlurmStates {

    /** How the batch script ended: {@code code} when it exited, {@code signal} when a signal killed it. */
    public record Exit(Integer code, Integer signal) {
        public static final Exit NONE = new Exit(null, null);

        public boolean known() {
            return code != null || signal != null;
        }

        /** True only for a known, clean exit 0. */
        public boolean success() {
            return code != null && code == 0 && signal == null;
        }
    }

    /** A state word's meaning: where the job stands and, for an end, its cause before the exit code is read. */
    record Meaning(JobState state, EndCause cause) {
    }

    private static final Map<String, Meaning> STATES = new HashMap<>();

    static {
        // Base states (enum job_states). COMPLETED and FAILED are told apart by the exit code, see endCause().
        put(JobState.QUEUED, null, "PENDING", "PD");
        put(JobState.RUNNING, null, "RUNNING", "R");
        put(JobState.SUSPENDED, null, "SUSPENDED", "S"); // allocation kept; it will resume
        put(JobState.ENDED, EndCause.EXITED, "COMPLETED", "CD");
        put(JobState.ENDED, EndCause.CANCELLED, "CANCELLED", "CA");
        put(JobState.ENDED, EndCause.EXITED, "FAILED", "F");
        put(JobState.ENDED, EndCause.TIME_LIMIT, "TIMEOUT", "TO");
        put(JobState.ENDED, EndCause.NODE_FAILURE, "NODE_FAIL", "NF");
        put(JobState.ENDED, EndCause.PREEMPTED, "PREEMPTED", "PR"); // final because we submit with --no-requeue
        put(JobState.ENDED, EndCause.BOOT_FAILURE, "BOOT_FAIL", "BF");
        put(JobState.ENDED, EndCause.DEADLINE, "DEADLINE", "DL");
        put(JobState.ENDED, EndCause.MEMORY_LIMIT, "OUT_OF_MEMORY", "OOM");
        // Flags, printed instead of the base state. None of them is an end: each is a passage.
        put(JobState.RUNNING, null, "COMPLETING", "CG"); // epilog running; also seen just before a requeue
        put(JobState.QUEUED, null, "CONFIGURING", "CF"); // allocated, nodes booting: not running yet
        put(JobState.RUNNING, null, "STAGE_OUT", "SO");
        put(JobState.RUNNING, null, "STOPPED", "ST");
        put(JobState.RUNNING, null, "RESIZING", "RS");
        put(JobState.QUEUED, null, "REQUEUED", "RQ");
        put(JobState.QUEUED, null, "REQUEUE_FED", "RF");
        put(JobState.QUEUED, null, "REQUEUE_HOLD", "RH");
        put(JobState.QUEUED, null, "SPECIAL_EXIT", "SE");
        put(JobState.QUEUED, null, "RESV_DEL_HOLD", "RD");
        put(JobState.RUNNING, null, "SIGNALING", "SI");
        put(JobState.QUEUED, null, "EXPEDITING");
        // REVOKED: a federation sibling runs the job elsewhere. This operator does not follow siblings, and calling it
        // an end could start a duplicate, so it stays UNKNOWN (never an end) and visible as the native state.
        put(JobState.UNKNOWN, null, "REVOKED", "RV");
    }

    private static final Pattern EXIT_CODE = Pattern.compile("([0-9]{1,5}):([0-9]{1,5})");
    private static final Pattern CANCELLED_BY = Pattern.compile("CANCELLED\\s+by\\s+(\\S+)", Pattern.CASE_INSENSITIVE);

    private SlurmStates() {
    }

    private static void put(JobState state, EndCause cause, String... words) {
        for (String w : words) {
            STATES.put(w, new Meaning(state, cause));
        }
    }

    /** Where a job stands by the state as printed (e.g. {@code RUNNING}, {@code CANCELLED by 1001}, {@code CG}); unknown → UNKNOWN. */
    public static JobState state(String rawState) {
        return meaning(rawState).state();
    }

    /**
     * How an ended job ended, from its state word and the script's exit: COMPLETED and FAILED are an exit, or a signal
     * when sacct's ExitCode names one. Null when the state is not an end.
     */
    public static EndCause endCause(String rawState, Exit exit) {
        Meaning m = meaning(rawState);
        if (m.cause() == EndCause.EXITED && exit != null && exit.signal() != null && exit.signal() > 0) {
            return EndCause.SIGNALLED;
        }
        if (m.cause() == EndCause.EXITED && exit != null && exit.success() && isFailed(rawState)) {
            // FAILED with 0:0 contradicts itself (seen while slurmctld flushes records after a slurmdbd outage): never a
            // success; an end of another kind, whose exit code may still be corrected by the job's exit-code file.
            return EndCause.OTHER;
        }
        return m.cause();
    }

    private static boolean isFailed(String rawState) {
        String word = rawState.trim().toUpperCase(Locale.ROOT);
        return word.startsWith("FAILED") || word.equals("F");
    }

    private static Meaning meaning(String rawState) {
        Meaning unknown = new Meaning(JobState.UNKNOWN, null);
        if (rawState == null) {
            return unknown;
        }
        String word = rawState.trim();
        int space = word.indexOf(' ');
        if (space >= 0) {
            word = word.substring(0, space);
        }
        // Non-parsable sacct output marks truncation with '+'; harmless to accept.
        if (word.endsWith("+")) {
            word = word.substring(0, word.length() - 1);
        }
        return STATES.getOrDefault(word.toUpperCase(Locale.ROOT), unknown);
    }

    /** For {@code CANCELLED by 1001}: {@code cancelled by uid 1001}; otherwise null. */
    public static String cancelledBy(String rawState) {
        if (rawState == null) {
            return null;
        }
        Matcher m = CANCELLED_BY.matcher(rawState.trim());
        return m.matches() ? "cancelled by uid " + m.group(1) : null;
    }

    /**
     * sacct's {@code N:M}: M is the signal that killed the script (then N is 0), else N is its exit status.
     * Blank → {@link Exit#NONE}.
     *
     * @throws IllegalArgumentException when not of the form N:M
     */
    public static Exit parseExitCode(String value) {
        if (value == null || value.isBlank()) {
            return Exit.NONE;
        }
        Matcher m = EXIT_CODE.matcher(value.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a Slurm exit code N:M: '" + value + "'");
        }
        int code = Integer.parseInt(m.group(1));
        int signal = Integer.parseInt(m.group(2));
        return signal > 0 ? new Exit(null, signal) : new Exit(code, null);
    }
}
