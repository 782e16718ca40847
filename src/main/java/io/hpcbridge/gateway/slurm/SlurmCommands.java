package io.hpcbridge.gateway.slurm;

import io.hpcbridge.api.v1alpha1.Resources;
import io.hpcbridge.gateway.JobIdentity;
import io.hpcbridge.gateway.SubmitRequest;
import io.hpcbridge.util.Durations;
import io.hpcbridge.util.Quantities;

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

    private static final long MIB = 1024L * 1024;

    /** Far beyond any real wall-time limit; guards the arithmetic and catches typos. */
    private static final long MAX_TIME_SECONDS = Duration.ofDays(3650).toSeconds();

    private SlurmCommands() {
    }

    /**
     * {@code sbatch --parsable ... <scriptPath>}. Unless the cluster allows it, the job is never requeued by Slurm
     * ({@code --no-requeue}): retries belong to the operator. When allowed ({@code --requeue}), a requeue keeps the
     * job id and stays in the same attempt.
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

        List<String> argv = new ArrayList<>();
        argv.add("sbatch");
        argv.add("--parsable");
        argv.add("--job-name=" + identity.name());
        argv.add("--comment=" + identity.token());
        argv.add("--chdir=" + request.workDir());
        argv.add("--output=" + filenamePattern(request.stdoutPath()));
        argv.add("--error=" + filenamePattern(request.stderrPath()));
        argv.add(request.requeue() ? "--requeue" : "--no-requeue");
        Resources r = request.resources();
        if (r != null) {
            if (r.getCpus() != null) {
                if (r.getCpus() < 1) {
                    throw new IllegalArgumentException("resources.cpus must be at least 1, got " + r.getCpus());
                }
                argv.add("--cpus-per-task=" + r.getCpus());
            }
            if (r.getMemory() != null) {
                argv.add("--mem=" + memoryMiB(r.getMemory()) + "M");
            }
            if (r.getTime() != null) {
                argv.add("--time=" + slurmTime(r.getTime()));
            }
            if (r.getSlurm() != null) {
                optional(argv, "partition", r.getSlurm().getPartition());
                optional(argv, "account", r.getSlurm().getAccount());
                optional(argv, "qos", r.getSlurm().getQos());
            }
            if (r.getGpus() != null) {
                if (r.getGpus() < 0) {
                    throw new IllegalArgumentException("resources.gpus must not be negative, got " + r.getGpus());
                }
                if (r.getGpus() > 0) {
                    argv.add("--gres=gpu:" + r.getGpus());
                }
            }
        }
        argv.add(request.scriptPath());
        return List.copyOf(argv);
    }

    /**
     * A Kubernetes quantity as whole MiB, rounded up so the job never gets less than asked (1G = 953.67 MiB → 954).
     *
     * @throws IllegalArgumentException when not a plain positive quantity
     */
    public static long memoryMiB(String quantity) {
        long bytes;
        try {
            bytes = Quantities.bytes(quantity == null ? null : quantity.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("resources.memory: " + e.getMessage(), e);
        }
        if (bytes <= 0) {
            // --mem=0 means "all the node's memory" to Slurm: never send it by accident.
            throw new IllegalArgumentException("resources.memory must be positive, got '" + quantity + "'");
        }
        return (bytes + MIB - 1) / MIB;
    }

    /**
     * A duration such as {@code 30m}, {@code 1d12h} or {@code 45s} as Slurm's {@code D-HH:MM:SS}, exactly (Slurm itself
     * rounds seconds up to the next minute).
     *
     * @throws IllegalArgumentException when not a positive duration
     */
    public static String slurmTime(String duration) {
        long seconds;
        try {
            seconds = Durations.parse(duration == null ? null : duration.trim()).toSeconds();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("resources.time: " + e.getMessage(), e);
        }
        if (seconds > MAX_TIME_SECONDS) {
            throw new IllegalArgumentException("resources.time is too large: '" + duration + "'");
        }
        if (seconds == 0) {
            // --time=0 means "no limit" to Slurm.
            throw new IllegalArgumentException("resources.time must be positive, got '" + duration + "'");
        }
        return String.format("%d-%02d:%02d:%02d", seconds / 86400, seconds % 86400 / 3600, seconds % 3600 / 60,
                seconds % 60);
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
        List<List<T>> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i += size) {
            out.add(List.copyOf(items.subList(i, Math.min(items.size(), i + size))));
        }
        return out;
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

    private static void optional(List<String> argv, String field, String value) {
        if (value == null || value.isBlank()) {
            return;
        }
        String v = value.trim();
        if (v.chars().anyMatch(c -> c < 0x20 || c == 0x7f || Character.isWhitespace(c))) {
            throw new IllegalArgumentException("resources.slurm." + field + " must not contain whitespace or control characters");
        }
        argv.add("--" + field + "=" + v);
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
