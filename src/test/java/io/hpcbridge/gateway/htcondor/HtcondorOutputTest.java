package io.hpcbridge.gateway.htcondor;

import io.hpcbridge.gateway.RemoteException;
import io.hpcbridge.gateway.SubmitOutcome;
import io.hpcbridge.gateway.Transcript;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Parsers against output captured on a real HTCondor 23.9.6 pool (src/test/resources/htcondor/real). */
class HtcondorOutputTest {

    static Transcript real(String name) {
        return Transcript.load("htcondor/real/" + name + ".txt");
    }

    // ---- the transcripts themselves -----------------------------------------------------------------------------

    @Test
    void transcriptLoaderKeepsSectionsVerbatim() {
        Transcript t = real("11-submit-two-queue");
        assertThat(t.command()).isEqualTo("condor_submit -terse /home/hpcuser/hpcb-work/cap/twoqueue/submit.sub");
        assertThat(t.program()).isEqualTo("condor_submit");
        assertThat(t.exitStatus()).isZero();
        assertThat(t.stdout()).isEqualTo("8.0 - 8.1\n");
        assertThat(t.stderr()).startsWith("\nWarning: Use of multiple queue statements").endsWith("convert-multi-queue-statements\n");
        Transcript empty = real("20-q-no-match");
        assertThat(empty.stdout()).isEmpty();
        assertThat(empty.stderr()).isEmpty();
        assertThat(real("12-submit-schedd-down").exitStatus()).isEqualTo(1);
    }

    // ---- condor_q / condor_history JSON ---------------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource({
            // transcript, ads: condor_q prints nothing when no job matches, condor_history -json prints "[" and "]".
            "20-q-no-match, 0",
            "39-h-no-match, 0",
            "39-h-no-match-jsonl, 0",
            "21-q-idle, 1",
            "23-q-held, 1",
            "29-q-several, 13",
            "30-h-exit0, 1",
            "30-h-exit0-jsonl, 1",
            "3a-h-several, 6",
            "3a-h-several-jsonl, 6",
            "3d-h-held-removed-several, 3",
            "41-schedd-down-condor_history, 2",
            "46-schedd-down-condor_history-jsonl, 2",
    })
    void parsesRealAnswers(String name, int count) throws RemoteException {
        Transcript t = real(name);
        assertThat(t.exitStatus()).isZero();
        assertThat(HtcondorOutput.parseAds(t.stdout(), t.program())).hasSize(count);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "\n", "  \n\n", "[\n]\n", "[]"})
    void emptyAnswersMeanNoJobs(String stdout) throws RemoteException {
        assertThat(HtcondorOutput.parseAds(stdout, "condor_q")).isEmpty();
        assertThat(HtcondorOutput.parseAds(null, "condor_q")).isEmpty();
    }

    @Test
    void jsonAndJsonlGiveTheSameAds() throws RemoteException {
        assertThat(HtcondorOutput.parseAds(real("3a-h-several-jsonl").stdout(), "condor_history"))
                .isEqualTo(HtcondorOutput.parseAds(real("3a-h-several").stdout(), "condor_history"));
    }

    @Test
    void readsEveryAttributeOfAnAd() throws RemoteException {
        HtcondorJobAd ad = HtcondorOutput.parseAds(real("23-q-held").stdout(), "condor_q").get(0);
        assertThat(ad.jobId()).isEqualTo("28.0");
        assertThat(ad.jobStatus()).isEqualTo(5);
        assertThat(ad.lastJobStatus()).isEqualTo(2);
        assertThat(ad.globalJobId()).isEqualTo("vm#28.0#1796662656");
        assertThat(ad.enteredCurrentStatus()).isEqualTo(Instant.ofEpochSecond(1796662684));
        assertThat(ad.qDate()).isEqualTo(Instant.ofEpochSecond(1796662656));
        assertThat(ad.jobStartDate()).isEqualTo(Instant.ofEpochSecond(1796662658));
        assertThat(ad.jobCurrentStartDate()).isEqualTo(Instant.ofEpochSecond(1796662658));
        assertThat(ad.completionDate()).isNull();
        assertThat(ad.numJobStarts()).isEqualTo(1);
        assertThat(ad.numHolds()).isEqualTo(1);
        assertThat(ad.holdReasonCode()).isEqualTo(1);
        assertThat(ad.holdReasonSubCode()).isZero();
        assertThat(ad.holdReason()).isEqualTo("via condor_hold (by user hpcuser)");
        assertThat(ad.lastHoldReasonCode()).isNull();
        assertThat(ad.exitCode()).isNull();
        assertThat(ad.exitBySignal()).isTrue();
        assertThat(ad.exitSignal()).isEqualTo(15);
        assertThat(ad.removeReason()).isNull();
        assertThat(ad.vacateReasonCode()).isZero();
        assertThat(ad.vacateReason()).isEmpty();
        assertThat(ad.instance()).isEqualTo("hpcb-capture");
        assertThat(ad.attempt()).isEqualTo("887826b8-9408-4596-a545-2dc2902b9d90");
        assertThat(ad.name()).isEqualTo("hpcb.capture.held");
    }

    @Test
    void procIdsOfOneClusterAreSeparateJobs() throws RemoteException {
        List<HtcondorJobAd> ads = HtcondorOutput.parseAds(real("3a-h-several").stdout(), "condor_history");
        // Newest record first; the two-queue cluster 8 has procs 0 and 1.
        assertThat(ads).extracting(HtcondorJobAd::jobId).containsExactly("8.1", "7.0", "8.0", "6.0", "5.0", "4.0");
    }

    @Test
    void undefinedAndExpressionsAreUnknownValues() throws RemoteException {
        String out = """
                [
                {
                  "ClusterId": 7, "ProcId": 0, "JobStatus": 4,
                  "ExitCode": "\\/Expr(error)\\/",
                  "ExitBySignal": null,
                  "ExitSignal": "\\/Expr(undefined)\\/",
                  "HoldReason": "\\/Expr(strcat(\\"a\\", \\"b\\"))\\/",
                  "CompletionDate": 0,
                  "QDate": "\\/Expr(time())\\/"
                }
                ]
                """;
        HtcondorJobAd ad = HtcondorOutput.parseAds(out, "condor_q").get(0);
        assertThat(ad.exitCode()).isNull();
        assertThat(ad.exitBySignal()).isNull();
        assertThat(ad.exitSignal()).isNull();
        assertThat(ad.holdReason()).isNull();
        assertThat(ad.completionDate()).as("0 is HTCondor's 'not yet'").isNull();
        assertThat(ad.qDate()).isNull();
        assertThat(ad.attempt()).isNull();
    }

    static Stream<String> garbledAds() {
        String full = real("29-q-several").stdout();
        return Stream.of(
                full.substring(0, full.length() / 2),                          // truncated in the middle of an ad
                full.substring(0, full.lastIndexOf(']')),                      // truncated before the closing bracket
                full + "{\"ClusterId\": 1}",                                   // text after the array
                "[{\"ClusterId\": \"24\", \"ProcId\": 0, \"JobStatus\": 1}]", // wrong type: id as a string
                "[{\"ClusterId\": 24, \"ProcId\": 0}]",                        // JobStatus missing
                "[{\"ClusterId\": 24, \"ProcId\": 0, \"JobStatus\": 2.5}]",    // not an integer
                "[{\"ClusterId\": -1, \"ProcId\": 0, \"JobStatus\": 1}]",      // negative id
                "[{\"ClusterId\": 24, \"ProcId\": 0, \"JobStatus\": 4, \"ExitBySignal\": \"no\"}]",
                "[{\"ClusterId\": 24, \"ProcId\": 0, \"JobStatus\": 4, \"ExitCode\": true}]",
                "[{\"ClusterId\": 24, \"ProcId\": 0, \"JobStatus\": 1, \"QDate\": -5}]",
                "[{\"ClusterId\": 24, \"ProcId\": 0, \"JobStatus\": 1, \"HoldReason\": 7}]",
                "[{\"ClusterId\": 24, \"ProcId\": 0, \"JobStatus\": 1, \"JobStatus\": 2}]", // duplicate key
                "[1, 2]",
                "[[]]",
                "{\"ClusterId\": 24, \"ProcId\": 0, \"JobStatus\": 1}\n[]",
                "-- Failed to fetch ads from: <127.0.0.1:9619?addrs=127.0.0.1-9619&alias=vm&noUDP&sock=schedd_30062_9c2a> : vm",
                // The human table must never be read.
                """
                -- Submitter: 00979579dea7 : <10.0.0.17:9886?sock=58_3011_5> : 00979579dea7
                 ID      OWNER            SUBMITTED     RUN_TIME ST PRI SIZE CMD
                  20.0   submit          4/10 17:11   0+00:00:14 R  0   0.0  job.sh
                """,
                "null");
    }

    @ParameterizedTest
    @MethodSource("garbledAds")
    void garbledAnswersThrowWhole(String stdout) {
        assertThatThrownBy(() -> HtcondorOutput.parseAds(stdout, "condor_q"))
                .isInstanceOf(RemoteException.class)
                .hasMessageStartingWith("garbled condor_q output");
    }

    @Test
    void garbledMessagesAreBounded() {
        String huge = "[{\"ClusterId\": 1, \"ProcId\": 0, \"JobStatus\": 1, \"HoldReason\": 7, \"x\": \"" + "ü".repeat(10_000) + "\"}]";
        assertThatThrownBy(() -> HtcondorOutput.parseAds(huge, "condor_q"))
                .satisfies(e -> assertThat(e.getMessage().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(4200));
    }

    // ---- condor_submit -terse -------------------------------------------------------------------------------------

    @Test
    void terseSubmitOutputGivesOneIdPerProc() throws RemoteException {
        assertThat(HtcondorOutput.parseTerse(real("10-submit-terse").stdout())).containsExactly("4.0");
        assertThat(HtcondorOutput.parseTerse(real("11-submit-two-queue").stdout())).containsExactly("8.0", "8.1");
        assertThat(HtcondorOutput.parseTerse("12.0 - 12.2\n13.0 - 13.0\n")).containsExactly("12.0", "12.1", "12.2", "13.0");
        assertThat(HtcondorOutput.parseTerse("")).isEmpty();
    }

    @Test
    void terseSubmitFromStdinAndAfterAHungScheddPrintsTheSameLine() throws RemoteException {
        assertThat(HtcondorOutput.parseTerse(real("15-submit-stdin").stdout())).containsExactly("1.0");
        assertThat(HtcondorOutput.parseTerse(real("48-schedd-hung-condor_submit").stdout())).containsExactly("54.0");
    }

    /** The complete history ad of the exit-0 job, as JSON (nested ToE, expressions) and as -l: the same job. */
    @Test
    void aFullAdReadsLikeTheSameAdWithOurAttributes() throws Exception {
        HtcondorJobAd full = HtcondorOutput.parseAds(real("61-h-json-full-completed").stdout(), "condor_history").get(0);
        HtcondorJobAd ours = HtcondorOutput.parseAds(real("30-h-exit0").stdout(), "condor_history").get(0);
        assertThat(full).isEqualTo(ours);
        HtcondorJobAd longForm = HtcondorOutput.parseAds(HtcondorStatesTest.oldAdToJson(real("60-h-long-completed").stdout()),
                "condor_history").get(0);
        assertThat(longForm).isEqualTo(ours);
    }

    /**
     * max_retries = 0 (in every captured submit file) is what makes one attempt one execution: HTCondor turns it into
     * JobMaxRetries 0 and an OnExitRemove that is true after the first completion, whatever the exit code.
     */
    @Test
    void maxRetriesZeroRemovesTheJobAfterItsFirstCompletion() throws Exception {
        var ad = new com.fasterxml.jackson.databind.ObjectMapper().readTree(real("61-h-json-full-completed").stdout()).get(0);
        assertThat(ad.get("JobMaxRetries").intValue()).isZero();
        assertThat(ad.get("OnExitRemove").textValue()).isEqualTo("/Expr(NumJobCompletions > JobMaxRetries || ExitCode is 0)/");
        assertThat(ad.get("NumJobCompletions").intValue()).isEqualTo(1);
        // exit 3 with the same submit file: completed (JobStatus 4) after one start, not run again.
        HtcondorJobAd exit3 = HtcondorOutput.parseAds(real("31-h-exit3").stdout(), "condor_history").get(0);
        assertThat(exit3.jobStatus()).isEqualTo(4);
        assertThat(exit3.numJobStarts()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "Submitting job(s).\n1 job(s) submitted to cluster 4.",
            "4.0 - 5.0",
            "4.3 - 4.1",
            "4.0 -",
            "4 - 4",
            "4.0 - 4.0 extra"})
    void garbledTerseOutputThrows(String stdout) {
        assertThatThrownBy(() -> HtcondorOutput.parseTerse(stdout)).isInstanceOf(RemoteException.class);
    }

    static Stream<Arguments> submitFailures() {
        return Stream.of(
                Arguments.of(real("12-submit-schedd-down").stderr(), SubmitOutcome.TryLater.class),
                Arguments.of(real("13-submit-syntax-error").stderr(), SubmitOutcome.Rejected.class),
                Arguments.of(real("14-submit-bad-requirements").stderr(), SubmitOutcome.Rejected.class),
                Arguments.of("\nERROR: Failed to commit job submission into the queue.\n", SubmitOutcome.Unconfirmed.class),
                Arguments.of("\nERROR: Failed to connect to local queue manager\n", SubmitOutcome.TryLater.class),
                Arguments.of(real("47-schedd-hung-condor_q").stderr(), SubmitOutcome.TryLater.class),
                Arguments.of("ERROR: Executable file /w/job.sh does not exist\n", SubmitOutcome.Rejected.class),
                Arguments.of("", SubmitOutcome.Rejected.class));
    }

    @ParameterizedTest
    @MethodSource("submitFailures")
    void classifiesSubmitFailures(String stderr, Class<? extends SubmitOutcome> expected) {
        SubmitOutcome outcome = HtcondorOutput.classifySubmitFailure(1, stderr, "");
        assertThat(outcome).isInstanceOf(expected);
    }

    @Test
    void rejectionCarriesCondorSubmitsMessage() {
        SubmitOutcome o = HtcondorOutput.classifySubmitFailure(1, real("14-submit-bad-requirements").stderr(), "");
        assertThat(((SubmitOutcome.Rejected) o).message()).startsWith("ERROR: Parse error in expression:")
                .contains("TARGET.Memory >= 100 &&& ()");
    }

    // ---- condor_rm / condor_hold / condor_release -----------------------------------------------------------------

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "70-rm-one                 | 44.0=DONE",
            "73-rm-several             | 46.0=DONE 47.0=DONE",
            "71-rm-already-removing    | 39.0=ALREADY",
            "74-rm-not-found           | 999999.0=NOT_FOUND",
            "75-rm-totals              | 48.0=DONE 999999.0=NOT_FOUND 39.0=ALREADY",
            "77-rm-already-gone        | 44.0=NOT_FOUND",
            "70-rm-one-cluster         | ''",
            "52-hold-several           | 42.0=DONE 43.0=DONE 40.0=DONE",
            "53-hold-already-held      | 40.0=ALREADY",
            "55-hold-totals            | 44.0=DONE 40.0=ALREADY 999999.0=NOT_FOUND",
            "78-hold-already-gone      | 40.0=NOT_FOUND",
            "57-release-several        | 42.0=DONE 43.0=DONE",
            "58-release-not-held       | 42.0=FAILED",
            "59-release-totals         | 40.0=DONE 42.0=FAILED 999999.0=NOT_FOUND",
    })
    void readsPerJobLines(String name, String expected) {
        Transcript t = real(name);
        List<String> got = HtcondorOutput.parseJobActions(t.stdout(), t.stderr()).stream()
                .map(a -> a.jobId() + "=" + a.result()).toList();
        assertThat(String.join(" ", got)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
            // transcript, fine: condor_rm of C.P ids that are gone or already going counts as done.
            "70-rm-one, true",
            "70-rm-one-lingering, true",
            "72-rm-reason, true",
            "73-rm-several, true",
            "76-rm-held, true",
            "71-rm-already-removing, true",
            "74-rm-not-found, true",
            "75-rm-totals, true",
            "77-rm-already-gone, true",
            // The schedd is down: nothing was removed.
            "42-schedd-down-condor_rm, false",
            // The schedd hangs: after a SECMAN timeout condor_rm claims the job was not found although it exists.
            "49-schedd-hung-condor_rm, false",
            // A cluster-wide failure names no job: not ours to call benign (we never send bare clusters).
            "71-rm-already-removing-cluster, false",
    })
    void cancelProblems(String name, boolean fine) {
        Transcript t = real(name);
        String problem = HtcondorOutput.cancelProblem(t.exitStatus(), t.stdout(), t.stderr());
        if (fine) {
            assertThat(problem).isNull();
        } else {
            assertThat(problem).isNotBlank();
        }
    }

    @Test
    void cancelProblemsBeyondTheTranscripts() {
        assertThat(HtcondorOutput.cancelProblem(0, "Job 5.0 marked for removal\n", "Permission denied to remove job 6.0\n"))
                .contains("Permission denied");
        assertThat(HtcondorOutput.cancelProblem(1, "", "")).contains("status 1");
        assertThat(HtcondorOutput.cancelProblem(1, "", "\nThere are no jobs in the queue\n")).isNull();
    }

    // ---- condor_version -----------------------------------------------------------------------------------------

    @Test
    void readsTheVersion() throws RemoteException {
        assertThat(HtcondorOutput.parseVersion(real("01-condor_version").stdout())).isEqualTo("23.9.6");
        assertThatThrownBy(() -> HtcondorOutput.parseVersion("")).isInstanceOf(RemoteException.class);
        assertThatThrownBy(() -> HtcondorOutput.parseVersion("condor 23\n")).isInstanceOf(RemoteException.class);
    }

    @Test
    void boundsMessagesTo4096Utf8Bytes() {
        String msg = HtcondorOutput.bounded("ERROR: " + "ü".repeat(10_000));
        assertThat(msg.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(HtcondorOutput.MAX_MESSAGE_BYTES);
        assertThat(msg).startsWith("ERROR: ü").endsWith("…");
        assertThat(HtcondorOutput.bounded("  short  ")).isEqualTo("short");
    }
}
