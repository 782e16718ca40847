package io.hpcbridge.gateway.htcondor;

import io.hpcbridge.gateway.JobIdentity;
import io.hpcbridge.gateway.PortLimits;
import io.hpcbridge.gateway.ResourceRequest;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Builds every HTCondor command as an argument vector (never a shell line), and validates what goes into a job. Pure
 * functions, no I/O.
 * <p>
 * Constraint expressions are built only from validated job ids ({@code C.P}, digits only) and from identity and
 * installation strings validated as plain words (no quotes, backslashes, whitespace or control characters), so a
 * constraint can never be closed early or extended by a value. Nothing a user wrote travels on a command line: the
 * submit description is uploaded as a file ({@link HtcondorSubmitDescription}).
 */
public final class HtcondorCommands {

    /** At most this many job ids per condor_history call: bounds the constraint and the history scan. */
    public static final int HISTORY_CHUNK = 200;
    /** At most this many job ids per condor_rm call. */
    public static final int RM_CHUNK = 100;
    /**
     * Cost cap for every condor_history scan, in ads read. The history file rotates at 20 MB with 2 rotations by
     * default, a few tens of thousands of ads; -limit normally stops the scan long before.
     */
    public static final int HISTORY_SCAN_LIMIT = 200_000;
    /** condor_history -limit for an identity lookup: one token is one attempt, normally one job. */
    public static final int FIND_LIMIT = 50;

    /**
     * The reason this operator gives condor_rm, which HTCondor stores as RemoveReason with {@code " (by user <name>)"}
     * appended: on a real 23.9.6 pool, {@code condor_rm -reason "hpc-bridge: stop" 45.0} left
     * {@code RemoveReason = "hpc-bridge: stop (by user hpcuser)"} in the history ad. It is how a removal is told to be
     * this operator's own cancel ({@link HtcondorStates#ownCancel}).
     */
    public static final String CANCEL_REASON = "hpc-bridge: stop";

    /** The job ad attributes every query asks for; all JSON answers are read against this list. */
    public static final List<String> ATTRIBUTES = List.of("ClusterId", "ProcId", "GlobalJobId", "JobStatus", "LastJobStatus",
            "EnteredCurrentStatus", "QDate", "JobStartDate", "JobCurrentStartDate", "CompletionDate", "NumJobStarts", "NumHolds",
            "HoldReasonCode", "HoldReasonSubCode", "HoldReason", "LastHoldReasonCode", "LastHoldReasonSubCode", "LastHoldReason",
            "ExitCode", "ExitBySignal", "ExitSignal", "RemoveReason", "VacateReasonCode", "VacateReason",
            "HpcBridgeInstance", "HpcBridgeAttempt", "HpcBridgeName");

    /** Attribute that carries this installation's name, for the one poll query. */
    public static final String INSTANCE_ATTR = "HpcBridgeInstance";
    public static final String ATTEMPT_ATTR = "HpcBridgeAttempt";
    public static final String NAME_ATTR = "HpcBridgeName";

    /** Named settings of {@code resources.htcondor}, as ResourceRequest option keys. */
    public static final List<String> OPTIONS = List.of("accounting_group", "requirements", "rank");

    /**
     * Job attributes the operator relies on or that would change what a job is; a task may not set them through
     * {@code resources.htcondor.attributes}. Compared case-insensitively, like ClassAd attribute names.
     */
    public static final Set<String> RESERVED_ATTRIBUTES = Set.of("clusterid", "procid", "jobstatus", "owner", "iwd", "cmd", "out",
            "err", "jobuniverse", "onexitremove", "onexithold", "periodicremove", "periodichold", "periodicrelease",
            "leavejobinqueue", "maxretries", "jobmaxretries", "numjobstarts", "jobbatchname");

    /** A job id as condor_submit -terse prints it and condor_rm takes it: cluster.proc, digits only. */
    static final Pattern JOB_ID = Pattern.compile("(0|[1-9][0-9]{0,9})\\.(0|[1-9][0-9]{0,9})");
    static final Pattern ATTRIBUTE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** An accounting group: group names and a user, separated by dots, as in {@code group_physics.alice}. */
    static final Pattern ACCOUNTING_GROUP = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.@-]*");


    private HtcondorCommands() {
    }

    // ---- validation -------------------------------------------------------------------------------------------

    /** What is wrong with a request for HTCondor, each problem naming its field; empty when it can be submitted. */
    public static List<String> problems(ResourceRequest r) {
        // allowed_job_duration = 0 would hold the job at once: the common checks refuse a zero time.
        List<String> problems = PortLimits.commonProblems(r);
        if (r == null) {
            return problems;
        }
        if (r.nodes() != null) {
            problems.add("resources.nodes must not be set: HTCondor has no node count");
        }
        if (r.tasks() != null) {
            problems.add("resources.tasks must not be set: HTCondor has no task count");
        }
        for (var e : r.options().entrySet()) {
            String key = e.getKey();
            String value = e.getValue();
            switch (key) {
                case "accounting_group" -> {
                    if (value == null || !ACCOUNTING_GROUP.matcher(value).matches()) {
                        problems.add("resources.htcondor.accountingGroup must be a plain name such as group_physics.alice, got '"
                                + printable(value) + "'");
                    }
                }
                case "requirements", "rank" -> {
                    if (value == null || value.isBlank()) {
                        problems.add("resources.htcondor." + key + " must not be empty");
                    } else if (hasLineBreakOrNul(value)) {
                        problems.add("resources.htcondor." + key + " must be on one line (no newline, carriage return or NUL)");
                    }
                }
                default -> problems.add("resources.htcondor." + key + " is not an HTCondor setting (allowed: " + OPTIONS + ")");
            }
        }
        for (var e : r.extras().entrySet()) {
            String name = e.getKey();
            String field = "resources.htcondor.attributes[" + printable(name) + "]";
            if (name == null || !ATTRIBUTE_NAME.matcher(name).matches()) {
                problems.add(field + ": the name must match [A-Za-z_][A-Za-z0-9_]*");
                continue;
            }
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.startsWith("hpcbridge")) {
                problems.add(field + ": names starting with HpcBridge are reserved for the operator");
            } else if (RESERVED_ATTRIBUTES.contains(lower)) {
                problems.add(field + ": " + name + " is set by the operator and cannot be overridden");
            }
            String value = e.getValue();
            if (value == null || value.isBlank()) {
                problems.add(field + ": the value must not be empty");
            } else if (hasLineBreakOrNul(value)) {
                problems.add(field + ": the value must be on one line (no newline, carriage return or NUL)");
            }
        }
        return problems;
    }

    // ---- commands ---------------------------------------------------------------------------------------------

    /** Prints e.g. {@code $CondorVersion: 23.9.6 2026-07-12 PackageID: ... $}. */
    public static List<String> version() {
        return List.of("condor_version");
    }

    /** {@code condor_submit -terse <file>}: one line {@code C.first - C.last} per cluster. */
    public static List<String> submit(String submitFile) {
        requirePath("submit file", submitFile);
        return List.of("condor_submit", "-terse", submitFile);
    }

    /** The one poll query: every job of this installation in the schedd's queue. Names no job id. */
    public static List<String> queueAll(String installation) {
        return List.of("condor_q", "-constraint", instanceTerm(installation), "-json", "-attributes", attributeList());
    }

    /**
     * History for at most {@link #HISTORY_CHUNK} jobs of this installation. {@code -limit} is the number of ids: the
     * scan goes from the newest record backwards and stops once that many matched, {@code -scanlimit} caps it when some
     * are missing. After a spool wipe an id may match an older record too, but every older record is older than every
     * newer one, so the newest record of each id is always among the first matches.
     */
    public static List<String> history(String installation, Collection<String> jobIds) {
        if (jobIds.isEmpty() || jobIds.size() > HISTORY_CHUNK) {
            throw new IllegalArgumentException("condor_history takes 1.." + HISTORY_CHUNK + " job ids, got " + jobIds.size());
        }
        List<String> terms = new ArrayList<>(jobIds.size());
        for (String id : jobIds) {
            requireJobId(id);
            int dot = id.indexOf('.');
            terms.add("(ClusterId == " + id.substring(0, dot) + " && ProcId == " + id.substring(dot + 1) + ")");
        }
        String constraint = instanceTerm(installation) + " && (" + String.join(" || ", terms) + ")";
        return List.of("condor_history", "-constraint", constraint, "-limit", Integer.toString(jobIds.size()),
                "-scanlimit", Integer.toString(HISTORY_SCAN_LIMIT), "-json", "-attributes", attributeList());
    }

    /** One condor_history command per chunk of at most {@link #HISTORY_CHUNK} ids. */
    public static List<List<String>> historyChunked(String installation, Collection<String> jobIds) {
        return chunks(List.copyOf(jobIds), HISTORY_CHUNK).stream().map(c -> history(installation, c)).toList();
    }

    /** The queue's jobs that carry this identity (token and name). */
    public static List<String> queueByIdentity(JobIdentity identity) {
        return List.of("condor_q", "-constraint", identityTerm(identity), "-json", "-attributes", attributeList());
    }

    /** The history's jobs that carry this identity (token and name), at most {@link #FIND_LIMIT}. */
    public static List<String> historyByIdentity(JobIdentity identity) {
        return List.of("condor_history", "-constraint", identityTerm(identity), "-limit", Integer.toString(FIND_LIMIT),
                "-scanlimit", Integer.toString(HISTORY_SCAN_LIMIT), "-json", "-attributes", attributeList());
    }

    /**
     * One {@code condor_rm -reason <CANCEL_REASON> <ids>} per chunk of at most {@link #RM_CHUNK} ids. Ids are always
     * {@code C.P}: a bare cluster would remove every proc of it, and its failure text names no job.
     */
    public static List<List<String>> cancel(Collection<String> jobIds) {
        jobIds.forEach(HtcondorCommands::requireJobId);
        List<List<String>> commands = new ArrayList<>();
        for (List<String> chunk : chunks(List.copyOf(jobIds), RM_CHUNK)) {
            List<String> argv = new ArrayList<>(chunk.size() + 3);
            argv.add("condor_rm");
            argv.add("-reason");
            argv.add(CANCEL_REASON);
            argv.addAll(chunk);
            commands.add(List.copyOf(argv));
        }
        return commands;
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    /** Whether this is a {@code C.P} job id that may be put in a command. */
    public static boolean isJobId(String id) {
        return id != null && JOB_ID.matcher(id).matches();
    }

    /** Splits into consecutive sublists of at most {@code size} elements. */
    public static <T> List<List<T>> chunks(List<T> items, int size) {
        return PortLimits.chunks(items, size);
    }

    /** Bytes as whole MiB, rounded up (HTCondor's default unit for request_memory). */
    public static long mebibytesRoundedUp(long bytes) {
        return PortLimits.roundUp(bytes, PortLimits.MIB);
    }

    /** Bytes as whole KiB, rounded up (HTCondor's default unit for request_disk). */
    public static long kibibytesRoundedUp(long bytes) {
        return PortLimits.roundUp(bytes, PortLimits.KIB);
    }

    /**
     * A string that goes inside a constraint's or a ClassAd's double quotes: not empty, and no quote, backslash,
     * whitespace or control character.
     *
     * @throws IllegalArgumentException naming the field otherwise
     */
    public static String requireWord(String field, String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(field + " must not be empty");
        }
        if (value.chars().anyMatch(c -> c <= 0x20 || c == 0x7f || c == '"' || c == '\'' || c == '\\'
                || Character.isWhitespace(c) || Character.isISOControl(c))) {
            throw new IllegalArgumentException(field
                    + " must not contain quotes, backslashes, whitespace or control characters: '" + printable(value) + "'");
        }
        return value;
    }

    static void requireJobId(String id) {
        if (!isJobId(id)) {
            throw new IllegalArgumentException("not an HTCondor job id (cluster.proc): '" + printable(id) + "'");
        }
    }

    static void requirePath(String field, String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(field + " must not be empty");
        }
        if (value.startsWith("-")) {
            throw new IllegalArgumentException(field + " must not start with '-': '" + printable(value) + "'");
        }
        if (value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IllegalArgumentException(field + " must not contain control characters (newline, carriage return, NUL...)");
        }
    }

    static boolean hasLineBreakOrNul(String value) {
        return value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0 || value.indexOf('\0') >= 0;
    }

    private static String instanceTerm(String installation) {
        return INSTANCE_ATTR + " =?= \"" + requireWord("installation", installation) + "\"";
    }

    private static String identityTerm(JobIdentity identity) {
        return ATTEMPT_ATTR + " =?= \"" + requireWord("identity.token", identity.token()) + "\" && " + NAME_ATTR + " =?= \""
                + requireWord("identity.name", identity.name()) + "\"";
    }

    private static String attributeList() {
        return String.join(",", ATTRIBUTES);
    }

    /** For messages: control characters made visible. */
    static String printable(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder();
        value.codePoints().limit(200).forEach(c -> {
            if (c < 0x20 || c == 0x7f) {
                sb.append(String.format("\\x%02x", c));
            } else {
                sb.appendCodePoint(c);
            }
        });
        return sb.toString();
    }
}
