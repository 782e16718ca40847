package io.hpcbridge.gateway.htcondor;

import io.hpcbridge.gateway.JobIdentity;
import io.hpcbridge.gateway.ResourceRequest;
import io.hpcbridge.gateway.SubmitRequest;

import java.util.ArrayList;
import java.util.List;

/**
 * Renders the submit description file for a batch of attempts: one block of commands ending in {@code queue} per
 * request, so a batch is one cluster with consecutive procs, in request order. Pure functions, no I/O.
 * <p>
 * Every command a block sets is set again by every later block of the same file (a submit description keeps a value
 * until it is set again), so a batch must be of one {@link #shape}: the caller submits requests of different shapes
 * in separate files.
 * <p>
 * Nothing here goes on a command line: the text is uploaded as a file and given to {@code condor_submit -terse}. A
 * value with a newline, carriage return or NUL could add commands of its own (a submit-file injection) and is refused.
 */
public final class HtcondorSubmitDescription {

    /** The file's name, in the first request's work directory. */
    public static final String FILE_NAME = "job.sub";

    private HtcondorSubmitDescription() {
    }

    /** Where the description of this batch is uploaded. */
    public static String path(List<SubmitRequest> batch) {
        String dir = batch.get(0).workDir();
        return (dir.endsWith("/") ? dir : dir + "/") + FILE_NAME;
    }

    /**
     * What is wrong with this request as a job of this installation, each problem naming its field; empty when it can
     * be rendered. Includes {@link HtcondorCommands#problems}.
     */
    public static List<String> problems(SubmitRequest request, String installation) {
        List<String> problems = new ArrayList<>();
        check(problems, () -> HtcondorCommands.requireWord("installation", installation));
        JobIdentity identity = request.identity();
        if (identity == null) {
            problems.add("identity must be set");
        } else {
            check(problems, () -> HtcondorCommands.requireWord("identity.name", identity.name()));
            check(problems, () -> HtcondorCommands.requireWord("identity.token", identity.token()));
        }
        check(problems, () -> HtcondorCommands.requirePath("workDir", request.workDir()));
        check(problems, () -> HtcondorCommands.requirePath("scriptPath", request.scriptPath()));
        check(problems, () -> HtcondorCommands.requirePath("stdoutPath", request.stdoutPath()));
        check(problems, () -> HtcondorCommands.requirePath("stderrPath", request.stderrPath()));
        problems.addAll(HtcondorCommands.problems(resources(request)));
        return problems;
    }

    /**
     * Which commands a request's block sets: requests of one shape can share a file. Two requests have the same shape
     * when they set the same resources, options and attributes (values may differ).
     */
    public static List<String> shape(SubmitRequest request) {
        ResourceRequest r = resources(request);
        List<String> keys = new ArrayList<>();
        if (r.cpus() != null) {
            keys.add("request_cpus");
        }
        if (r.memoryBytes() != null) {
            keys.add("request_memory");
        }
        if (r.diskBytes() != null) {
            keys.add("request_disk");
        }
        if (r.gpus() != null) {
            keys.add("request_gpus");
        }
        if (r.wallTime() != null) {
            keys.add("allowed_job_duration");
        }
        for (String option : HtcondorCommands.OPTIONS) {
            if (r.option(option) != null) {
                keys.add(option);
            }
        }
        r.extras().keySet().stream().map(n -> "MY." + n).sorted(String.CASE_INSENSITIVE_ORDER).forEach(keys::add);
        return List.copyOf(keys);
    }

    /**
     * The submit description for a batch of requests of one shape, for this installation.
     *
     * @throws IllegalArgumentException when a request is invalid (the message names the field) or the batch mixes shapes
     */
    public static String render(List<SubmitRequest> batch, String installation) {
        if (batch.isEmpty()) {
            throw new IllegalArgumentException("a submit description needs at least one request");
        }
        List<String> shape = shape(batch.get(0));
        StringBuilder sb = new StringBuilder();
        sb.append("# hpc-bridge: ").append(batch.size()).append(batch.size() == 1 ? " job" : " jobs").append(", one queue each\n");
        for (int i = 0; i < batch.size(); i++) {
            SubmitRequest request = batch.get(i);
            List<String> problems = problems(request, installation);
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException("request " + i + ": " + String.join("; ", problems));
            }
            if (!shape(request).equals(shape)) {
                throw new IllegalArgumentException("request " + i + " sets " + shape(request) + ", request 0 sets " + shape
                        + ": submit them in separate files");
            }
            block(sb, request, installation);
        }
        return sb.toString();
    }

    private static void block(StringBuilder sb, SubmitRequest request, String installation) {
        ResourceRequest r = resources(request);
        JobIdentity identity = request.identity();
        sb.append('\n');
        line(sb, "universe", "vanilla");
        line(sb, "executable", request.scriptPath());
        line(sb, "initialdir", request.workDir());
        line(sb, "output", request.stdoutPath());
        line(sb, "error", request.stderrPath());
        line(sb, "batch_name", identity.name());
        line(sb, "should_transfer_files", "NO");
        line(sb, "getenv", "false");
        // One attempt is one execution: HTCondor does not run a job again after it exits; retries are the operator's.
        line(sb, "max_retries", "0");
        if (r.cpus() != null) {
            line(sb, "request_cpus", Integer.toString(r.cpus()));
        }
        if (r.memoryBytes() != null) {
            // A bare number is MiB for request_memory.
            line(sb, "request_memory", Long.toString(HtcondorCommands.mebibytesRoundedUp(r.memoryBytes())));
        }
        if (r.diskBytes() != null) {
            // A bare number is KiB for request_disk.
            line(sb, "request_disk", Long.toString(HtcondorCommands.kibibytesRoundedUp(r.diskBytes())));
        }
        if (r.gpus() != null) {
            line(sb, "request_gpus", Integer.toString(r.gpus()));
        }
        if (r.wallTime() != null) {
            // Exceeding it holds the job with HoldReasonCode 46 (JobDurationExceeded).
            line(sb, "allowed_job_duration", Long.toString(r.wallTime().toSeconds()));
        }
        for (String option : HtcondorCommands.OPTIONS) {
            String value = r.option(option);
            if (value != null) {
                line(sb, option, value.strip());
            }
        }
        r.extras().forEach((name, value) -> line(sb, "MY." + name, value.strip()));
        line(sb, "MY." + HtcondorCommands.INSTANCE_ATTR, classAdString(installation));
        line(sb, "MY." + HtcondorCommands.ATTEMPT_ATTR, classAdString(identity.token()));
        line(sb, "MY." + HtcondorCommands.NAME_ATTR, classAdString(identity.name()));
        sb.append("queue\n");
    }

    /** A ClassAd string literal: double quotes, with backslash and double quote escaped. */
    public static String classAdString(String value) {
        if (HtcondorCommands.hasLineBreakOrNul(value)) {
            throw new IllegalArgumentException("a ClassAd string in a submit file must be on one line");
        }
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static void line(StringBuilder sb, String key, String value) {
        // Last line of defence: every value was validated, but a line break here would be a new command.
        if (HtcondorCommands.hasLineBreakOrNul(value)) {
            throw new IllegalArgumentException(key + " must be on one line");
        }
        sb.append(key).append(" = ").append(value).append('\n');
    }

    private static ResourceRequest resources(SubmitRequest request) {
        return request.resources() == null ? ResourceRequest.NONE : request.resources();
    }

    private static void check(List<String> problems, Runnable check) {
        try {
            check.run();
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
    }
}
