package io.hpcbridge.gateway.slurm;

import io.hpcbridge.gateway.JobIdentity;
import io.hpcbridge.gateway.PortLimits;
import io.hpcbridge.gateway.ResourceRequest;
import io.hpcbridge.gateway.SubmitRequest;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Builds every Slurm command as an argument vector (never a shell line). Pure functions, no I/O.
 * <p>
 * Queries run under {@code env TZ=UTC SLURM_TIME_FORMAT=standard}: the standard format carries no zone, so forcing
 * the remote zone to UTC makes the printed times (and the {@code --starttime} we send) unambiguous whatever the login
 * node's local zone is.
 */
public final class SlurmCommands {

    /** At most this many ids per sacct call: bounds the command line and the slurmdbd query. */
    public static final int SACCT_CHUNK = 200;
    /** At most this many ids per scancel call. */
    public static final int SCANCEL_CHUNK = 100;

    /** squeue fields; the free-text comment and name come last so that a stray '|' can only land there. */
    public static final String SQUEUE_FORMAT = "%i|%T|%r|%V|%S|%k|%j";
    public static final int SQUEUE_FIELDS = 7;

    /** sacct fields; Comment and JobName (free text) last for the same reason. */
    public static final String SACCT_FORMAT =
            "JobIDRaw,State,ExitCode,Submit,Start,End,Elapsed,MaxRSS,NodeList,Reason,Comment,JobName";
    public static final int SACCT_FIELDS = 12;

    /** Allocation ids as squeue prints them: plain, array ({@code 123_4}, {@code 123_[1-3%2]}), het ({@code 123+0}). */
    static final Pattern JOB_ID = Pattern.compile("[0-9]+(_([0-9]+|\\[[0-9,%\\-]+\\]))?(\\+[0-9]+)?");
    /** An allocation id optionally followed by a step ({@code .batch}, {@code .extern}, {@code .0}, {@code .0+1}). */
    static final Pattern JOB_OR_STEP_ID = Pattern.compile("(" + JOB_ID.pattern() + ")(\\.[A-Za-z0-9_+]+)?");

    private static final List<String> QUERY_ENV = List.of("env", "TZ=UTC", "SLURM_TIME_FORMAT=standard");
    private static final DateTimeFormatter STANDARD_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);


    private SlurmCommands() {
    }

    /** Named settings of {@code resources.slurm} that become {@code --<name>=<value>}. */
    public static final List<String> NAMED_OPTIONS = List.of("partition", "account", "qos", "reservation", "constraint");
    /** {@code resources.slurm.exclusive}: "true" becomes {@code --exclusive}. */
    public static final String EXCLUSIVE = "exclusive";
    /**
     * The sbatch long options a task may add through {@code resources.slurm.options}. Everything the operator sets
     * itself (job name, comment, output, chdir, requeue) or that would change what a job is (array, dependency, wrap)
     * is left out.
     */
    public static final java.util.Set<String> ALLOWED_EXTRA_OPTIONS = java.util.Set.of("mail-type", "mail-user", "licenses", "hint",
            "nice", "begin", "signal", "switches", "gres-flags", "cores-per-socket", "threads-per-core", "ntasks-per-node", "cpu-freq",
            "wckey", "network", "distribution", "mem-bind");

    /**
     * What is wrong with a request for Slurm, each naming its field; empty when sbatch can be given it.
     */
    public static List<String> problems(ResourceRequest r) {
        List<String> problems = PortLimits.commonProblems(r);
        if (r == null) {
            return problems;
        }
        if (r.nodes() != null && r.nodes() < 1) {
            problems.add("resources.slurm.nodes must be at least 1, got " + r.nodes());
        }
        if (r.tasks() != null && r.tasks() < 1) {
            problems.add("resources.slurm.ntasks must be at least 1, got " + r.tasks());
        }
        for (var e : r.options().entrySet()) {
            if (e.getKey().equals(EXCLUSIVE)) {
                continue;
            }
            if (!NAMED_OPTIONS.contains(e.getKey())) {
                problems.add("resources.slurm." + e.getKey() + " is not a Slurm setting");
            } else if (!plainWord(e.getValue())) {
                problems.add("resources.slurm." + e.getKey() + " must not be empty or contain whitespace or control characters");
            }
        }
        for (var e : r.extras().entrySet()) {
            if (!ALLOWED_EXTRA_OPTIONS.contains(e.getKey())) {
                problems.add("resources.slurm.options: --" + e.getKey() + " is not allowed (allowed: "
                        + ALLOWED_EXTRA_OPTIONS.stream().sorted().toList() + ")");
            } else if (e.getValue() == null || e.getValue().chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                problems.add("resources.slurm.options: the value of --" + e.getKey() + " must not contain control characters");
            }
        }
        return problems;
    }

    /**
     * {@code sbatch --parsable ... <scriptPath>}. Unless the cluster allows it, the job is never requeued by Slurm
     * ({@code --no-requeue}): retries belong to the operator. When allowed ({@code --requeue}), a requeue keeps the
     * job id and stays in the same attempt.
     * <p>
     * Rounding is Slurm's: memory and disk up to whole MiB; the wall time is sent to the second and Slurm rounds it up
     * to the next minute.
     *
     * @throws IllegalArgumentException when a field is invalid; the message names the field
     */
    public static List<String> submit(SubmitRequest request) {
        JobIdentity identity = request.identity();
        requireWord("identity.name", identity.name());
        requireWord("identity.token", identity.token());
        requirePath("workDir", request.workDir());
        requirePath("stdoutPath", request.stdoutPath());
        requirePath("stderrPath", request.stderrPath());
        requirePath("scriptPath", request.scriptPath());
        ResourceRequest r = request.resources() == null ? ResourceRequest.NONE : request.resources();
        List<String> problems = problems(r);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }

        List<String> argv = new ArrayList<>();
        argv.add("sbatch");
        argv.add("--parsable");
        argv.add("--job-name=" + identity.name());
        argv.add("--comment=" + identity.token());
        argv.add("--chdir=" + request.workDir());
        argv.add("--output=" + filenamePattern(request.stdoutPath()));
        argv.add("--error=" + filenamePattern(request.stderrPath()));
        argv.add(request.allowRestart() ? "--requeue" : "--no-requeue");
        if (r.cpus() != null) {
            argv.add("--cpus-per-task=" + r.cpus());
        }
        if (r.memoryBytes() != null) {
            argv.add("--mem=" + mebibytesRoundedUp(r.memoryBytes()) + "M");
        }
        if (r.wallTime() != null) {
            argv.add("--time=" + slurmTime(r.wallTime()));
        }
        for (String name : NAMED_OPTIONS) {
            String v = r.option(name);
            if (v != null) {
                argv.add("--" + name + "=" + v.trim());
            }
        }
        if ("true".equals(r.option(EXCLUSIVE))) {
            argv.add("--exclusive");
        }
        if (r.nodes() != null) {
            argv.add("--nodes=" + r.nodes());
        }
        if (r.tasks() != null) {
            argv.add("--ntasks=" + r.tasks());
        }
        if (r.gpus() != null && r.gpus() > 0) {
            argv.add("--gres=gpu:" + r.gpus());
        }
        if (r.diskBytes() != null) {
            argv.add("--tmp=" + mebibytesRoundedUp(r.diskBytes()) + "M");
        }
        r.extras().forEach((name, value) -> argv.add("--" + name + "=" + value));
        argv.add(request.scriptPath());
        return List.copyOf(argv);
    }

    /** Bytes as whole MiB, rounded up so the job never gets less than asked (1G = 953.67 MiB → 954). */
    public static long mebibytesRoundedUp(long bytes) {
        return PortLimits.roundUp(bytes, PortLimits.MIB);
    }

    /** A duration as Slurm's {@code D-HH:MM:SS}, exactly (Slurm itself rounds seconds up to the next minute). */
    public static String slurmTime(Duration duration) {
        long seconds = duration.toSeconds();
        return String.format("%d-%02d:%02d:%02d", seconds / 86400, seconds % 86400 / 3600, seconds % 3600 / 60, seconds % 60);
    }

    /** One squeue for all of the user's jobs, including those that ended within MinJobAge. Names no job id. */
    public static List<String> squeueAll() {
        return query("squeue", "--me", "--noheader", "--states=all", "--format=" + SQUEUE_FORMAT);
    }

    /** squeue restricted to one job name (used before a submission, to adopt instead of duplicating). */
    public static List<String> squeueByName(String name) {
        requireWord("identity.name", name);
        return query("squeue", "--me", "--noheader", "--states=all", "--name=" + name, "--format=" + SQUEUE_FORMAT);
    }

    /**
     * sacct for at most {@link #SACCT_CHUNK} jobs. With {@code --jobs} sacct's window starts at the epoch, so no
     * {@code --starttime} is needed.
     */
    public static List<String> sacctJobs(Collection<String> jobIds) {
        if (jobIds.isEmpty() || jobIds.size() > SACCT_CHUNK) {
            throw new IllegalArgumentException("sacct takes 1.." + SACCT_CHUNK + " job ids, got " + jobIds.size());
        }
        jobIds.forEach(SlurmCommands::requireJobId);
        return query("sacct", "--noheader", "--parsable2", "--allocations", "--jobs=" + String.join(",", jobIds),
                "--format=" + SACCT_FORMAT);
    }

    /** One sacct command per chunk of at most {@link #SACCT_CHUNK} ids. */
    public static List<List<String>> sacctJobsChunked(Collection<String> jobIds) {
        return chunks(List.copyOf(jobIds), SACCT_CHUNK).stream().map(SlurmCommands::sacctJobs).toList();
    }

    /**
     * sacct by job name. Without {@code --jobs} sacct only looks back to midnight today, so the window is explicit:
     * one day before {@code since}, to absorb clock skew between us and the controller.
     */
    public static List<String> sacctByName(String name, Instant since) {
        requireWord("identity.name", name);
        String start = STANDARD_TIME.format(since.minus(Duration.ofDays(1)));
        return query("sacct", "--noheader", "--parsable2", "--allocations", "--name=" + name, "--starttime=" + start,
                "--format=" + SACCT_FORMAT);
    }

    /** One scancel per chunk of at most {@link #SCANCEL_CHUNK} ids. */
    public static List<List<String>> cancel(Collection<String> jobIds) {
        jobIds.forEach(SlurmCommands::requireJobId);
        List<List<String>> commands = new ArrayList<>();
        for (List<String> chunk : chunks(List.copyOf(jobIds), SCANCEL_CHUNK)) {
            List<String> argv = new ArrayList<>(chunk.size() + 1);
            argv.add("scancel");
            argv.addAll(chunk);
            commands.add(List.copyOf(argv));
        }
        return commands;
    }

    /** Prints e.g. {@code slurm 22.05.8}. */
    public static List<String> version() {
        return List.of("sbatch", "--version");
    }

    /** Splits into consecutive sublists of at most {@code size} elements. */
    public static <T> List<List<T>> chunks(List<T> items, int size) {
        return PortLimits.chunks(items, size);
    }

    /** Whether this is an id that Slurm commands accept as a job (not a step): rejects anything option-like. */
    public static boolean isJobId(String id) {
        return id != null && JOB_ID.matcher(id).matches();
    }

    private static List<String> query(String... argv) {
        List<String> out = new ArrayList<>(QUERY_ENV);
        out.addAll(List.of(argv));
        return List.copyOf(out);
    }

    private static boolean plainWord(String v) {
        return v != null && !v.isBlank() && v.trim().chars().noneMatch(c -> c < 0x20 || c == 0x7f || Character.isWhitespace(c));
    }

    /** Slurm treats '%' in --output/--error as a pattern (%j, %x...); '%%' is a literal '%'. */
    private static String filenamePattern(String path) {
        return path.replace("%", "%%");
    }

    private static void requireJobId(String id) {
        if (!isJobId(id)) {
            throw new IllegalArgumentException("not a Slurm job id: '" + id + "'");
        }
    }

    /** Names and tokens travel in ','-separated lists (--name) and '|'-separated output: keep them plain words. */
    private static void requireWord(String field, String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(field + " must not be empty");
        }
        if (value.chars().anyMatch(c -> c <= 0x20 || c == 0x7f || c == '|' || c == ',')) {
            throw new IllegalArgumentException(
                    field + " must not contain whitespace, control characters, '|' or ',': '" + value + "'");
        }
    }

    private static void requirePath(String field, String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(field + " must not be empty");
        }
        if (value.startsWith("-")) {
            throw new IllegalArgumentException(field + " must not start with '-': '" + value + "'");
        }
        if (value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IllegalArgumentException(field + " must not contain control characters");
        }
    }
}
