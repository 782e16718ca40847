package io.hpcbridge.gateway.slurm;

import io.hpcbridge.gateway.JobObservation;
import io.hpcbridge.gateway.PortLimits;
import io.hpcbridge.gateway.RemoteException;
import io.hpcbridge.gateway.EndCause;
import io.hpcbridge.gateway.JobState;
import io.hpcbridge.gateway.SubmitOutcome;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses what Slurm prints. Pure functions. A line that cannot be understood makes the whole answer garbled
 * ({@link RemoteException}), so that a caller never acts on half an answer; empty output is a valid "no jobs".
 */
public final class SlurmOutput {

    /** Bound for scheduler messages carried into statuses and events. */
    public static final int MAX_MESSAGE_BYTES = PortLimits.MAX_MESSAGE_BYTES;

    private static final Set<String> NO_TIME = Set.of("", "N/A", "UNKNOWN", "NONE");

    private static final Pattern PARSABLE_ID = Pattern.compile("([0-9]+)(;\\S+)?");
    private static final Pattern SUBMITTED_ID = Pattern.compile("Submitted batch job ([0-9]+)(\\s.*)?");
    private static final Pattern VERSION = Pattern.compile("slurm\\S*\\s+(\\S+)", Pattern.CASE_INSENSITIVE);

    /** Answers of a busy or briefly unreachable controller: the same submission may work later. */
    private static final List<String> TRANSIENT_SUBMIT_ERRORS = List.of(
            "socket timed out",
            "try again",
            "unable to contact slurm controller",
            "resource temporarily unavailable",
            "unexpected message received",
            "temporarily unable",
            "transport endpoint",
            "zero bytes were transmitted",
            "communication connection failure");

    /** scancel complaints that only mean "nothing left to cancel". */
    private static final List<String> BENIGN_CANCEL_ERRORS = List.of(
            "invalid job id",
            "already completing or completed",
            "job has already finished");

    private SlurmOutput() {
    }

    /** squeue lines in {@link SlurmCommands#SQUEUE_FORMAT}, times read as UTC. */
    public static List<SlurmJobRecord> parseSqueue(String stdout) throws RemoteException {
        return parseSqueue(stdout, ZoneOffset.UTC);
    }

    /**
     * squeue lines in {@link SlurmCommands#SQUEUE_FORMAT}. The queue has no exit code or end time; the start time of a
     * queued job is only Slurm's forecast, so it is dropped.
     */
    public static List<SlurmJobRecord> parseSqueue(String stdout, ZoneId zone) throws RemoteException {
        List<SlurmJobRecord> out = new ArrayList<>();
        for (String line : lines(stdout)) {
            String[] f = fields(line, SlurmCommands.SQUEUE_FIELDS, "squeue");
            String id = f[0];
            if (!SlurmCommands.JOB_ID.matcher(id).matches()) {
                throw garbled("squeue", "job id '" + id + "'", line);
            }
            String raw = f[1];
            JobState state = SlurmStates.state(raw);
            // The queue has no exit code: an ended job's cause is provisional until accounting confirms it.
            EndCause cause = state == JobState.ENDED ? SlurmStates.endCause(raw, SlurmStates.Exit.NONE) : null;
            Instant submit = time(f[3], zone, "squeue", line);
            Instant start = state == JobState.QUEUED ? null : time(f[4], zone, "squeue", line);
            String reason = f[2].isBlank() || f[2].equalsIgnoreCase("None") ? null : f[2];
            String detail = join(SlurmStates.cancelledBy(raw), reason);
            out.add(new SlurmJobRecord(new JobObservation(id, state, cause, raw, null, null, detail, null, null, submit, start,
                    null, false), f[6], f[5]));
        }
        return List.copyOf(out);
    }

    /** sacct lines in {@link SlurmCommands#SACCT_FORMAT}, times read as UTC. */
    public static List<SlurmJobRecord> parseSacct(String stdout) throws RemoteException {
        return parseSacct(stdout, ZoneOffset.UTC);
    }

    /**
     * sacct {@code --parsable2} lines in {@link SlurmCommands#SACCT_FORMAT}. Step lines ({@code .batch},
     * {@code .extern}, {@code .0}) are not jobs: they are dropped, except that a {@code .batch} exit code stands in for
     * an allocation line that has none.
     */
    public static List<SlurmJobRecord> parseSacct(String stdout, ZoneId zone) throws RemoteException {
        record Row(String line, String[] f, SlurmStates.Exit exit) {
        }
        List<Row> allocations = new ArrayList<>();
        Map<String, SlurmStates.Exit> batchExit = new HashMap<>();
        for (String line : lines(stdout)) {
            String[] f = fields(line, SlurmCommands.SACCT_FIELDS, "sacct");
            Matcher id = SlurmCommands.JOB_OR_STEP_ID.matcher(f[0]);
            if (!id.matches()) {
                throw garbled("sacct", "job id '" + f[0] + "'", line);
            }
            SlurmStates.Exit exit;
            try {
                exit = SlurmStates.parseExitCode(f[2]);
            } catch (IllegalArgumentException e) {
                throw garbled("sacct", "exit code '" + f[2] + "'", line);
            }
            String step = id.group(id.groupCount());
            if (step == null) {
                allocations.add(new Row(line, f, exit));
            } else if (step.equals(".batch") && exit.known()) {
                batchExit.put(id.group(1), exit);
            }
        }
        List<SlurmJobRecord> out = new ArrayList<>(allocations.size());
        for (Row row : allocations) {
            String[] f = row.f();
            SlurmStates.Exit exit = row.exit().known() ? row.exit() : batchExit.getOrDefault(f[0], SlurmStates.Exit.NONE);
            String raw = f[1];
            JobState state = SlurmStates.state(raw);
            EndCause cause = state == JobState.ENDED ? SlurmStates.endCause(raw, exit) : null;
            String nodes = f[8].isBlank() || f[8].equalsIgnoreCase("None assigned") ? null : "nodes " + f[8];
            String rss = f[7].isBlank() ? null : "max RSS " + f[7];
            // sacct's Reason is the scheduler's last pending/ending reason; "None" says nothing.
            String reason = f[9].isBlank() || f[9].equals("None") ? null : "reason " + f[9];
            String detail = join(SlurmStates.cancelledBy(raw), nodes, rss, reason);
            out.add(new SlurmJobRecord(new JobObservation(f[0], state, cause, raw, exit.code(), exit.signal(), detail, null, null,
                    time(f[3], zone, "sacct", row.line()), time(f[4], zone, "sacct", row.line()),
                    time(f[5], zone, "sacct", row.line()), true), f[11], f[10]));
        }
        return List.copyOf(out);
    }

    /**
     * The job id from sbatch's stdout: {@code 12345}, {@code 12345;cluster} ({@code --parsable}) or
     * {@code Submitted batch job 12345}; empty when none is there.
     */
    public static Optional<String> parseSubmittedJobId(String stdout) {
        for (String line : lines(stdout)) {
            Matcher m = PARSABLE_ID.matcher(line);
            if (m.matches()) {
                return Optional.of(m.group(1));
            }
            m = SUBMITTED_ID.matcher(line);
            if (m.matches()) {
                return Optional.of(m.group(1));
            }
        }
        return Optional.empty();
    }

    /**
     * A refused sbatch: TryLater when the controller was busy or unreachable, else Rejected with its message. A
     * timeout may still have queued the job, so callers look the identity up before trying again.
     */
    public static SubmitOutcome classifySubmitFailure(int exitStatus, String stderr, String stdout) {
        String text = stderr == null || stderr.isBlank() ? (stdout == null ? "" : stdout) : stderr;
        String message = bounded(text.isBlank() ? "sbatch exited with status " + exitStatus : text);
        String lower = text.toLowerCase(Locale.ROOT);
        return TRANSIENT_SUBMIT_ERRORS.stream().anyMatch(lower::contains)
                ? new SubmitOutcome.TryLater(message)
                : new SubmitOutcome.Rejected(message);
    }

    /**
     * Whether scancel's non-zero exit only says that jobs were already gone: at least one such complaint and no other
     * error line. scancel still cancels the other jobs of its list in that case.
     */
    public static boolean isBenignCancelFailure(String stderr) {
        List<String> errors = lines(stderr).stream()
                .map(l -> l.toLowerCase(Locale.ROOT))
                .filter(l -> l.contains("error") || BENIGN_CANCEL_ERRORS.stream().anyMatch(l::contains))
                .toList();
        return !errors.isEmpty() && errors.stream().allMatch(l -> BENIGN_CANCEL_ERRORS.stream().anyMatch(l::contains));
    }

    /** {@code slurm 22.05.8} (or Debian's {@code slurm-wlm 22.05.8}) → {@code 22.05.8}. */
    public static String parseVersion(String stdout) throws RemoteException {
        for (String line : lines(stdout)) {
            Matcher m = VERSION.matcher(line);
            if (m.matches()) {
                return m.group(1);
            }
            throw new RemoteException("garbled sbatch --version output: " + bounded(line));
        }
        throw new RemoteException("sbatch --version printed nothing");
    }

    /** Trimmed and cut to at most {@link #MAX_MESSAGE_BYTES} UTF-8 bytes, never inside a character. */
    public static String bounded(String text) {
        return PortLimits.bounded(text);
    }

    private static List<String> lines(String text) {
        if (text == null) {
            return List.of();
        }
        return text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    /**
     * Splits on '|'. Fewer fields than expected is garbled. More can only come from '|' inside the free-text fields
     * at the end (comment, then name, for other jobs of the user): the name is taken as the last field and the comment
     * absorbs the rest. Names and tokens of this operator never contain '|', so its own jobs always split exactly.
     */
    private static String[] fields(String line, int expected, String command) throws RemoteException {
        String[] f = line.split("\\|", -1);
        if (f.length < expected) {
            throw garbled(command, f.length + " fields instead of " + expected, line);
        }
        if (f.length == expected) {
            return f;
        }
        String[] out = Arrays.copyOf(f, expected);
        out[expected - 2] = String.join("|", Arrays.copyOfRange(f, expected - 2, f.length - 1));
        out[expected - 1] = f[f.length - 1];
        return out;
    }

    private static Instant time(String value, ZoneId zone, String command, String line) throws RemoteException {
        String v = value.strip();
        if (NO_TIME.contains(v.toUpperCase(Locale.ROOT))) {
            return null;
        }
        try {
            return LocalDateTime.parse(v).atZone(zone).toInstant();
        } catch (DateTimeParseException e) {
            throw garbled(command, "time '" + v + "'", line);
        }
    }

    private static String join(String... parts) {
        String joined = String.join("; ", Arrays.stream(parts).filter(p -> p != null && !p.isBlank()).toList());
        return joined.isEmpty() ? null : joined;
    }

    private static RemoteException garbled(String command, String what, String line) {
        return new RemoteException("garbled " + command + " output (" + what + "): " + bounded(line));
    }
}
