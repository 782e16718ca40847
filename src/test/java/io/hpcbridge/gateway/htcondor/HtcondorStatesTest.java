package io.hpcbridge.gateway.htcondor;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hpcbridge.gateway.EndCause;
import io.hpcbridge.gateway.Hold;
import io.hpcbridge.gateway.JobObservation;
import io.hpcbridge.gateway.JobState;
import io.hpcbridge.gateway.Observed;
import io.hpcbridge.gateway.RemoteException;
import io.hpcbridge.gateway.Transcript;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class HtcondorStatesTest {

    @ParameterizedTest
    @CsvSource({
            "1, QUEUED, Idle",
            "2, RUNNING, Running",
            "3, ENDED, Removed",
            "4, ENDED, Completed",
            "5, HELD, Held",
            "6, RUNNING, TransferringOutput",
            "7, SUSPENDED, Suspended",
            "0, UNKNOWN, JobStatus 0",
            "8, UNKNOWN, JobStatus 8",
            "99, UNKNOWN, JobStatus 99",
    })
    void mapsEveryJobStatus(int status, JobState state, String name) {
        assertThat(HtcondorStates.state(status)).isEqualTo(state);
        assertThat(HtcondorStates.nativeState(status)).isEqualTo(name);
    }

    @Test
    void anUnknownJobStatusIsNeverAnEnd() throws RemoteException {
        HtcondorJobAd ad = HtcondorOutput.parseAds("[{\"ClusterId\": 9, \"ProcId\": 0, \"JobStatus\": 8, \"ExitCode\": 0,"
                + " \"ExitBySignal\": false, \"NumJobStarts\": 1}]", "condor_q").get(0);
        JobObservation o = HtcondorStates.observation(ad, false);
        assertThat(o.state()).isEqualTo(JobState.UNKNOWN);
        assertThat(o.endCause()).isNull();
        assertThat(o.exitCode()).isNull();
        assertThat(ad.ended()).isFalse();
    }

    @ParameterizedTest
    @CsvSource(nullValues = "null", value = {
            // code, subcode, reason, kind, limit
            "1, 0, via condor_hold (by user hpcuser), USER, null",
            "1, 42, hpc-bridge: test hold with subcode (by user hpcuser), USER, null",
            "15, 0, submitted on hold, USER, null",
            "16, 0, Spooling input data files, USER, null",
            "34, 102, memory usage exceeded request_memory, LIMIT, MEMORY_LIMIT",
            "34, 104, disk usage exceeded request_disk, LIMIT, DISK_LIMIT",
            "34, 0, Docker job has gone over memory limit of 1024 Mb, LIMIT, MEMORY_LIMIT",
            "34, 0, out of something else, OTHER, null",
            "34, 7, memory, OTHER, null",
            "46, 0, The job exceeded allowed job duration of 00:05, LIMIT, TIME_LIMIT",
            "47, 0, The job exceeded allowed execute duration of 01:00:00, LIMIT, TIME_LIMIT",
            "26, 0, held by pool policy (HpcbTestPolicyHold), OTHER, null",
            "3, 7, hpcb periodic hold, OTHER, null",
            "3, 0, The job attribute OnExitHold expression '(ExitCode =!= 0)' evaluated to TRUE, OTHER, null",
            "12, 2, Transfer output files failure, OTHER, null",
            "13, 2, Transfer input files failure, OTHER, null",
            "14, 2, Error from slot1: Failed to open initialdir, OTHER, null",
            "21, 0, memory exceeded (startd policy), OTHER, null",
            "0, 0, Unspecified, OTHER, null",
            "null, null, null, OTHER, null",
    })
    void classifiesHolds(Integer code, Integer subcode, String reason, Hold.Kind kind, EndCause limit) {
        Instant since = Instant.ofEpochSecond(1796662684);
        Hold h = HtcondorStates.hold(code, subcode, reason, since);
        assertThat(h.kind()).isEqualTo(kind);
        assertThat(h.limit()).isEqualTo(limit);
        assertThat(h.code()).isEqualTo(code);
        assertThat(h.subcode()).isEqualTo(subcode);
        assertThat(h.reason()).isEqualTo(reason);
        assertThat(h.since()).isEqualTo(since);
    }

    /**
     * Every ad captured on the real pool, through the parser and the state map. Columns: transcript, index of the ad,
     * state, exit code, signal, hold (kind:code/subcode), restarts, a piece of the detail.
     */
    @ParameterizedTest(name = "{0}[{1}] → {2}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "21-q-idle                        | 0 | QUEUED                  | - | -  | -           | 0 | -",
            "21-q-idle-immediately-after-submit | 0 | QUEUED                | - | -  | -           | 0 | -",
            "22-q-running                     | 0 | RUNNING                 | - | -  | -           | 0 | -",
            // Held jobs keep the signal of the execution the hold killed (ExitBySignal true, ExitSignal 15): not an exit.
            "23-q-held                        | 0 | HELD                    | - | -  | USER:1/0    | 0 | held: via condor_hold (by user hpcuser) (code 1)",
            "24-q-held-reason                 | 0 | HELD                    | - | -  | USER:1/0    | 0 | held: hpc-bridge: test hold (by user hpcuser)",
            "24-q-held-reason-subcode         | 0 | HELD                    | - | -  | USER:1/42   | 0 | (code 1/42)",
            "25-q-held-policy                 | 0 | HELD                    | - | -  | OTHER:26/0  | 0 | held by pool policy (HpcbTestPolicyHold) (code 26)",
            "28-q-duration-exceeded           | 0 | HELD                    | - | -  | LIMIT:46/0  | 0 | allowed job duration",
            "2a-q-held-periodic-hold          | 0 | HELD                    | - | -  | OTHER:3/7   | 0 | hpcb periodic hold (code 3/7)",
            // on_exit_hold: ExitCode 3 is in the ad, but the job is held, not ended.
            "2b-q-held-on-exit-hold           | 0 | HELD                    | - | -  | OTHER:3/0   | 0 | OnExitHold",
            "26-q-suspended                   | 0 | SUSPENDED               | - | -  | -           | 0 | -",
            "27-q-removing                    | 0 | ENDED:REMOVED_EXTERNALLY | - | - | -           | 0 | removed by hpcuser: via condor_rm",
            // Released after a hold, idle again: the last hold is kept as a remark.
            "29-q-several                     | 4 | QUEUED                  | - | -  | -           | 0 | last held: via condor_hold (by user hpcuser) (code 1)",
            // Running with NumJobStarts still 0 (the schedd had not counted the start yet).
            "29-q-several                     | 11 | RUNNING                | - | -  | -           | 0 | -",
            "30-h-exit0                       | 0 | ENDED:EXITED            | 0 | -  | -           | 0 | -",
            "30-h-exit0-jsonl                 | 0 | ENDED:EXITED            | 0 | -  | -           | 0 | -",
            "31-h-exit3                       | 0 | ENDED:EXITED            | 3 | -  | -           | 0 | -",
            "32-h-kill9                       | 0 | ENDED:SIGNALLED         | - | 9  | -           | 0 | killed by signal 9",
            "33-h-killterm                    | 0 | ENDED:SIGNALLED         | - | 15 | -           | 0 | killed by signal 15",
            "34-h-rm                          | 0 | ENDED:REMOVED_EXTERNALLY | - | - | -           | 0 | removed by hpcuser: via condor_rm",
            // condor_rm -reason "hpc-bridge: stop": this operator's own cancel.
            "35-h-rm-reason                   | 0 | ENDED:CANCELLED         | - | -  | -           | 0 | cancelled by hpc-bridge (as user hpcuser)",
            "35-h-rm-reason-proc              | 0 | ENDED:CANCELLED         | - | -  | -           | 0 | cancelled by hpc-bridge",
            "36-h-held-removed                | 0 | ENDED:REMOVED_EXTERNALLY | - | - | -           | 0 | held before removal: via condor_hold (by user hpcuser) (code 1)",
            "36-h-held-subcode-removed        | 0 | ENDED:REMOVED_EXTERNALLY | - | - | -           | 0 | held before removal: hpc-bridge: test hold with subcode (by user hpcuser) (code 1/42)",
            // Held, released, ran again, exit 0: ExitSignal 15 of the first run is still in the ad, ExitBySignal false.
            "37-h-held-released-completed     | 0 | ENDED:EXITED            | 0 | -  | -           | 1 | via condor_hold",
            // Removed while held for its time limit: the limit is the end.
            "38-h-duration-removed            | 0 | ENDED:TIME_LIMIT        | - | -  | -           | 0 | removed by hpcuser: via condor_rm; held before removal: The job exceeded allowed job duration of 00:05 (code 46)",
            "3b-h-policy-held-removed         | 0 | ENDED:REMOVED_EXTERNALLY | - | - | -           | 0 | held before removal: held by pool policy (HpcbTestPolicyHold) (code 26)",
            // Removed while running: ExitCode 1 in the ad is not the script's exit.
            "3c-h-removing-trap               | 0 | ENDED:REMOVED_EXTERNALLY | - | - | -           | 0 | removed by hpcuser",
            // Held, released, started again, then removed while running: two starts.
            "3d-h-held-removed-several        | 0 | ENDED:REMOVED_EXTERNALLY | - | - | -           | 1 | held before removal: via condor_hold",
            "3d-h-held-removed-several        | 2 | ENDED:REMOVED_EXTERNALLY | - | - | -           | 0 | removed by hpcuser: via condor_rm",
            "3e-h-system-periodic-remove      | 0 | ENDED:REMOVED_EXTERNALLY | - | - | -           | 0 | removed: The system macro SYSTEM_PERIODIC_REMOVE expression",
            "3f-h-periodic-remove             | 0 | ENDED:REMOVED_EXTERNALLY | - | - | -           | 0 | removed: The job attribute PeriodicRemove expression",
            "3g-h-periodic-hold-removed       | 0 | ENDED:REMOVED_EXTERNALLY | - | - | -           | 0 | held before removal: hpcb periodic hold (code 3/7)",
            "3h-h-on-exit-hold-removed        | 0 | ENDED:REMOVED_EXTERNALLY | - | - | -           | 0 | OnExitHold",
    })
    void mapsRealAds(String name, int index, String state, Integer exitCode, Integer signal, String hold, Integer restarts,
            String detail) throws RemoteException {
        Transcript t = HtcondorOutputTest.real(name);
        boolean history = t.program().equals("condor_history");
        HtcondorJobAd ad = HtcondorOutput.parseAds(t.stdout(), t.program()).get(index);
        JobObservation o = HtcondorStates.observation(ad, history);

        assertThat(Observed.of(o)).isEqualTo(state);
        assertThat(o.jobId()).isEqualTo(ad.jobId());
        assertThat(o.fromHistory()).isEqualTo(history);
        assertThat(o.exitCode()).isEqualTo(exitCode);
        assertThat(o.signal()).isEqualTo(signal);
        assertThat(o.succeeded()).isEqualTo("ENDED:EXITED".equals(state) && exitCode == 0);
        if (hold == null) {
            assertThat(o.hold()).isNull();
        } else {
            Hold h = o.hold();
            assertThat(h.kind() + ":" + h.code() + "/" + h.subcode()).isEqualTo(hold);
            assertThat(h.reason()).isEqualTo(ad.holdReason());
            assertThat(h.since()).isEqualTo(ad.enteredCurrentStatus());
            if (h.kind() == Hold.Kind.LIMIT) {
                assertThat(h.limit()).isEqualTo(EndCause.TIME_LIMIT);
            }
        }
        assertThat(o.restarts()).isEqualTo(restarts);
        if (detail == null) {
            assertThat(o.detail()).isNull();
        } else {
            assertThat(o.detail()).contains(detail);
        }
        assertThat(o.submitTime()).isEqualTo(ad.qDate()).isNotNull();
        assertThat(o.startTime()).isEqualTo(ad.jobCurrentStartDate() != null ? ad.jobCurrentStartDate() : ad.jobStartDate());
        assertThat(o.endTime()).isEqualTo(ad.completionDate());
    }

    @Test
    void completedJobsHaveTheirTimes() throws RemoteException {
        HtcondorJobAd ad = HtcondorOutput.parseAds(HtcondorOutputTest.real("37-h-held-released-completed").stdout(), "h").get(0);
        JobObservation o = HtcondorStates.observation(ad, true);
        assertThat(o.submitTime()).isEqualTo(Instant.ofEpochSecond(1796662747));
        // The current (second) run's start, not the first one's.
        assertThat(o.startTime()).isEqualTo(Instant.ofEpochSecond(1796662762));
        assertThat(o.endTime()).isEqualTo(Instant.ofEpochSecond(1796662792));
        assertThat(o.nativeState()).isEqualTo("Completed");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "hpc-bridge: stop (by user hpcuser)     | true",
            "hpc-bridge: stop                       | true",
            "hpc-bridge: stopping for maintenance (by user root) | false",
            "via condor_rm (by user hpcuser)        | false",
            "The system macro SYSTEM_PERIODIC_REMOVE expression 'true' evaluated to TRUE | false",
    })
    void tellsOwnCancelsFromOthers(String reason, boolean own) {
        assertThat(HtcondorStates.ownCancel(reason)).isEqualTo(own);
        assertThat(HtcondorStates.ownCancel(null)).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "via condor_rm (by user hpcuser)  | removed by hpcuser: via condor_rm",
            "via condor_rm -forcex (by user alice) | removed by alice: via condor_rm -forcex",
            "maintenance window (by user root) | removed by root: maintenance window",
            "The job attribute PeriodicRemove expression 'true' evaluated to TRUE | removed: The job attribute PeriodicRemove expression 'true' evaluated to TRUE",
            "-                                | removed (no reason given)",
    })
    void saysWhoRemovedAJob(String reason, String expected) {
        assertThat(HtcondorStates.removedBy(reason)).isEqualTo(expected);
    }

    @Test
    void removalAfterAMemoryHoldIsAMemoryLimitUnlessItWasOurCancel() throws RemoteException {
        String theirs = "[{\"ClusterId\": 60, \"ProcId\": 0, \"JobStatus\": 3, \"LastJobStatus\": 5, \"LastHoldReasonCode\": 34,"
                + " \"LastHoldReasonSubCode\": 102, \"LastHoldReason\": \"memory usage exceeded request_memory\","
                + " \"RemoveReason\": \"via condor_rm (by user alice)\", \"ExitBySignal\": true, \"ExitSignal\": 9}]";
        JobObservation o = HtcondorStates.observation(HtcondorOutput.parseAds(theirs, "h").get(0), true);
        assertThat(Observed.of(o)).isEqualTo("ENDED:MEMORY_LIMIT");
        assertThat(o.signal()).isNull();
        String ours = theirs.replace("via condor_rm (by user alice)", "hpc-bridge: stop (by user alice)");
        assertThat(Observed.of(HtcondorStates.observation(HtcondorOutput.parseAds(ours, "h").get(0), true)))
                .isEqualTo("ENDED:CANCELLED");
        // Released from the memory hold, ran again, then removed by someone: not a limit any more.
        String released = theirs.replace("\"LastJobStatus\": 5", "\"LastJobStatus\": 2");
        assertThat(Observed.of(HtcondorStates.observation(HtcondorOutput.parseAds(released, "h").get(0), true)))
                .isEqualTo("ENDED:REMOVED_EXTERNALLY");
    }

    @Test
    void heldForDiskLimitFromJson() throws RemoteException {
        String held = "[{\"ClusterId\": 61, \"ProcId\": 3, \"JobStatus\": 5, \"HoldReasonCode\": 34, \"HoldReasonSubCode\": 104,"
                + " \"HoldReason\": \"disk usage exceeded request_disk\", \"EnteredCurrentStatus\": 1796662900, \"NumJobStarts\": 3}]";
        JobObservation o = HtcondorStates.observation(HtcondorOutput.parseAds(held, "q").get(0), false);
        assertThat(o.jobId()).isEqualTo("61.3");
        assertThat(o.hold().kind()).isEqualTo(Hold.Kind.LIMIT);
        assertThat(o.hold().limit()).isEqualTo(EndCause.DISK_LIMIT);
        assertThat(o.hold().since()).isEqualTo(Instant.ofEpochSecond(1796662900));
        assertThat(o.restarts()).isEqualTo(2);
    }

    // ---- HTCondor's own test data ---------------------------------------------------------------------------------

    /**
     * {@code src/condor_tests/python_bindings/test.old.ad} from htcondor/htcondor (Apache-2.0), a real job ad of a
     * spooled job, turned into the JSON condor_q prints and read like any answer.
     */
    @Test
    void upstreamOldAdOfASpooledJob() throws Exception {
        String json = oldAdToJson(resource("htcondor/upstream/test.old.ad"));
        List<HtcondorJobAd> ads = HtcondorOutput.parseAds(json, "condor_q");
        assertThat(ads).hasSize(1);
        HtcondorJobAd ad = ads.get(0);
        assertThat(ad.jobId()).isEqualTo("15.0");
        assertThat(ad.globalJobId()).isEqualTo("hcc-briantest.unl.edu#15.0#1357311627");
        assertThat(ad.holdReasonCode()).as("HoldReasonCode = undefined").isNull();
        assertThat(ad.holdReason()).as("HoldReason = undefined").isNull();
        assertThat(ad.lastHoldReasonCode()).isEqualTo(16);
        assertThat(ad.lastHoldReason()).isEqualTo("Spooling input data files");
        assertThat(ad.completionDate()).as("CompletionDate = 0").isNull();
        assertThat(ad.attempt()).isNull();

        JobObservation o = HtcondorStates.observation(ad, false);
        assertThat(Observed.of(o)).isEqualTo("QUEUED");
        assertThat(o.nativeState()).isEqualTo("Idle");
        assertThat(o.hold()).isNull();
        assertThat(o.restarts()).isZero();
        assertThat(o.detail()).isEqualTo("last held: Spooling input data files (code 16)");
        assertThat(o.submitTime()).isEqualTo(Instant.ofEpochSecond(1357311627));
        assertThat(o.startTime()).isNull();
        assertThat(o.endTime()).isNull();
        assertThat(o.exitCode()).isNull();

        // The same ad while it was still held for spooling: a USER hold, waited for.
        String held = json.replace("\"JobStatus\":1", "\"JobStatus\":5").replace("\"HoldReasonCode\":null", "\"HoldReasonCode\":16")
                .replace("\"HoldReason\":null", "\"HoldReason\":\"Spooling input data files\"");
        JobObservation h = HtcondorStates.observation(HtcondorOutput.parseAds(held, "condor_q").get(0), false);
        assertThat(h.hold().kind()).isEqualTo(Hold.Kind.USER);
        assertThat(h.hold().code()).isEqualTo(16);
        assertThat(h.hold().since()).isEqualTo(Instant.ofEpochSecond(1357311628));
    }

    /**
     * An old-ClassAd ad ({@code Name = value} per line) as {@code condor_q -json} writes it: integers, reals and
     * booleans as JSON values, strings as JSON strings, {@code undefined} as null, any other expression as
     * {@code "\/Expr(<expr>)\/"}.
     */
    static String oldAdToJson(String oldAd) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode ad = mapper.createObjectNode();
        for (String line : oldAd.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            int eq = line.indexOf(" = ");
            String name = line.substring(0, eq).strip();
            String value = line.substring(eq + 3).strip();
            if (value.matches("-?[0-9]+")) {
                ad.put(name, Long.parseLong(value));
            } else if (value.matches("-?[0-9]+\\.[0-9]*([eE][-+]?[0-9]+)?")) {
                ad.put(name, Double.parseDouble(value));
            } else if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
                ad.put(name, Boolean.parseBoolean(value.toLowerCase()));
            } else if (value.equalsIgnoreCase("undefined")) {
                ad.putNull(name);
            } else if (value.startsWith("\"") && value.endsWith("\"") && value.length() >= 2
                    && !value.substring(1, value.length() - 1).replace("\\\"", "").contains("\"")) {
                ad.put(name, value.substring(1, value.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\"));
            } else {
                ad.put(name, "/Expr(" + value + ")/");
            }
        }
        ArrayNode array = mapper.createArrayNode().add(ad);
        // The JSON writer escapes '/' as "\/" around expressions; Jackson reads both forms the same.
        return mapper.writeValueAsString(array).replace("\"/Expr(", "\"\\/Expr(").replace(")/\"", ")\\/\"");
    }

    private static String resource(String path) throws IOException {
        try (InputStream in = HtcondorStatesTest.class.getClassLoader().getResourceAsStream(path)) {
            assertThat(in).as(path).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
