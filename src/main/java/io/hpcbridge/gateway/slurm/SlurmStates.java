package io.hpcbridge.gateway.slurm;

import io.hpcbridge.gateway.RemoteState;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Slurm's state words (long and compact, base states and printed flags) mapped onto {@link RemoteState}, and
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

    private static final Map<String, RemoteState> STATES = new HashMap<>();

    static {
        // Base states (enum job_states).
        put(RemoteState.QUEUED, "PENDING", "PD");
        put(RemoteState.RUNNING, "RUNNING", "R");
        put(RemoteState.RUNNING, "SUSPENDED", "S"); // allocation kept; it will resume
        put(RemoteState.COMPLETED, "COMPLETED", "CD");
        put(RemoteState.CANCELLED, "CANCELLED", "CA");
        put(RemoteState.FAILED, "FAILED", "F");
        put(RemoteState.TIMEOUT, "TIMEOUT", "TO");
        put(RemoteState.NODE_FAIL, "NODE_FAIL", "NF");
        put(RemoteState.PREEMPTED, "PREEMPTED", "PR"); // final because we submit with --no-requeue
        put(RemoteState.BOOT_FAIL, "BOOT_FAIL", "BF");
        put(RemoteState.DEADLINE, "DEADLINE", "DL");
        put(RemoteState.OUT_OF_MEMORY, "OUT_OF_MEMORY", "OOM");
        // Flags, printed instead of the base state. None of them is an end: each is a passage.
        put(RemoteState.RUNNING, "COMPLETING", "CG"); // epilog running; also seen just before a requeue
        put(RemoteState.QUEUED, "CONFIGURING", "CF"); // allocated, nodes booting: not running yet
        put(RemoteState.RUNNING, "STAGE_OUT", "SO");
        put(RemoteState.RUNNING, "STOPPED", "ST");
        put(RemoteState.RUNNING, "RESIZING", "RS");
        put(RemoteState.QUEUED, "REQUEUED", "RQ");
        put(RemoteState.QUEUED, "REQUEUE_FED", "RF");
        put(RemoteState.QUEUED, "REQUEUE_HOLD", "RH");
        put(RemoteState.QUEUED, "SPECIAL_EXIT", "SE");
        put(RemoteState.QUEUED, "RESV_DEL_HOLD", "RD");
        put(RemoteState.RUNNING, "SIGNALING", "SI");
        put(RemoteState.QUEUED, "EXPEDITING");
        // REVOKED: a federation sibling runs the job elsewhere. This operator does not follow siblings, and calling it
        // an end could start a duplicate, so it stays UNKNOWN (never terminal) and visible in rawState.
        put(RemoteState.UNKNOWN, "REVOKED", "RV");
    }

    private static final Pattern EXIT_CODE = Pattern.compile("([0-9]{1,5}):([0-9]{1,5})");
    private static final Pattern CANCELLED_BY = Pattern.compile("CANCELLED\\s+by\\s+(\\S+)", Pattern.CASE_INSENSITIVE);

    private SlurmStates() {
    }

    private static void put(RemoteState state, String... words) {
        for (String w : words) {
            STATES.put(w, state);
        }
    }

    /** Maps a state as printed (e.g. {@code RUNNING}, {@code CANCELLED by 1001}, {@code CG}); unknown → UNKNOWN. */
    public static RemoteState map(String rawState) {
        if (rawState == null) {
            return RemoteState.UNKNOWN;
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
        return STATES.getOrDefault(word.toUpperCase(Locale.ROOT), RemoteState.UNKNOWN);
    }

    /**
     * Maps a state together with the script's exit: COMPLETED with a known non-zero exit or a signal is FAILED
     * (success needs both the state and the exit code to agree).
     */
    public static RemoteState map(String rawState, Exit exit) {
        RemoteState state = map(rawState);
        if (state == RemoteState.COMPLETED && exit != null && exit.known() && !exit.success()) {
            return RemoteState.FAILED;
        }
        return state;
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
