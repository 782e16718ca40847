package io.hpcbridge.gateway.htcondor;

import io.hpcbridge.gateway.JobIdentity;
import io.hpcbridge.gateway.ResourceRequest;
import io.hpcbridge.gateway.ShellQuote;
import io.hpcbridge.gateway.SubmitRequest;
import io.hpcbridge.gateway.Transcript;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HtcondorCommandsTest {

    private static final String ATTRS = "ClusterId,ProcId,GlobalJobId,JobStatus,LastJobStatus,EnteredCurrentStatus,QDate,"
            + "JobStartDate,JobCurrentStartDate,CompletionDate,NumJobStarts,NumHolds,HoldReasonCode,HoldReasonSubCode,HoldReason,"
            + "LastHoldReasonCode,LastHoldReasonSubCode,LastHoldReason,ExitCode,ExitBySignal,ExitSignal,RemoveReason,"
            + "VacateReasonCode,VacateReason,HpcBridgeInstance,HpcBridgeAttempt,HpcBridgeName";
    private static final JobIdentity ID = JobIdentity.of("ns", "task-1", "9e7d7f0e-163d-4fa4-864b-1474757fdd6a");

    // ---- argv -------------------------------------------------------------------------------------------------

    @Test
    void pollIsOneQueryForTheInstallation() {
        assertThat(HtcondorCommands.queueAll("hpcb-capture")).containsExactly("condor_q", "-constraint",
                "HpcBridgeInstance =?= \"hpcb-capture\"", "-json", "-attributes", ATTRS);
    }

    /** The command the real pool was asked, with the operator's attribute list: same shape, word for word. */
    @Test
    void pollMatchesTheCapturedCommand() {
        String captured = HtcondorOutputTest.real("20-q-no-match").command();
        String ours = ShellQuote.join(HtcondorCommands.queueAll("hpcb-capture"));
        assertThat(ours.substring(0, ours.indexOf(" -attributes ")))
                .isEqualTo(captured.substring(0, captured.indexOf(" -attributes ")));
    }

    @Test
    void historyNamesEachJobByClusterAndProc() {
        assertThat(HtcondorCommands.history("hpcb-capture", List.of("4.0", "8.1"))).containsExactly("condor_history",
                "-constraint", "HpcBridgeInstance =?= \"hpcb-capture\" && ((ClusterId == 4 && ProcId == 0) || (ClusterId == 8 && ProcId == 1))",
                "-limit", "2", "-scanlimit", "200000", "-json", "-attributes", ATTRS);
    }

    @Test
    void historyIsChunkedAt200() {
        List<String> ids = IntStream.range(0, 450).mapToObj(i -> (1000 + i) + ".0").toList();
        List<List<String>> commands = HtcondorCommands.historyChunked("inst", ids);
        assertThat(commands).hasSize(3);
        assertThat(commands).extracting(c -> c.get(c.indexOf("-limit") + 1)).containsExactly("200", "200", "50");
        List<String> named = new ArrayList<>();
        for (List<String> c : commands) {
            String constraint = c.get(2);
            int n = constraint.split("ClusterId == ", -1).length - 1;
            assertThat(n).isLessThanOrEqualTo(HtcondorCommands.HISTORY_CHUNK);
            for (String term : constraint.split("\\(ClusterId == ")) {
                if (!term.startsWith("Hpc")) {
                    named.add(term.substring(0, term.indexOf(' ')) + ".0");
                }
            }
        }
        assertThat(named).containsExactlyElementsOf(ids);
        assertThat(HtcondorCommands.historyChunked("inst", List.of())).isEmpty();
        assertThatThrownBy(() -> HtcondorCommands.history("inst", ids)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void findByIdentityQueriesQueueAndHistoryByTokenAndName() {
        String constraint = "HpcBridgeAttempt =?= \"9e7d7f0e-163d-4fa4-864b-1474757fdd6a\" && HpcBridgeName =?= \"hpcb.ns.task-1\"";
        assertThat(HtcondorCommands.queueByIdentity(ID)).containsExactly("condor_q", "-constraint", constraint, "-json",
                "-attributes", ATTRS);
        assertThat(HtcondorCommands.historyByIdentity(ID)).containsExactly("condor_history", "-constraint", constraint,
                "-limit", "50", "-scanlimit", "200000", "-json", "-attributes", ATTRS);
    }

    @Test
    void cancelIsChunkedAt100WithTheOperatorsReason() {
        List<String> ids = IntStream.range(0, 250).mapToObj(i -> "77." + i).toList();
        List<List<String>> commands = HtcondorCommands.cancel(ids);
        assertThat(commands).hasSize(3);
        assertThat(commands).allSatisfy(c -> assertThat(c.subList(0, 3)).containsExactly("condor_rm", "-reason", "hpc-bridge: stop"));
        assertThat(commands).extracting(List::size).containsExactly(103, 103, 53);
        assertThat(commands.stream().flatMap(c -> c.subList(3, c.size()).stream()).toList()).containsExactlyElementsOf(ids);
        // The very command captured on the real pool, whose RemoveReason became "hpc-bridge: stop (by user hpcuser)".
        Transcript captured = HtcondorOutputTest.real("72-rm-reason");
        assertThat(captured.command()).isEqualTo("condor_rm -reason \"hpc-bridge: stop\" 45.0");
        assertThat(HtcondorCommands.cancel(List.of("45.0"))).containsExactly(List.of("condor_rm", "-reason", "hpc-bridge: stop", "45.0"));
    }

    @Test
    void submitAndVersion() {
        assertThat(HtcondorCommands.submit("/w/a/job.sub")).containsExactly("condor_submit", "-terse", "/w/a/job.sub");
        assertThat(HtcondorCommands.version()).containsExactly("condor_version");
    }

    @ParameterizedTest
    @ValueSource(strings = {"12", "12.", ".0", "12.0.1", "-1.0", "1.-0", "12.0 ", " 12.0", "12.0;rm", "12.0\n", "x.0", "01.0", "",
            "12345678901.0", "1.0||true"})
    void onlyClusterDotProcIdsGoIntoCommands(String id) {
        assertThat(HtcondorCommands.isJobId(id)).isFalse();
        assertThatThrownBy(() -> HtcondorCommands.cancel(List.of("1.0", id))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not an HTCondor job id");
        assertThatThrownBy(() -> HtcondorCommands.history("inst", List.of(id))).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\"b", "a b", "a\\b", "a'b", "a\nb", "a\tb", "", "x\u0000", "x\u007f"})
    void constraintWordsAreRefused(String bad) {
        assertThatThrownBy(() -> HtcondorCommands.queueAll(bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("installation");
        assertThatThrownBy(() -> HtcondorCommands.queueByIdentity(new JobIdentity("hpcb.ns.a", bad)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("identity.token");
        assertThatThrownBy(() -> HtcondorCommands.historyByIdentity(new JobIdentity(bad, "tok")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("identity.name");
    }

    // ---- validation -------------------------------------------------------------------------------------------

    private static ResourceRequest req(Integer cpus, Long mem, Duration time, Integer gpus, Long disk, Integer nodes, Integer tasks,
            Map<String, String> options, Map<String, String> extras) {
        return new ResourceRequest(cpus, mem, time, gpus, disk, nodes, tasks, options, extras);
    }

    private static ResourceRequest extras(String name, String value) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(name, value);
        return req(null, null, null, null, null, null, null, Map.of(), m);
    }

    private static ResourceRequest option(String name, String value) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(name, value);
        return req(null, null, null, null, null, null, null, m, Map.of());
    }

    static Stream<Arguments> invalidRequests() {
        return Stream.of(
                Arguments.of(req(0, null, null, null, null, null, null, Map.of(), Map.of()), "resources.cpus must be at least 1"),
                Arguments.of(req(-2, null, null, null, null, null, null, Map.of(), Map.of()), "resources.cpus must be at least 1"),
                Arguments.of(req(null, 0L, null, null, null, null, null, Map.of(), Map.of()), "resources.memory must be positive"),
                Arguments.of(req(null, -1L, null, null, null, null, null, Map.of(), Map.of()), "resources.memory must be positive"),
                Arguments.of(req(null, null, Duration.ZERO, null, null, null, null, Map.of(), Map.of()), "resources.time must be positive"),
                Arguments.of(req(null, null, Duration.ofMillis(500), null, null, null, null, Map.of(), Map.of()), "resources.time must be positive"),
                Arguments.of(req(null, null, Duration.ofDays(4000), null, null, null, null, Map.of(), Map.of()), "resources.time is too large"),
                Arguments.of(req(null, null, null, -1, null, null, null, Map.of(), Map.of()), "resources.gpus must not be negative"),
                Arguments.of(req(null, null, null, null, 0L, null, null, Map.of(), Map.of()), "resources.disk must be positive"),
                Arguments.of(req(null, null, null, null, null, 2, null, Map.of(), Map.of()), "resources.nodes must not be set: HTCondor has no node count"),
                Arguments.of(req(null, null, null, null, null, null, 4, Map.of(), Map.of()), "resources.tasks must not be set"),
                Arguments.of(option("partition", "gpu"), "resources.htcondor.partition is not an HTCondor setting"),
                Arguments.of(option("accounting_group", "group physics"), "resources.htcondor.accountingGroup must be a plain name"),
                Arguments.of(option("accounting_group", "g\"x"), "resources.htcondor.accountingGroup must be a plain name"),
                Arguments.of(option("requirements", "TARGET.Memory > 1\nexecutable = /bin/evil"), "resources.htcondor.requirements must be on one line"),
                Arguments.of(option("rank", "Memory\r"), "resources.htcondor.rank must be on one line"),
                Arguments.of(option("rank", "Mips\u0000"), "resources.htcondor.rank must be on one line"),
                Arguments.of(option("requirements", " "), "resources.htcondor.requirements must not be empty"),
                Arguments.of(extras("1abc", "1"), "resources.htcondor.attributes[1abc]: the name must match"),
                Arguments.of(extras("a-b", "1"), "resources.htcondor.attributes[a-b]: the name must match"),
                Arguments.of(extras("a b", "1"), "resources.htcondor.attributes[a b]: the name must match"),
                Arguments.of(extras("HpcBridgeAttempt", "\"x\""), "resources.htcondor.attributes[HpcBridgeAttempt]: names starting with HpcBridge are reserved"),
                Arguments.of(extras("hpcbridgeFoo", "1"), "resources.htcondor.attributes[hpcbridgeFoo]: names starting with HpcBridge are reserved"),
                Arguments.of(extras("OnExitRemove", "true"), "resources.htcondor.attributes[OnExitRemove]: OnExitRemove is set by the operator"),
                Arguments.of(extras("periodic_remove", "true"), null),
                Arguments.of(extras("PERIODICREMOVE", "true"), "resources.htcondor.attributes[PERIODICREMOVE]: PERIODICREMOVE is set by the operator"),
                Arguments.of(extras("JobMaxRetries", "5"), "resources.htcondor.attributes[JobMaxRetries]"),
                Arguments.of(extras("LeaveJobInQueue", "true"), "resources.htcondor.attributes[LeaveJobInQueue]"),
                Arguments.of(extras("JobBatchName", "\"x\""), "resources.htcondor.attributes[JobBatchName]"),
                Arguments.of(extras("Iwd", "\"/tmp\""), "resources.htcondor.attributes[Iwd]"),
                Arguments.of(extras("Project", "\"a\"\nqueue 100"), "resources.htcondor.attributes[Project]: the value must be on one line"),
                Arguments.of(extras("Project", ""), "resources.htcondor.attributes[Project]: the value must not be empty"));
    }

    @ParameterizedTest
    @MethodSource("invalidRequests")
    void validationNamesTheField(ResourceRequest request, String expected) {
        List<String> problems = HtcondorCommands.problems(request);
        if (expected == null) {
            assertThat(problems).isEmpty();
        } else {
            assertThat(problems).hasSize(1);
            assertThat(problems.get(0)).startsWith(expected);
        }
    }

    @Test
    void aGoodRequestHasNoProblems() {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("accounting_group", "group_physics.alice");
        options.put("requirements", "(TARGET.HasGluster =?= true) && (Memory > 1024)");
        options.put("rank", "Memory");
        ResourceRequest r = req(4, 8L << 30, Duration.ofHours(2), 1, 10L << 30, null, null, options,
                Map.of("Project", "\"physics\"", "WantGlidein", "true"));
        assertThat(HtcondorCommands.problems(r)).isEmpty();
        assertThat(HtcondorCommands.problems(ResourceRequest.NONE)).isEmpty();
        assertThat(HtcondorCommands.problems(null)).isEmpty();
    }

    // ---- submit description -----------------------------------------------------------------------------------

    private static SubmitRequest submitRequest(String task, ResourceRequest r) {
        String dir = "/home/hpcuser/hpcb-work/ns/" + task;
        return new SubmitRequest(JobIdentity.of("ns", task, "tok-" + task), dir, dir + "/attempt.sh", dir + "/stdout",
                dir + "/stderr", r, false);
    }

    @Test
    void rendersOneBlockPerRequest() {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("accounting_group", "group_physics.alice");
        options.put("requirements", "(OpSys == \"LINUX\")");
        options.put("rank", "Memory");
        Map<String, String> extras = new LinkedHashMap<>();
        extras.put("Project", "\"physics\"");
        extras.put("WantGlidein", "true");
        ResourceRequest r = req(4, (1L << 30) + 1, Duration.ofMinutes(90), 1, 1_000_001L, null, null, options, extras);
        ResourceRequest r2 = req(2, 1L << 30, Duration.ofSeconds(5), 0, 2048L, null, null, options, extras);

        String text = HtcondorSubmitDescription.render(List.of(submitRequest("a", r), submitRequest("b", r2)), "hpcb-prod");

        assertThat(text).isEqualTo("""
                # hpc-bridge: 2 jobs, one queue each

                universe = vanilla
                executable = /home/hpcuser/hpcb-work/ns/a/attempt.sh
                initialdir = /home/hpcuser/hpcb-work/ns/a
                output = /home/hpcuser/hpcb-work/ns/a/stdout
                error = /home/hpcuser/hpcb-work/ns/a/stderr
                batch_name = hpcb.ns.a
                should_transfer_files = NO
                getenv = false
                max_retries = 0
                request_cpus = 4
                request_memory = 1025
                request_disk = 977
                request_gpus = 1
                allowed_job_duration = 5400
                accounting_group = group_physics.alice
                requirements = (OpSys == "LINUX")
                rank = Memory
                MY.Project = "physics"
                MY.WantGlidein = true
                MY.HpcBridgeInstance = "hpcb-prod"
                MY.HpcBridgeAttempt = "tok-a"
                MY.HpcBridgeName = "hpcb.ns.a"
                queue

                universe = vanilla
                executable = /home/hpcuser/hpcb-work/ns/b/attempt.sh
                initialdir = /home/hpcuser/hpcb-work/ns/b
                output = /home/hpcuser/hpcb-work/ns/b/stdout
                error = /home/hpcuser/hpcb-work/ns/b/stderr
                batch_name = hpcb.ns.b
                should_transfer_files = NO
                getenv = false
                max_retries = 0
                request_cpus = 2
                request_memory = 1024
                request_disk = 2
                request_gpus = 0
                allowed_job_duration = 5
                accounting_group = group_physics.alice
                requirements = (OpSys == "LINUX")
                rank = Memory
                MY.Project = "physics"
                MY.WantGlidein = true
                MY.HpcBridgeInstance = "hpcb-prod"
                MY.HpcBridgeAttempt = "tok-b"
                MY.HpcBridgeName = "hpcb.ns.b"
                queue
                """);
        assertThat(HtcondorSubmitDescription.path(List.of(submitRequest("a", r)))).isEqualTo("/home/hpcuser/hpcb-work/ns/a/job.sub");
    }

    @Test
    void aMinimalRequestWritesOnlyWhatIsAsked() {
        String text = HtcondorSubmitDescription.render(List.of(submitRequest("a", null)), "i");
        assertThat(text).doesNotContain("request_", "allowed_job_duration", "requirements", "rank", "accounting_group")
                .contains("max_retries = 0\n", "MY.HpcBridgeInstance = \"i\"\n").endsWith("queue\n");
        assertThat(text.lines().filter(l -> l.equals("queue")).count()).isEqualTo(1);
    }

    @Test
    void classAdStringsAreEscaped() {
        assertThat(HtcondorSubmitDescription.classAdString("plain")).isEqualTo("\"plain\"");
        assertThat(HtcondorSubmitDescription.classAdString("a\"b\\c")).isEqualTo("\"a\\\"b\\\\c\"");
        assertThatThrownBy(() -> HtcondorSubmitDescription.classAdString("a\nqueue")).isInstanceOf(IllegalArgumentException.class);
    }

    static Stream<Arguments> injections() {
        ResourceRequest ok = ResourceRequest.NONE;
        String d = "/w/a";
        JobIdentity id = JobIdentity.of("ns", "a", "tok");
        return Stream.of(
                Arguments.of(new SubmitRequest(id, d, d + "/x.sh\nqueue 1000", d + "/o", d + "/e", ok, false), "scriptPath"),
                Arguments.of(new SubmitRequest(id, d + "\rexecutable = /bin/sh", d + "/x.sh", d + "/o", d + "/e", ok, false), "workDir"),
                Arguments.of(new SubmitRequest(id, d, d + "/x.sh", d + "/o\u0000", d + "/e", ok, false), "stdoutPath"),
                Arguments.of(new SubmitRequest(id, d, d + "/x.sh", d + "/o", "-e", ok, false), "stderrPath must not start with '-'"),
                Arguments.of(new SubmitRequest(id, "-w", d + "/x.sh", d + "/o", d + "/e", ok, false), "workDir must not start with '-'"),
                Arguments.of(new SubmitRequest(new JobIdentity("hpcb.ns.a", "tok\"\nqueue"), d, d + "/x.sh", d + "/o", d + "/e", ok, false),
                        "identity.token"),
                Arguments.of(new SubmitRequest(new JobIdentity("hpcb ns", "tok"), d, d + "/x.sh", d + "/o", d + "/e", ok, false),
                        "identity.name"),
                Arguments.of(new SubmitRequest(id, d, d + "/x.sh", d + "/o", d + "/e", option("requirements", "true\nqueue 100"), false),
                        "resources.htcondor.requirements must be on one line"),
                Arguments.of(new SubmitRequest(id, d, d + "/x.sh", d + "/o", d + "/e", extras("A", "1\r\n+B = 2"), false),
                        "resources.htcondor.attributes[A]: the value must be on one line"));
    }

    @ParameterizedTest
    @MethodSource("injections")
    void injectionsAreRefusedNamingTheField(SubmitRequest request, String field) {
        assertThat(HtcondorSubmitDescription.problems(request, "inst")).anySatisfy(p -> assertThat(p).contains(field));
        assertThatThrownBy(() -> HtcondorSubmitDescription.render(List.of(request), "inst"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(field);
    }

    @Test
    void theInstallationIsAPlainWord() {
        assertThat(HtcondorSubmitDescription.problems(submitRequest("a", null), "bad\"inst")).singleElement()
                .satisfies(p -> assertThat(p).startsWith("installation"));
    }

    @Test
    void aBatchIsOfOneShape() {
        ResourceRequest withGpu = req(1, null, null, 1, null, null, null, Map.of(), Map.of());
        ResourceRequest without = req(1, null, null, null, null, null, null, Map.of(), Map.of());
        assertThat(HtcondorSubmitDescription.shape(submitRequest("a", withGpu)))
                .isNotEqualTo(HtcondorSubmitDescription.shape(submitRequest("b", without)));
        assertThatThrownBy(() -> HtcondorSubmitDescription.render(List.of(submitRequest("a", withGpu), submitRequest("b", without)), "i"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("separate files");
        ResourceRequest x1 = extras("Project", "\"a\"");
        ResourceRequest x2 = extras("Group", "\"a\"");
        assertThat(HtcondorSubmitDescription.shape(submitRequest("a", x1))).isNotEqualTo(HtcondorSubmitDescription.shape(submitRequest("b", x2)));
    }
}
