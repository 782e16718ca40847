package io.hpcbridge.gateway.htcondor;

import io.hpcbridge.gateway.EndCause;
import io.hpcbridge.gateway.Hold;
import io.hpcbridge.gateway.JobObservation;
import io.hpcbridge.gateway.JobState;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTCondor's JobStatus, hold codes and exit attributes mapped onto the port's {@link JobState}, {@link EndCause} and
 * {@link Hold}. Pure functions.
 * <p>
 * What the real pool showed and this class relies on: a held or removed job keeps the exit attributes of the
 * execution that the hold or removal killed ({@code ExitBySignal true, ExitSignal 15}, or {@code ExitCode 1}), so exit
 * attributes are read only for JobStatus 4. {@code ExitStatus} is never read (deprecated, wrong for signals).
 */
public final class HtcondorStates {

    public static final int IDLE = 1;
    public static final int RUNNING = 2;
    public static final int REMOVED = 3;
    public static final int COMPLETED = 4;
    public static final int HELD = 5;
    public static final int TRANSFERRING_OUTPUT = 6;
    public static final int SUSPENDED = 7;

    /** Hold codes (condor_holdcodes.h). */
    public static final int HOLD_USER_REQUEST = 1;
    public static final int HOLD_SUBMITTED_ON_HOLD = 15;
    public static final int HOLD_SPOOLING_INPUT = 16;
    public static final int HOLD_JOB_OUT_OF_RESOURCES = 34;
    public static final int HOLD_JOB_DURATION_EXCEEDED = 46;
    public static final int HOLD_JOB_EXECUTE_EXCEEDED = 47;
    public static final int SUBCODE_MEMORY = 102;
    public static final int SUBCODE_DISK = 104;

    /** The {@code " (by user alice)"} suffix HTCondor adds to the reasons of condor_rm, condor_hold and condor_release. */
    private static final Pattern BY_USER = Pattern.compile("(.*?)\\s*\\(by user ([^()]+)\\)\\s*");

    private HtcondorStates() {
    }

    /** 1 Idle → QUEUED, 2 Running and 6 TransferringOutput → RUNNING, 3 and 4 → ENDED, 5 → HELD, 7 → SUSPENDED. */
    public static JobState state(int jobStatus) {
        return switch (jobStatus) {
            case IDLE -> JobState.QUEUED;
            case RUNNING, TRANSFERRING_OUTPUT -> JobState.RUNNING;
            case REMOVED, COMPLETED -> JobState.ENDED;
            case HELD -> JobState.HELD;
            case SUSPENDED -> JobState.SUSPENDED;
            default -> JobState.UNKNOWN;
        };
    }

    /** HTCondor's name for a JobStatus, for display. */
    public static String nativeState(int jobStatus) {
        return switch (jobStatus) {
            case IDLE -> "Idle";
            case RUNNING -> "Running";
            case REMOVED -> "Removed";
            case COMPLETED -> "Completed";
            case HELD -> "Held";
            case TRANSFERRING_OUTPUT -> "TransferringOutput";
            case SUSPENDED -> "Suspended";
            default -> "JobStatus " + jobStatus;
        };
    }

    /**
     * What a hold means to the operator. USER: a person's hold, or the job was submitted on hold or is spooling input
     * (1, 15, 16). LIMIT: the job broke its memory (34/102, or 34/0 whose reason speaks of memory), disk (34/104) or time
     * limit (46 allowed_job_duration, 47 allowed_execute_duration). OTHER: every other hold, pool and job policies
     * included (26, 3...).
     */
    public static Hold hold(Integer code, Integer subcode, String reason, Instant since) {
        String text = reason == null ? null : HtcondorOutput.bounded(reason);
        int c = code == null ? -1 : code;
        int s = subcode == null ? 0 : subcode;
        if (c == HOLD_USER_REQUEST || c == HOLD_SUBMITTED_ON_HOLD || c == HOLD_SPOOLING_INPUT) {
            return new Hold(Hold.Kind.USER, null, code, subcode, text, since);
        }
        EndCause limit = limitOf(c, s, reason);
        if (limit != null) {
            return new Hold(Hold.Kind.LIMIT, limit, code, subcode, text, since);
        }
        return new Hold(Hold.Kind.OTHER, null, code, subcode, text, since);
    }

    /** The limit a hold code stands for, or null. */
    static EndCause limitOf(int code, int subcode, String reason) {
        if (code == HOLD_JOB_DURATION_EXCEEDED || code == HOLD_JOB_EXECUTE_EXCEEDED) {
            return EndCause.TIME_LIMIT;
        }
        if (code == HOLD_JOB_OUT_OF_RESOURCES) {
            if (subcode == SUBCODE_MEMORY) {
                return EndCause.MEMORY_LIMIT;
            }
            if (subcode == SUBCODE_DISK) {
                return EndCause.DISK_LIMIT;
            }
            // Older Docker universe: 34/0 "Docker job has gone over memory limit".
            if (subcode == 0 && reason != null && reason.toLowerCase(Locale.ROOT).contains("memory")) {
                return EndCause.MEMORY_LIMIT;
            }
        }
        return null;
    }

    /**
     * The port's observation of one job ad. Ended causes: JobStatus 4 → SIGNALLED (ExitBySignal) or EXITED (ExitCode);
     * JobStatus 3 → CANCELLED when RemoveReason carries {@link HtcondorCommands#CANCEL_REASON}, else
     * REMOVED_EXTERNALLY with who removed it and the last hold, or the hold's limit when someone removed a job that was
     * held for breaking a limit (the end the operator would have given it itself).
     */
    public static JobObservation observation(HtcondorJobAd ad, boolean fromHistory) {
        int status = ad.jobStatus();
        JobState state = state(status);
        EndCause cause = null;
        Integer exitCode = null;
        Integer signal = null;
        Hold hold = null;
        List<String> remarks = new ArrayList<>();
        switch (status) {
            case COMPLETED -> {
                if (Boolean.TRUE.equals(ad.exitBySignal())) {
                    cause = EndCause.SIGNALLED;
                    signal = ad.exitSignal();
                    remarks.add(signal == null ? "killed by a signal" : "killed by signal " + signal);
                } else {
                    cause = EndCause.EXITED;
                    exitCode = ad.exitCode();
                    if (exitCode == null) {
                        remarks.add("completed without an exit code");
                    }
                }
                lastHold(ad).ifPresent(remarks::add);
            }
            case REMOVED -> {
                String reason = ad.removeReason();
                if (ownCancel(reason)) {
                    cause = EndCause.CANCELLED;
                    remarks.add("cancelled by hpc-bridge" + by(reason));
                } else {
                    EndCause limit = ad.lastJobStatus() != null && ad.lastJobStatus() == HELD && ad.lastHoldReasonCode() != null
                            ? limitOf(ad.lastHoldReasonCode(), orZero(ad.lastHoldReasonSubCode()), ad.lastHoldReason())
                            : null;
                    cause = limit != null ? limit : EndCause.REMOVED_EXTERNALLY;
                    remarks.add(removedBy(reason));
                }
                lastHold(ad).ifPresent(h -> remarks.add("held before removal: " + h));
            }
            case HELD -> {
                hold = hold(ad.holdReasonCode(), ad.holdReasonSubCode(), ad.holdReason(), ad.enteredCurrentStatus());
                remarks.add("held: " + describeHold(ad.holdReasonCode(), ad.holdReasonSubCode(), ad.holdReason()));
            }
            default -> {
                lastHold(ad).ifPresent(h -> remarks.add("last held: " + h));
                if (ad.vacateReason() != null && !ad.vacateReason().isBlank()) {
                    remarks.add("last vacated: " + ad.vacateReason()
                            + (ad.vacateReasonCode() == null ? "" : " (code " + ad.vacateReasonCode() + ")"));
                }
            }
        }
        Integer restarts = ad.numJobStarts() == null ? null : Math.max(0, ad.numJobStarts() - 1);
        Instant start = ad.jobCurrentStartDate() != null ? ad.jobCurrentStartDate() : ad.jobStartDate();
        String detail = remarks.isEmpty() ? null : HtcondorOutput.bounded(String.join("; ", remarks));
        return new JobObservation(ad.jobId(), state, cause, nativeState(status), exitCode, signal, detail, hold, restarts,
                ad.qDate(), start, ad.completionDate(), fromHistory);
    }

    /**
     * Whether a RemoveReason is this operator's own cancel: exactly {@link HtcondorCommands#CANCEL_REASON}, with or
     * without HTCondor's {@code (by user X)} suffix. A longer text that merely starts like it is someone else's.
     */
    public static boolean ownCancel(String removeReason) {
        if (removeReason == null) {
            return false;
        }
        Matcher m = BY_USER.matcher(removeReason);
        String text = m.matches() ? m.group(1) : removeReason.strip();
        return text.equals(HtcondorCommands.CANCEL_REASON);
    }

    /**
     * {@code removed by alice: via condor_rm} from {@code via condor_rm (by user alice)}; a policy removal, which names
     * no user, keeps its text ({@code removed: The system macro SYSTEM_PERIODIC_REMOVE expression ... evaluated to TRUE}).
     */
    public static String removedBy(String removeReason) {
        if (removeReason == null || removeReason.isBlank()) {
            return "removed (no reason given)";
        }
        Matcher m = BY_USER.matcher(removeReason);
        if (m.matches()) {
            return "removed by " + m.group(2).strip() + ": " + m.group(1);
        }
        return "removed: " + removeReason.strip();
    }

    private static String by(String reason) {
        Matcher m = BY_USER.matcher(reason);
        return m.matches() ? " (as user " + m.group(2).strip() + ")" : "";
    }

    private static java.util.Optional<String> lastHold(HtcondorJobAd ad) {
        if (ad.lastHoldReasonCode() == null && ad.lastHoldReason() == null) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(describeHold(ad.lastHoldReasonCode(), ad.lastHoldReasonSubCode(), ad.lastHoldReason()));
    }

    private static String describeHold(Integer code, Integer subcode, String reason) {
        String text = reason == null || reason.isBlank() ? "no reason given" : reason.strip();
        if (code == null) {
            return text;
        }
        return text + " (code " + code + (subcode == null || subcode == 0 ? "" : "/" + subcode) + ")";
    }

    private static int orZero(Integer i) {
        return i == null ? 0 : i;
    }
}
