package io.hpcbridge.gateway.slurm;

import io.hpcbridge.gateway.JobIdentity;
import io.hpcbridge.gateway.JobObservation;
import io.hpcbridge.gateway.RemoteException;
import io.hpcbridge.gateway.Observed;
import io.hpcbridge.gateway.SubmitOutcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SlurmOutputTest {

    private static final JobIdentity ID = new JobIdentity("hpcb.ns.a", "tok-1");

    // ---- squeue ----------------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"", "\n", "  \n\n", "\r\n"})
    void emptySqueueMeansNoJobs(String stdout) throws RemoteException {
        assertThat(SlurmOutput.parseSqueue(stdout)).isEmpty();
        assertThat(SlurmOutput.parseSqueue(null)).isEmpty();
    }

    static Stream<Arguments> squeueLines() {
        return Stream.of(
                // line, id, state, raw, detail, submit, start
                Arguments.of("101|PENDING|Resources|2026-11-23T11:22:33|N/A|tok-1|hpcb.ns.a",
                        "101", "QUEUED", "PENDING", "Resources", "2026-11-23T11:22:33Z", null),
                // A queued job's start time is a forecast: dropped.
                Arguments.of("102|PENDING|Priority|2026-11-23T11:22:33|2026-11-24T00:00:00|tok-1|hpcb.ns.a",
                        "102", "QUEUED", "PENDING", "Priority", "2026-11-23T11:22:33Z", null),
                Arguments.of("103|PENDING|JobHeldUser|2026-11-23T11:22:33|Unknown|tok-1|hpcb.ns.a",
                        "103", "QUEUED", "PENDING", "JobHeldUser", "2026-11-23T11:22:33Z", null),
                Arguments.of("104|RUNNING|None|2026-11-23T11:22:33|2026-11-23T11:23:00|tok-1|hpcb.ns.a",
                        "104", "RUNNING", "RUNNING", null, "2026-11-23T11:22:33Z", "2026-11-23T11:23:00Z"),
                Arguments.of("105|COMPLETING|None|2026-11-23T11:22:33|2026-11-23T11:23:00|tok-1|hpcb.ns.a",
                        "105", "RUNNING", "COMPLETING", null, "2026-11-23T11:22:33Z", "2026-11-23T11:23:00Z"),
                Arguments.of("106|COMPLETED|None|2026-11-23T11:22:33|2026-11-23T11:23:00|tok-1|hpcb.ns.a",
                        "106", "ENDED:EXITED", "COMPLETED", null, "2026-11-23T11:22:33Z", "2026-11-23T11:23:00Z"),
                Arguments.of("107|FAILED|NonZeroExitCode|2026-11-23T11:22:33|2026-11-23T11:23:00|tok-1|hpcb.ns.a",
                        "107", "ENDED:EXITED", "FAILED", "NonZeroExitCode", "2026-11-23T11:22:33Z", "2026-11-23T11:23:00Z"),
                Arguments.of("108|TIMEOUT|TimeLimit|2026-11-23T11:22:33|2026-11-23T11:23:00|tok-1|hpcb.ns.a",
                        "108", "ENDED:TIME_LIMIT", "TIMEOUT", "TimeLimit", "2026-11-23T11:22:33Z", "2026-11-23T11:23:00Z"),
                Arguments.of("109|CANCELLED|None|2026-11-23T11:22:33|None|tok-1|hpcb.ns.a",
                        "109", "ENDED:CANCELLED", "CANCELLED", null, "2026-11-23T11:22:33Z", null),
                Arguments.of("110_4|RUNNING|None|2026-11-23T11:22:33|2026-11-23T11:23:00||other",
                        "110_4", "RUNNING", "RUNNING", null, "2026-11-23T11:22:33Z", "2026-11-23T11:23:00Z"),
                Arguments.of("111_[1-3%2]|PENDING|JobArrayTaskLimit|2026-11-23T11:22:33|N/A||arr",
                        "111_[1-3%2]", "QUEUED", "PENDING", "JobArrayTaskLimit", "2026-11-23T11:22:33Z", null),
                Arguments.of("112+0|RUNNING|None|2026-11-23T11:22:33|2026-11-23T11:23:00||het",
                        "112+0", "RUNNING", "RUNNING", null, "2026-11-23T11:22:33Z", "2026-11-23T11:23:00Z"),
                Arguments.of("113|WEIRD_NEW_STATE|None|2026-11-23T11:22:33|N/A|tok-1|hpcb.ns.a",
                        "113", "UNKNOWN", "WEIRD_NEW_STATE", null, "2026-11-23T11:22:33Z", null),
                Arguments.of("114|CONFIGURING|None|2026-11-23T11:22:33|2026-11-23T11:23:00|tok-1|hpcb.ns.a",
                        "114", "QUEUED", "CONFIGURING", null, "2026-11-23T11:22:33Z", null));
    }

    @ParameterizedTest
    @MethodSource("squeueLines")
    void parsesSqueueLine(String line, String id, String state, String raw, String detail, String submit,
            String start) throws RemoteException {
        List<SlurmJobRecord> records = SlurmOutput.parseSqueue(line + "\n");
        assertThat(records).hasSize(1);
        JobObservation o = records.get(0).observation();
        assertThat(o.jobId()).isEqualTo(id);
        assertThat(Observed.of(o)).isEqualTo(state);
        assertThat(o.nativeState()).isEqualTo(raw);
        assertThat(o.detail()).isEqualTo(detail);
        assertThat(o.submitTime()).isEqualTo(submit == null ? null : Instant.parse(submit));
        assertThat(o.startTime()).isEqualTo(start == null ? null : Instant.parse(start));
        assertThat(o.endTime()).isNull();
        assertThat(o.exitCode()).isNull();
        assertThat(o.signal()).isNull();
        assertThat(o.fromHistory()).isFalse();
    }

    @Test
    void squeueKeepsNameAndComment() throws RemoteException {
        SlurmJobRecord r = SlurmOutput.parseSqueue("101|RUNNING|None|2026-11-23T11:22:33|N/A|tok-1|hpcb.ns.a").get(0);
        assertThat(r.name()).isEqualTo("hpcb.ns.a");
        assertThat(r.comment()).isEqualTo("tok-1");
        assertThat(r.owned()).isTrue();
        assertThat(r.belongsTo(ID)).isTrue();
    }

    @Test
    void timesUseTheGivenZone() throws RemoteException {
        SlurmJobRecord r = SlurmOutput.parseSqueue("101|RUNNING|None|2026-11-23T11:22:33|2026-11-23T12:00:00||x",
                ZoneId.of("Europe/Berlin")).get(0);
        assertThat(r.observation().submitTime()).isEqualTo(Instant.parse("2026-11-23T10:22:33Z"));
        assertThat(r.observation().startTime()).isEqualTo(Instant.parse("2026-11-23T11:00:00Z"));
    }

    @Test
    void parsesManySqueueLines() throws RemoteException {
        String out = """
                1|RUNNING|None|2026-11-23T11:22:33|2026-11-23T11:22:34|t1|hpcb.ns.a
                2|PENDING|Priority|2026-11-23T11:22:33|N/A|t2|hpcb.ns.b

                3|COMPLETED|None|2026-11-23T11:22:33|2026-11-23T11:22:34||someone-elses-job
                """;
        assertThat(SlurmOutput.parseSqueue(out)).extracting(SlurmJobRecord::jobId).containsExactly("1", "2", "3");
        assertThat(SlurmOutput.parseSqueue(out)).extracting(SlurmJobRecord::owned).containsExactly(true, true, false);
    }

    /** Other jobs of the user may carry '|' in their free-text comment or name: they go to comment, not garbled. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
            "1|RUNNING|None|2026-11-23T11:22:33|N/A|a|b|my job; a|b; my job",
            "1|RUNNING|None|2026-11-23T11:22:33|N/A|a|b|c|name; a|b|c; name",
            "1|RUNNING|None|2026-11-23T11:22:33|N/A||; ''; ''",
    })
    void extraSeparatorsGoToTheComment(String line, String comment, String name) throws RemoteException {
        SlurmJobRecord r = SlurmOutput.parseSqueue(line).get(0);
        assertThat(r.comment()).isEqualTo(comment);
        assertThat(r.name()).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "101|RUNNING|None|2026-11-23T11:22:33|N/A|tok-1",                // too few fields
            "101 RUNNING None",                                              // wrong separator
            "abc|RUNNING|None|2026-11-23T11:22:33|N/A|tok-1|hpcb.ns.a",      // non-numeric id
            "-1|RUNNING|None|2026-11-23T11:22:33|N/A|tok-1|hpcb.ns.a",       // option-like id
            "101.batch|RUNNING|None|2026-11-23T11:22:33|N/A|tok-1|hpcb.ns.a", // squeue prints no steps
            "|RUNNING|None|2026-11-23T11:22:33|N/A|tok-1|hpcb.ns.a",         // empty id
            "101|RUNNING|None|23/11/2026 11:22|N/A|tok-1|hpcb.ns.a",         // non-standard time
            "slurm_load_jobs error: Socket timed out on send/recv operation", // an error on stdout
    })
    void garbledSqueueThrows(String line) {
        String out = "1|RUNNING|None|2026-11-23T11:22:33|N/A|t|hpcb.ns.ok\n" + line + "\n";
        assertThatThrownBy(() -> SlurmOutput.parseSqueue(out))
                .isInstanceOf(RemoteException.class)
                .hasMessageContaining("garbled squeue");
    }

    // ---- sacct ------------------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"", "\n"})
    void emptySacctMeansNoRecords(String stdout) throws RemoteException {
        assertThat(SlurmOutput.parseSacct(stdout)).isEmpty();
    }

    static Stream<Arguments> sacctLines() {
        return Stream.of(
                // line, state, raw, exitCode, signal, detail
                Arguments.of("200|COMPLETED|0:0|2026-11-23T11:00:00|2026-11-23T11:01:00|2026-11-23T11:02:00|00:01:00||c1|None|tok-1|hpcb.ns.a",
                        "ENDED:EXITED", "COMPLETED", 0, null, "nodes c1"),
                Arguments.of("200|FAILED|3:0|2026-11-23T11:00:00|2026-11-23T11:01:00|2026-11-23T11:02:00|00:01:00||c1|None|tok-1|hpcb.ns.a",
                        "ENDED:EXITED", "FAILED", 3, null, "nodes c1"),
                Arguments.of("200|COMPLETED|3:0|2026-11-23T11:00:00|2026-11-23T11:01:00|2026-11-23T11:02:00|00:01:00||c1|None|tok-1|hpcb.ns.a",
                        "ENDED:EXITED", "COMPLETED", 3, null, "nodes c1"),
                Arguments.of("200|FAILED|137:0|2026-11-23T11:00:00|2026-11-23T11:01:00|2026-11-23T11:02:00|00:01:00||c1|None|tok-1|hpcb.ns.a",
                        "ENDED:EXITED", "FAILED", 137, null, "nodes c1"),
                Arguments.of("200|FAILED|0:9|2026-11-23T11:00:00|2026-11-23T11:01:00|2026-11-23T11:02:00|00:01:00||c1|None|tok-1|hpcb.ns.a",
                        "ENDED:SIGNALLED", "FAILED", null, 9, "nodes c1"),
                Arguments.of("200|CANCELLED by 1001|0:15|2026-11-23T11:00:00|2026-11-23T11:01:00|2026-11-23T11:02:00|00:01:00||c1|None|tok-1|hpcb.ns.a",
                        "ENDED:CANCELLED", "CANCELLED by 1001", null, 15, "cancelled by uid 1001; nodes c1"),
                Arguments.of("200|CANCELLED by 0|0:0|2026-11-23T11:00:00|None|2026-11-23T11:02:00|00:00:00||None assigned|None|tok-1|hpcb.ns.a",
                        "ENDED:CANCELLED", "CANCELLED by 0", 0, null, "cancelled by uid 0"),
                Arguments.of("200|TIMEOUT|0:15|2026-11-23T11:00:00|2026-11-23T11:01:00|2026-11-23T11:02:00|00:01:00||c1|None|tok-1|hpcb.ns.a",
                        "ENDED:TIME_LIMIT", "TIMEOUT", null, 15, "nodes c1"),
                Arguments.of("200|OUT_OF_MEMORY|0:125|2026-11-23T11:00:00|2026-11-23T11:01:00|2026-11-23T11:02:00|00:01:00|2048K|c1|None|tok-1|hpcb.ns.a",
                        "ENDED:MEMORY_LIMIT", "OUT_OF_MEMORY", null, 125, "nodes c1; max RSS 2048K"),
                Arguments.of("200|NODE_FAIL|1:0|2026-11-23T11:00:00|2026-11-23T11:01:00|2026-11-23T11:02:00|00:01:00||c[1-2]|NodeDown|tok-1|hpcb.ns.a",
                        "ENDED:NODE_FAILURE", "NODE_FAIL", 1, null, "nodes c[1-2]; reason NodeDown"),
                Arguments.of("200|PREEMPTED|0:15|2026-11-23T11:00:00|2026-11-23T11:01:00|2026-11-23T11:02:00|00:01:00||c1|None|tok-1|hpcb.ns.a",
                        "ENDED:PREEMPTED", "PREEMPTED", null, 15, "nodes c1"),
                Arguments.of("200|BOOT_FAIL|0:0|2026-11-23T11:00:00|2026-11-23T11:01:00|2026-11-23T11:02:00|00:01:00||c1|None|tok-1|hpcb.ns.a",
                        "ENDED:BOOT_FAILURE", "BOOT_FAIL", 0, null, "nodes c1"),
                Arguments.of("200|DEADLINE|0:0|2026-11-23T11:00:00|Unknown|2026-11-23T11:02:00|00:00:00||None assigned|None|tok-1|hpcb.ns.a",
                        "ENDED:DEADLINE", "DEADLINE", 0, null, null),
                Arguments.of("200|PENDING|0:0|2026-11-23T11:00:00|Unknown|Unknown|00:00:00||None assigned|None|tok-1|hpcb.ns.a",
                        "QUEUED", "PENDING", 0, null, null),
                Arguments.of("200|RUNNING|0:0|2026-11-23T11:00:00|2026-11-23T11:01:00|Unknown|00:01:00||c1|None|tok-1|hpcb.ns.a",
                        "RUNNING", "RUNNING", 0, null, "nodes c1"),
                Arguments.of("200|REQUEUED|0:0|2026-11-23T11:00:00|2026-11-23T11:01:00|Unknown|00:01:00||c1|BeginTime|tok-1|hpcb.ns.a",
                        "QUEUED", "REQUEUED", 0, null, "nodes c1; reason BeginTime"),
                Arguments.of("200|REVOKED|0:0|2026-11-23T11:00:00|Unknown|Unknown|00:00:00||None assigned|None|tok-1|hpcb.ns.a",
                        "UNKNOWN", "REVOKED", 0, null, null),
                Arguments.of("200|SOMETHING_NEW|0:0|2026-11-23T11:00:00|Unknown|Unknown|00:00:00||None assigned|None|tok-1|hpcb.ns.a",
                        "UNKNOWN", "SOMETHING_NEW", 0, null, null));
    }

    @ParameterizedTest
    @MethodSource("sacctLines")
    void parsesSacctLine(String line, String state, String raw, Integer exitCode, Integer signal, String detail)
            throws RemoteException {
        List<SlurmJobRecord> records = SlurmOutput.parseSacct(line);
        assertThat(records).hasSize(1);
        SlurmJobRecord r = records.get(0);
        JobObservation o = r.observation();
        assertThat(o.jobId()).isEqualTo("200");
        assertThat(r.name()).isEqualTo("hpcb.ns.a");
        assertThat(r.comment()).isEqualTo("tok-1");
        assertThat(Observed.of(o)).isEqualTo(state);
        assertThat(o.nativeState()).isEqualTo(raw);
        assertThat(o.exitCode()).isEqualTo(exitCode);
        assertThat(o.signal()).isEqualTo(signal);
        assertThat(o.detail()).isEqualTo(detail);
        assertThat(o.fromHistory()).isTrue();
        assertThat(o.submitTime()).isEqualTo(Instant.parse("2026-11-23T11:00:00Z"));
    }

    @Test
    void sacctTimes() throws RemoteException {
        JobObservation o = SlurmOutput.parseSacct(
                "200|COMPLETED|0:0|2026-11-23T11:00:00|2026-11-23T11:01:00|2026-11-23T11:02:00|00:01:00||c1|None||hpcb.ns.a")
                .get(0).observation();
        assertThat(o.startTime()).isEqualTo(Instant.parse("2026-11-23T11:01:00Z"));
        assertThat(o.endTime()).isEqualTo(Instant.parse("2026-11-23T11:02:00Z"));
        JobObservation pending = SlurmOutput.parseSacct(
                "201|PENDING|0:0|2026-11-23T11:00:00|Unknown|Unknown|00:00:00||None assigned|None||hpcb.ns.a")
                .get(0).observation();
        assertThat(pending.startTime()).isNull();
        assertThat(pending.endTime()).isNull();
    }

    @Test
    void stepLinesAreDroppedButBatchExitFillsAMissingAllocationExit() throws RemoteException {
        String out = """
                300|COMPLETED||2026-11-23T11:00:00|2026-11-23T11:01:00|2026-11-23T11:02:00|00:01:00||c1|None|tok-1|hpcb.ns.a
                300.batch|COMPLETED|2:0|2026-11-23T11:01:00|2026-11-23T11:01:00|2026-11-23T11:02:00|00:01:00|1024K|c1|0||batch
                300.extern|COMPLETED|0:0|2026-11-23T11:01:00|2026-11-23T11:01:00|2026-11-23T11:02:00|00:01:00|0|c1|0||extern
                300.0|FAILED|1:0|2026-11-23T11:01:00|2026-11-23T11:01:00|2026-11-23T11:02:00|00:01:00|0|c1|0||python
                301|COMPLETED|0:0|2026-11-23T11:00:00|2026-11-23T11:01:00|2026-11-23T11:02:00|00:01:00||c1|None|tok-2|hpcb.ns.b
                301.batch|COMPLETED|5:0|2026-11-23T11:01:00|2026-11-23T11:01:00|2026-11-23T11:02:00|00:01:00||c1|0||batch
                """;
        List<SlurmJobRecord> records = SlurmOutput.parseSacct(out);
        assertThat(records).extracting(SlurmJobRecord::jobId).containsExactly("300", "301");
        // 300: no allocation exit code → the batch step's 2:0 → COMPLETED is not success.
        assertThat(records.get(0).observation().exitCode()).isEqualTo(2);
        assertThat(Observed.of(records.get(0).observation())).isEqualTo("ENDED:EXITED");
        assertThat(records.get(0).observation().succeeded()).isFalse();
        // 301: the allocation line has its own exit code, which wins.
        assertThat(records.get(1).observation().exitCode()).isEqualTo(0);
        assertThat(Observed.of(records.get(1).observation())).isEqualTo("ENDED:EXITED");
        assertThat(records.get(1).observation().succeeded()).isTrue();
    }

    @Test
    void arrayAndHetIdsAreKeptRaw() throws RemoteException {
        String out = """
                400_7|COMPLETED|0:0|2026-11-23T11:00:00|2026-11-23T11:01:00|2026-11-23T11:02:00|00:01:00||c1|0||arr
                401_[1-3]|PENDING|0:0|2026-11-23T11:00:00|Unknown|Unknown|00:00:00||None assigned|0||arr
                402+1|RUNNING|0:0|2026-11-23T11:00:00|2026-11-23T11:01:00|Unknown|00:01:00||c1|0||het
                """;
        assertThat(SlurmOutput.parseSacct(out)).extracting(SlurmJobRecord::jobId).containsExactly("400_7", "401_[1-3]", "402+1");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "200|COMPLETED|0:0|2026-11-23T11:00:00|2026-11-23T11:01:00|2026-11-23T11:02:00|00:01:00||c1|0|tok-1",   // 11 fields
            "200|COMPLETED|0:0|2026-11-23T11:00:00",                                                                  // 4 fields
            "x200|COMPLETED|0:0|2026-11-23T11:00:00|2026-11-23T11:01:00|2026-11-23T11:02:00|00:01:00||c1|0|t|n",     // id
            "200|COMPLETED|zero|2026-11-23T11:00:00|2026-11-23T11:01:00|2026-11-23T11:02:00|00:01:00||c1|0|t|n",     // exit
            "200|COMPLETED|0|2026-11-23T11:00:00|2026-11-23T11:01:00|2026-11-23T11:02:00|00:01:00||c1|0|t|n",        // exit
            "200.batch|COMPLETED|x:y|2026-11-23T11:00:00|2026-11-23T11:01:00|2026-11-23T11:02:00|00:01:00||c1|0|t|n", // step exit
            "200|COMPLETED|0:0|yesterday|2026-11-23T11:01:00|2026-11-23T11:02:00|00:01:00||c1|0|t|n",                // time
            "sacct: error: Problem talking to the database: Connection refused",
    })
    void garbledSacctThrows(String line) {
        assertThatThrownBy(() -> SlurmOutput.parseSacct(line))
                .isInstanceOf(RemoteException.class)
                .hasMessageContaining("garbled sacct");
    }

    // ---- job-id reuse guard ----------------------------------------------------------------------------------

    @ParameterizedTest(name = "name={0} comment={1} -> {2}")
    @CsvSource({
            "hpcb.ns.a,     tok-1, true",   // exact
            "hpcb.ns.a,     '',    true",   // accounting without comments: the name must do
            "hpcb.ns.a,     tok-0, false",  // same name, earlier attempt's token
            "hpcb.ns.other, tok-1, false",  // id reused by another job
            "hpcb.ns.other, '',    false",
            "hpcb.ns.a2,    tok-1, false",  // prefix is not equality
            "HPCB.NS.A,     tok-1, false",
    })
    void reuseGuard(String name, String comment, boolean belongs) throws RemoteException {
        String line = "200|COMPLETED|0:0|2026-11-23T11:00:00|2026-11-23T11:01:00|2026-11-23T11:02:00|00:01:00||c1|0|"
                + comment + "|" + name;
        assertThat(SlurmOutput.parseSacct(line).get(0).belongsTo(ID)).isEqualTo(belongs);
        String q = "200|RUNNING|None|2026-11-23T11:00:00|N/A|" + comment + "|" + name;
        assertThat(SlurmOutput.parseSqueue(q).get(0).belongsTo(ID)).isEqualTo(belongs);
    }

    // ---- sbatch, scancel, version ----------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
            "12345;                                12345",
            "12345\\n;                             12345",
            "'12345;cluster1';                     12345",
            "Submitted batch job 12345;            12345",
            "Submitted batch job 12345 on cluster c1; 12345",
            "'  12345  ';                          12345",
            "sbatch: note: using default account\\n777; 777",
    })
    void submittedJobId(String stdout, String id) {
        assertThat(SlurmOutput.parseSubmittedJobId(stdout.replace("\\n", "\n"))).contains(id);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "\n", "Submitted", "job 12345 queued", "12345abc", "-12345", "12 345", "abc;cluster"})
    void noSubmittedJobId(String stdout) {
        assertThat(SlurmOutput.parseSubmittedJobId(stdout)).isEqualTo(Optional.empty());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "sbatch: error: Batch job submission failed: Socket timed out on send/recv operation",
            "sbatch: error: Batch job submission failed: Resource temporarily unavailable",
            "sbatch: error: Unable to contact slurm controller (connect failure)",
            "sbatch: error: Batch job submission failed: Unexpected message received",
            "sbatch: error: Slurm temporarily unable to accept job, sleeping and retrying",
            "sbatch: error: slurm_receive_msg: Transport endpoint is not connected",
            "sbatch: error: Batch job submission failed: Zero Bytes were transmitted or received",
            "sbatch: error: please try again later",
    })
    void transientSubmitFailures(String stderr) {
        assertThat(SlurmOutput.classifySubmitFailure(1, stderr, "")).isEqualTo(new SubmitOutcome.TryLater(stderr));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "sbatch: error: Batch job submission failed: Invalid account or account/partition combination specified",
            "sbatch: error: invalid partition specified: nope",
            "sbatch: error: Batch job submission failed: Requested node configuration is not available",
            "sbatch: error: Batch job submission failed: Job violates accounting/QOS policy (job submit limit, user's size and/or time limits)",
            "sbatch: error: Unable to open file /w/job.sh",
            "bash: sbatch: command not found",
    })
    void permanentSubmitFailures(String stderr) {
        assertThat(SlurmOutput.classifySubmitFailure(1, "\n" + stderr + "\n", ""))
                .isEqualTo(new SubmitOutcome.Rejected(stderr));
    }

    @Test
    void rejectionMessageIsBoundedAndNeverEmpty() {
        String huge = "sbatch: error: " + "ü".repeat(10_000);
        SubmitOutcome o = SlurmOutput.classifySubmitFailure(1, huge, "");
        assertThat(o).isInstanceOf(SubmitOutcome.Rejected.class);
        String msg = ((SubmitOutcome.Rejected) o).message();
        assertThat(msg.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(SlurmOutput.MAX_MESSAGE_BYTES);
        assertThat(msg).startsWith("sbatch: error: ü").endsWith("…");

        assertThat(SlurmOutput.classifySubmitFailure(2, "", "")).isEqualTo(new SubmitOutcome.Rejected("sbatch exited with status 2"));
        assertThat(SlurmOutput.classifySubmitFailure(2, " ", "on stdout")).isEqualTo(new SubmitOutcome.Rejected("on stdout"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = ';', value = {
            "scancel: error: Kill job error on job id 5: Invalid job id specified; true",
            "scancel: error: Kill job error on job id 5: Job/step already completing or completed; true",
            "scancel: error: Kill job error on job id 5: Invalid job id specified\\nscancel: error: Kill job error on job id 6: Job/step already completing or completed; true",
            "scancel: error: Kill job error on job id 5: Invalid job id specified\\nscancel: error: Kill job error on job id 6: Access/permission denied; false",
            "scancel: error: Kill job error on job id 5: Access/permission denied; false",
            "scancel: error: Unable to contact slurm controller (connect failure); false",
            "'';                                                                   false",
    })
    void benignCancelFailures(String stderr, boolean benign) {
        assertThat(SlurmOutput.isBenignCancelFailure(stderr.replace("\\n", "\n"))).isEqualTo(benign);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "slurm 22.05.8,       22.05.8",
            "'  slurm 23.11.4  ', 23.11.4",
            "slurm-wlm 21.08.5,   21.08.5",
            "slurm 24.05.0-0rc1,  24.05.0-0rc1",
    })
    void version(String stdout, String version) throws RemoteException {
        assertThat(SlurmOutput.parseVersion(stdout)).isEqualTo(version);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "sbatch: command not found", "22.05.8"})
    void garbledVersionThrows(String stdout) {
        assertThatThrownBy(() -> SlurmOutput.parseVersion(stdout)).isInstanceOf(RemoteException.class);
    }
}
