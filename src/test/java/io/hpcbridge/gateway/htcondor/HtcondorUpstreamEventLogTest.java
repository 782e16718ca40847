package io.hpcbridge.gateway.htcondor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.hpcbridge.gateway.EndCause;
import io.hpcbridge.gateway.JobObservation;
import io.hpcbridge.gateway.JobState;
import io.hpcbridge.gateway.RemoteException;

/**
 * HTCondor's own test event log (src/condor_utils/test_condor.log, Apache-2.0; see the upstream README): each record is
 * replayed as the JobStatus and exit attributes HTCondor gives the job at that moment (the adapter reads those from
 * condor_q and condor_history, not the log), and what {@link HtcondorStates} makes of them is checked, record by record.
 */
class HtcondorUpstreamEventLogTest {
    private static final Pattern HEADER = Pattern.compile("^(\\d{3}) \\(([-0-9]+)\\.([-0-9]+)\\.[-0-9]+\\) .*");
    private static final Pattern NORMAL = Pattern.compile("\\(1\\) Normal termination \\(return value (-?\\d+)\\)");
    private static final Pattern ABNORMAL = Pattern.compile("\\(0\\) Abnormal termination \\(signal (-?\\d+)\\)");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One record: event code, job id, and its body. */
    record Event(String code, String jobId, String body) {
    }

    /** What each event means for the job ad: the JobStatus it sets, and the exit attributes of a termination. */
    static ObjectNode adAfter(Event e, ObjectNode before) {
        ObjectNode ad = before.deepCopy();
        switch (e.code()) {
            case "000", "004", "013" -> ad.put("JobStatus", HtcondorStates.IDLE); // submitted, evicted, released
            case "001", "011" -> ad.put("JobStatus", HtcondorStates.RUNNING); // executing, unsuspended
            case "009" -> ad.put("JobStatus", HtcondorStates.REMOVED); // aborted by the user
            case "010" -> ad.put("JobStatus", HtcondorStates.SUSPENDED);
            case "012" -> ad.put("JobStatus", HtcondorStates.HELD);
            case "005" -> {
                ad.put("JobStatus", HtcondorStates.COMPLETED);
                Matcher normal = NORMAL.matcher(e.body());
                Matcher abnormal = ABNORMAL.matcher(e.body());
                if (normal.find()) {
                    ad.put("ExitBySignal", false);
                    ad.put("ExitCode", Integer.parseInt(normal.group(1)));
                } else if (abnormal.find()) {
                    ad.put("ExitBySignal", true);
                    ad.put("ExitSignal", Integer.parseInt(abnormal.group(1)));
                }
            }
            default -> {
                // 006 image size, 008 generic, 019/020 grid resource: no change of state
            }
        }
        if (e.code().equals("001")) {
            ad.put("NumJobStarts", ad.path("NumJobStarts").asInt(0) + 1);
        }
        return ad;
    }

    @Test
    void everyRecordOfTheUpstreamLogMapsToTheStateHtcondorMeans() throws Exception {
        List<Event> events = parse(resource("htcondor/upstream/test_condor.log.head"));
        assertThat(events).extracting(Event::code).startsWith("000", "001", "005", "000", "001", "005");

        Map<String, ObjectNode> ads = new LinkedHashMap<>();
        List<String> seen = new ArrayList<>();
        for (Event e : events) {
            // The real jobs' records are a sequence; the synthetic ones (-01) are one of each kind, each applied to a
            // running job of its own.
            ObjectNode before = e.jobId().startsWith("-") ? running(initialAd(e.jobId()))
                    : ads.computeIfAbsent(e.jobId(), id -> initialAd(id));
            ObjectNode after = adAfter(e, before);
            ads.put(e.jobId(), after);
            JobObservation o = observe(after);
            seen.add(e.code() + " " + e.jobId() + " -> " + o.state() + (o.ended() ? "/" + o.endCause() : ""));
            switch (e.code()) {
                case "000", "004", "013" -> assertThat(o.state()).as(e.toString()).isEqualTo(JobState.QUEUED);
                case "001", "011" -> assertThat(o.state()).as(e.toString()).isEqualTo(JobState.RUNNING);
                case "010" -> assertThat(o.state()).as(e.toString()).isEqualTo(JobState.SUSPENDED);
                case "012" -> assertThat(o.state()).as(e.toString()).isEqualTo(JobState.HELD);
                case "009" -> {
                    // Aborted by the user without a reason in the log: removed by someone else, never a success.
                    assertThat(o.state()).as(e.toString()).isEqualTo(JobState.ENDED);
                    assertThat(o.endCause()).isEqualTo(EndCause.REMOVED_EXTERNALLY);
                    assertThat(o.succeeded()).isFalse();
                }
                case "005" -> {
                    assertThat(o.state()).as(e.toString()).isEqualTo(JobState.ENDED);
                    assertThat(o.endCause()).isIn(EndCause.EXITED, EndCause.SIGNALLED);
                }
                default -> assertThat(o.state()).as("no change of state: %s", e).isEqualTo(observe(before).state());
            }
        }
        System.out.println("[upstream-log] " + seen);
        // The two real jobs of the log: submitted, executing, then "Normal termination (return value 0)": success.
        for (String id : List.of("2758.000", "2759.000")) {
            JobObservation done = observe(ads.get(id));
            assertThat(done.succeeded()).as(id).isTrue();
            assertThat(done.exitCode()).isZero();
            assertThat(done.restarts()).as("started once").isZero();
        }
        assertThat(seen).as("the synthetic kinds are all there").anyMatch(l -> l.startsWith("004"))
                .anyMatch(l -> l.startsWith("009")).anyMatch(l -> l.startsWith("010"));
    }

    private static ObjectNode running(ObjectNode ad) {
        ad.put("JobStatus", HtcondorStates.RUNNING);
        ad.put("NumJobStarts", 1);
        return ad;
    }

    private static ObjectNode initialAd(String jobId) {
        ObjectNode ad = JSON.createObjectNode();
        String[] parts = jobId.split("\\.");
        ad.put("ClusterId", Math.abs(Integer.parseInt(parts[0])));
        ad.put("ProcId", Math.abs(Integer.parseInt(parts[1])));
        ad.put("JobStatus", HtcondorStates.IDLE);
        ad.put("HpcBridgeAttempt", "upstream-" + jobId);
        return ad;
    }

    private static JobObservation observe(ObjectNode ad) throws RemoteException {
        List<HtcondorJobAd> parsed = HtcondorOutput.parseAds("[" + ad + "]", "condor_history");
        assertThat(parsed).hasSize(1);
        return HtcondorStates.observation(parsed.get(0), true);
    }

    /** Records are a header line "NNN (cluster.proc.sub) date time text", body lines, then "...". */
    static List<Event> parse(String log) {
        List<Event> events = new ArrayList<>();
        String code = null;
        String jobId = null;
        StringBuilder body = new StringBuilder();
        for (String line : log.split("\n", -1)) {
            Matcher h = HEADER.matcher(line);
            if (code == null && h.matches()) {
                code = h.group(1);
                jobId = h.group(2) + "." + h.group(3);
                body.setLength(0);
                body.append(line).append('\n');
            } else if (code != null && line.equals("...")) {
                events.add(new Event(code, jobId, body.toString()));
                code = null;
            } else if (code != null) {
                body.append(line).append('\n');
            }
        }
        return events;
    }

    private static String resource(String path) throws IOException {
        try (InputStream in = HtcondorUpstreamEventLogTest.class.getClassLoader().getResourceAsStream(path)) {
            assertThat(in).as(path).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
