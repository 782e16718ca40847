package io.hpcbridge.gateway.htcondor;

import io.hpcbridge.gateway.PortLimits;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hpcbridge.gateway.RemoteException;
import io.hpcbridge.gateway.SubmitOutcome;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses what HTCondor prints. Pure functions. An answer that cannot be understood is garbled as a whole
 * ({@link RemoteException}), so that a caller never acts on half an answer; empty output is a valid "no jobs".
 */
public final class HtcondorOutput {

    /** Bound for scheduler messages carried into statuses and events. */
    public static final int MAX_MESSAGE_BYTES = PortLimits.MAX_MESSAGE_BYTES;

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    /** {@code condor_submit -terse}: {@code 8.0 - 8.1}, one line per cluster. */
    private static final Pattern TERSE = Pattern.compile("(\\d{1,10})\\.(\\d{1,10}) - (\\d{1,10})\\.(\\d{1,10})");
    private static final Pattern VERSION = Pattern.compile("\\$CondorVersion:\\s+(\\S+)\\s.*");
    /** Per-job lines of condor_rm, condor_hold and condor_release. */
    private static final Pattern JOB_LINE = Pattern.compile("Job (\\d+\\.\\d+) (.+)");

    /** condor_submit answers that mean the schedd was not reached: nothing was queued, the same file may work later. */
    private static final List<String> SCHEDD_UNREACHABLE = List.of(
            "can't find address of local schedd",
            "failed to connect to local queue manager",
            "can't find address for schedd",
            "failed to fetch ads",
            "secman:",
            "connection refused",
            "timed out",
            "failed to queue job",
            "too many jobs");

    /** The result of condor_rm, condor_hold or condor_release for one job. */
    public enum ActionResult {
        /** Marked for removal, held or released. */
        DONE,
        /** The schedd has no such job (already left the queue). */
        NOT_FOUND,
        /** Already marked for removal, already held. */
        ALREADY,
        /** Any other per-job answer: permission denied, not held to be released, a release limit... */
        FAILED
    }

    /** One per-job line: {@code Job 44.0 marked for removal}. */
    public record JobAction(String jobId, ActionResult result, String line) {
    }

    private HtcondorOutput() {
    }

    // ---- condor_q / condor_history --------------------------------------------------------------------------

    /**
     * Job ads from {@code -json} (an array; condor_q prints nothing at all when no job matches, condor_history prints
     * {@code [} and {@code ]}) or {@code -jsonl} (one object per line). Every ad must carry integer ClusterId, ProcId
     * and JobStatus; every other attribute of {@link HtcondorCommands#ATTRIBUTES} may be missing, null or an
     * unevaluated expression, and must otherwise have its type.
     *
     * @param command for messages, e.g. {@code condor_q}
     * @throws RemoteException when anything in the answer is not understood
     */
    public static List<HtcondorJobAd> parseAds(String stdout, String command) throws RemoteException {
        if (stdout == null || stdout.isBlank()) {
            return List.of();
        }
        List<JsonNode> nodes = new ArrayList<>();
        try (JsonParser p = JSON.createParser(stdout)) {
            JsonToken first = p.nextToken();
            if (first == JsonToken.START_ARRAY) {
                JsonNode array = JSON.readTree(p);
                array.forEach(nodes::add);
                if (p.nextToken() != null) {
                    throw garbled(command, "text after the JSON array", stdout);
                }
            } else if (first == JsonToken.START_OBJECT) {
                // -jsonl: one object per line.
                while (p.currentToken() != null) {
                    if (p.currentToken() != JsonToken.START_OBJECT) {
                        throw garbled(command, "not a JSON object", stdout);
                    }
                    nodes.add(JSON.readTree(p));
                    p.nextToken();
                }
            } else {
                throw garbled(command, "not JSON", stdout);
            }
        } catch (JsonProcessingException e) {
            throw garbled(command, "invalid JSON: " + e.getOriginalMessage(), stdout);
        } catch (IOException e) {
            throw garbled(command, e.getMessage(), stdout);
        }
        List<HtcondorJobAd> ads = new ArrayList<>(nodes.size());
        for (JsonNode node : nodes) {
            if (!(node instanceof ObjectNode ad)) {
                throw garbled(command, "an element is not a JSON object", node.toString());
            }
            ads.add(ad(ad, command));
        }
        return List.copyOf(ads);
    }

    private static HtcondorJobAd ad(ObjectNode ad, String command) throws RemoteException {
        Reader r = new Reader(ad, command);
        int cluster = r.required("ClusterId");
        int proc = r.required("ProcId");
        int status = r.required("JobStatus");
        return new HtcondorJobAd(cluster + "." + proc, status, r.integer("LastJobStatus"), r.string("GlobalJobId"),
                r.time("EnteredCurrentStatus"), r.time("QDate"), r.time("JobStartDate"), r.time("JobCurrentStartDate"),
                r.time("CompletionDate"), r.integer("NumJobStarts"), r.integer("NumHolds"), r.integer("HoldReasonCode"),
                r.integer("HoldReasonSubCode"), r.string("HoldReason"), r.integer("LastHoldReasonCode"),
                r.integer("LastHoldReasonSubCode"), r.string("LastHoldReason"), r.integer("ExitCode"), r.bool("ExitBySignal"),
                r.integer("ExitSignal"), r.string("RemoveReason"), r.integer("VacateReasonCode"), r.string("VacateReason"),
                r.string(HtcondorCommands.INSTANCE_ATTR), r.string(HtcondorCommands.ATTEMPT_ATTR),
                r.string(HtcondorCommands.NAME_ATTR));
    }

    /** Reads typed attributes of one ad; a wrong type makes the answer garbled. */
    private record Reader(ObjectNode ad, String command) {

        int required(String name) throws RemoteException {
            Integer v = integer(name);
            if (v == null || v < 0) {
                throw garbled(command, name + " missing or not a non-negative integer", ad.toString());
            }
            return v;
        }

        /** Missing, null or an expression → null; an integer → it; anything else is garbled. */
        Integer integer(String name) throws RemoteException {
            JsonNode v = ad.get(name);
            if (absent(v)) {
                return null;
            }
            if (v.isIntegralNumber() && v.canConvertToInt()) {
                return v.intValue();
            }
            throw garbled(command, name + " is not an integer: " + v, ad.toString());
        }

        Boolean bool(String name) throws RemoteException {
            JsonNode v = ad.get(name);
            if (absent(v)) {
                return null;
            }
            if (v.isBoolean()) {
                return v.booleanValue();
            }
            throw garbled(command, name + " is not a boolean: " + v, ad.toString());
        }

        String string(String name) throws RemoteException {
            JsonNode v = ad.get(name);
            if (absent(v)) {
                return null;
            }
            if (v.isTextual()) {
                return v.textValue();
            }
            throw garbled(command, name + " is not a string: " + v, ad.toString());
        }

        /** Epoch seconds; 0 is "not yet" (null). */
        Instant time(String name) throws RemoteException {
            JsonNode v = ad.get(name);
            if (absent(v)) {
                return null;
            }
            if (v.isIntegralNumber() && v.canConvertToLong() && v.longValue() >= 0) {
                return v.longValue() == 0 ? null : Instant.ofEpochSecond(v.longValue());
            }
            throw garbled(command, name + " is not an epoch time: " + v, ad.toString());
        }

        /** Missing, {@code undefined} (null) or an unevaluated expression, written {@code "\/Expr(...)\/"}. */
        private static boolean absent(JsonNode v) {
            return v == null || v.isNull() || (v.isTextual() && isExpression(v.textValue()));
        }
    }

    /** The JSON writer's form of a value that is not a literal: {@code \/Expr(<expr>)\/}, i.e. {@code /Expr(...)/}. */
    static boolean isExpression(String s) {
        return s.startsWith("/Expr(") && s.endsWith(")/");
    }

    // ---- condor_submit ----------------------------------------------------------------------------------------

    /**
     * Job ids from {@code condor_submit -terse}: {@code C.first - C.last} per cluster, expanded to every proc in
     * order. Empty when stdout has none; garbled when any line is something else.
     */
    public static List<String> parseTerse(String stdout) throws RemoteException {
        List<String> ids = new ArrayList<>();
        for (String line : lines(stdout)) {
            Matcher m = TERSE.matcher(line);
            if (!m.matches()) {
                throw garbled("condor_submit -terse", "not 'C.P - C.P'", line);
            }
            long cluster = Long.parseLong(m.group(1));
            long first = Long.parseLong(m.group(2));
            long lastCluster = Long.parseLong(m.group(3));
            long last = Long.parseLong(m.group(4));
            if (cluster != lastCluster || last < first || last - first > 100_000) {
                throw garbled("condor_submit -terse", "an impossible range", line);
            }
            for (long p = first; p <= last; p++) {
                ids.add(cluster + "." + p);
            }
        }
        return List.copyOf(ids);
    }

    /**
     * A refused condor_submit (non-zero exit). "Failed to commit" may have queued the cluster: Unconfirmed. A schedd
     * that could not be reached or took no job now: TryLater. Anything else (a parse error, a bad requirements
     * expression, a file it cannot read): Rejected with condor_submit's message.
     */
    public static SubmitOutcome classifySubmitFailure(int exitStatus, String stderr, String stdout) {
        String text = (nullToEmpty(stderr) + "\n" + nullToEmpty(stdout)).strip();
        String message = bounded(text.isEmpty() ? "condor_submit exited with status " + exitStatus : text);
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.contains("failed to commit")) {
            return new SubmitOutcome.Unconfirmed(message);
        }
        if (SCHEDD_UNREACHABLE.stream().anyMatch(lower::contains)) {
            return new SubmitOutcome.TryLater(message);
        }
        return new SubmitOutcome.Rejected(message);
    }

    // ---- condor_rm / condor_hold / condor_release -------------------------------------------------------------

    /**
     * The per-job lines of condor_rm, condor_hold or condor_release ({@code Job 44.0 marked for removal} on stdout,
     * {@code Job 44.0 not found} on stderr), in order. Other lines (blank, {@code -totals} counts, cluster-wide texts)
     * are not per-job and are left out.
     */
    public static List<JobAction> parseJobActions(String stdout, String stderr) {
        List<JobAction> out = new ArrayList<>();
        for (String line : concat(lines(stdout), lines(stderr))) {
            Matcher m = JOB_LINE.matcher(line);
            if (!m.matches()) {
                continue;
            }
            String rest = m.group(2);
            ActionResult result = switch (rest) {
                case "marked for removal", "held", "released" -> ActionResult.DONE;
                case "not found" -> ActionResult.NOT_FOUND;
                case "already marked for removal", "already held" -> ActionResult.ALREADY;
                default -> ActionResult.FAILED;
            };
            out.add(new JobAction(m.group(1), result, line));
        }
        return List.copyOf(out);
    }

    /**
     * What is wrong with a condor_rm answer, or null when every job is removed or was already gone. condor_rm exits 0
     * when at least one job of its list was marked, even if others were not found, and 1 when none was; so the exit
     * status alone says little. Every line of stderr must be a per-job "not found" or "already marked for removal" (or
     * "There are no jobs in the queue"), no per-job line may be a failure, and a non-zero exit needs at least one such
     * line. Anything else (permission denied, schedd unreachable, a cluster-wide failure) is a problem.
     */
    public static String cancelProblem(int exitStatus, String stdout, String stderr) {
        for (JobAction a : parseJobActions(stdout, stderr)) {
            if (a.result() == ActionResult.FAILED) {
                return bounded(a.line());
            }
        }
        List<String> errors = lines(stderr);
        for (String line : errors) {
            Matcher m = JOB_LINE.matcher(line);
            boolean gone = (m.matches() && (m.group(2).equals("not found") || m.group(2).equals("already marked for removal")))
                    || line.equals("There are no jobs in the queue");
            if (!gone) {
                return bounded("condor_rm exited with status " + exitStatus + ": " + stderr);
            }
        }
        if (exitStatus != 0 && errors.isEmpty()) {
            return bounded("condor_rm exited with status " + exitStatus + ": " + nullToEmpty(stdout));
        }
        return null;
    }

    // ---- condor_version ---------------------------------------------------------------------------------------

    /** {@code $CondorVersion: 23.9.6 2026-07-12 PackageID: ... $} → {@code 23.9.6}. */
    public static String parseVersion(String stdout) throws RemoteException {
        for (String line : lines(stdout)) {
            Matcher m = VERSION.matcher(line);
            if (m.matches()) {
                return m.group(1);
            }
        }
        if (lines(stdout).isEmpty()) {
            throw new RemoteException("condor_version printed nothing");
        }
        throw new RemoteException("garbled condor_version output: " + bounded(stdout));
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    /** Trimmed and cut to at most {@link #MAX_MESSAGE_BYTES} UTF-8 bytes, never inside a character. */
    public static String bounded(String text) {
        return PortLimits.bounded(text);
    }

    static List<String> lines(String text) {
        if (text == null) {
            return List.of();
        }
        return text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    private static RemoteException garbled(String command, String what, String text) {
        return new RemoteException("garbled " + command + " output (" + what + "): " + bounded(text));
    }
}
