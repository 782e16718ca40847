package io.hpcbridge.attempt;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.hpcbridge.api.v1alpha1.EnvVar;
import io.hpcbridge.api.v1alpha1.TaskAttempt;
import io.hpcbridge.api.v1alpha1.TaskAttemptSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class JobFilesTest {

    @TempDir
    Path tmp;

    @BeforeAll
    static void needsBash() {
        assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "needs /bin/bash");
    }

    // ---- factories -------------------------------------------------------------------------------------------------

    private static TaskAttempt attempt(String workDir, String script, List<EnvVar> env) {
        TaskAttempt a = new TaskAttempt();
        a.setMetadata(new ObjectMetaBuilder().withName("camp-t-2").withNamespace("team-a").build());
        TaskAttemptSpec spec = new TaskAttemptSpec();
        spec.setCampaign("camp");
        spec.setTask("camp-t");
        spec.setTaskName("t");
        spec.setIndex(2);
        spec.setScript(script);
        spec.setEnv(new ArrayList<>(env));
        spec.setWorkDir(workDir);
        a.setSpec(spec);
        return a;
    }

    /** Lays the attempt out as the submitter would (script + wrapper in workDir), runs the wrapper, returns stdout. */
    private record Run(String stdout, String stderr, int exit, Path workDir) {
        String exitCodeFile() throws Exception {
            return Files.readString(workDir.resolve("exitcode"), StandardCharsets.UTF_8);
        }
    }

    private static Run run(Path workDir, String script, List<EnvVar> env) throws Exception {
        Files.createDirectories(workDir);
        TaskAttempt attempt = attempt(workDir.toString(), script, env);
        JobFiles files = JobFiles.of(attempt);
        Path scriptFile = Path.of(files.userScript());
        Files.writeString(scriptFile, script, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(scriptFile, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path wrapper = Path.of(files.wrapper());
        Files.writeString(wrapper, files.renderWrapper(attempt), StandardCharsets.UTF_8);

        // started from elsewhere, with a hostile environment: the wrapper must cd and export by itself
        ProcessBuilder pb = new ProcessBuilder("/bin/bash", wrapper.toString()).directory(Path.of("/").toFile());
        pb.environment().put("HPCB_TASK", "from-outside");
        Process p = pb.start();
        p.getOutputStream().close();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread errReader = new Thread(() -> {
            try {
                p.getErrorStream().transferTo(err);
            } catch (Exception ignored) {
                // test assertions will show what is missing
            }
        });
        errReader.start();
        p.getInputStream().transferTo(out);
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("wrapper finished").isTrue();
        errReader.join();
        return new Run(out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), p.exitValue(), workDir);
    }

    // ---- paths -----------------------------------------------------------------------------------------------------

    @Test
    void filesLiveInTheAttemptsOwnWorkDir() {
        JobFiles f = new JobFiles("/scratch/ns/camp/t/2");

        assertThat(f.userScript()).isEqualTo("/scratch/ns/camp/t/2/script");
        assertThat(f.wrapper()).isEqualTo("/scratch/ns/camp/t/2/job.sh");
        assertThat(f.stdout()).isEqualTo("/scratch/ns/camp/t/2/stdout");
        assertThat(f.stderr()).isEqualTo("/scratch/ns/camp/t/2/stderr");
        assertThat(f.exitCodeFile()).isEqualTo("/scratch/ns/camp/t/2/exitcode");
        assertThat(f.marker()).isEqualTo("/scratch/ns/camp/t/2/.hpcb-attempt");
        assertThat(JobFiles.of(attempt("/w/x", "true", List.of())).workDir()).isEqualTo("/w/x");
    }

    @Test
    void wrapperNeverContainsTheUserScriptBody() {
        String body = "echo SECRET_BODY_MARKER";
        String wrapper = new JobFiles("/w").renderWrapper(attempt("/w", body, List.of()));

        assertThat(wrapper).startsWith("#!/bin/bash\n").doesNotContain("SECRET_BODY_MARKER");
        assertThat(wrapper).contains("/bin/bash /w/script\n");
    }

    // ---- running the wrapper ---------------------------------------------------------------------------------------

    static Stream<String> nastyValues() {
        return Stream.of(
                "plain",
                "",
                "a b  c",
                "it's",
                "'",
                "\"double\"",
                "$(touch pwned)",
                "`touch pwned`",
                "${HOME}",
                "$HOME and $1",
                "line1\nline2\n",
                "\n",
                "a;touch pwned;b",
                "a && touch pwned",
                "x' ; touch pwned ; echo '",
                "back\\slash\\",
                "*",
                "~root",
                "tab\there",
                "-n",
                "ünïcødé ✓",
                "a'b\"c$d`e\\f\ng");
    }

    @ParameterizedTest
    @MethodSource("nastyValues")
    void envValueReachesTheScriptVerbatimAndExitCodeIsRecorded(String value) throws Exception {
        Path workDir = tmp.resolve("w");
        String script = "printf '%s' \"$VALUE\"\nexit 3\n";

        Run r = run(workDir, script, List.of(new EnvVar("VALUE", value)));

        assertThat(r.stdout()).isEqualTo(value);
        assertThat(r.exit()).as("stderr: %s", r.stderr()).isEqualTo(3);
        assertThat(r.exitCodeFile()).isEqualTo("3\n");
        assertThat(workDir.resolve("exitcode.part")).doesNotExist();
        assertThat(workDir.resolve("pwned")).doesNotExist();
        assertThat(Path.of("/pwned")).doesNotExist();
        assertThat(r.stderr()).isEmpty();
    }

    /**
     * A script killed by a signal: the exit-code file has the shell's 128+N, and the wrapper itself ends by signal N, so
     * the scheduler reports the signal. Told apart from a plain exit by perl's wait status (low 7 bits: the signal).
     */
    @ParameterizedTest
    @CsvSource({"KILL, 9", "TERM, 15", "SEGV, 11"})
    void aScriptKilledByASignalEndsTheWrapperByTheSameSignal(String name, int signal) throws Exception {
        Path workDir = tmp.resolve("sig-" + name);
        Run r = run(workDir, "#!/bin/bash\nkill -" + name + " $$\n", List.of());
        assertThat(r.exitCodeFile()).isEqualTo((128 + signal) + "\n");
        assertThat(waitStatus(workDir)).as("exit status and signal of the wrapper").isEqualTo("0 " + signal);
        assertThat(workDir.resolve("core")).doesNotExist();
    }

    @ParameterizedTest
    @CsvSource({"3, 3 0", "137, 137 0", "255, 255 0"})
    void aPlainExitStatusIsNotTurnedIntoASignalUnlessTheShellMeansOne(int code, String expected) throws Exception {
        Path workDir = tmp.resolve("exit-" + code);
        run(workDir, "#!/bin/bash\nexit " + code + "\n", List.of());
        // 137 is the shell's "killed by 9" as well: both are reported as signal 9 (the shell cannot tell them apart).
        assertThat(waitStatus(workDir)).isEqualTo(code == 137 ? "0 9" : expected);
    }

    /** Runs the already written wrapper again under perl, which prints "<exit status> <signal>" of it. */
    private static String waitStatus(Path workDir) throws Exception {
        Process p = new ProcessBuilder("perl", "-e", "system(@ARGV); printf('%d %d', $? >> 8, $? & 127)", "/bin/bash",
                workDir.resolve("job.sh").toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        // bash reports the killed child ("... Killed ...") on stderr first; perl's line is the last.
        List<String> lines = out.strip().lines().toList();
        return lines.get(lines.size() - 1).strip();
    }

    @Test
    void nullEnvValueIsExportedAsEmpty() throws Exception {
        Run r = run(tmp.resolve("w"), "printf '[%s]' \"${EMPTY-unset}\"\n", List.of(new EnvVar("EMPTY", null)));

        assertThat(r.stdout()).isEqualTo("[]");
        assertThat(r.exitCodeFile()).isEqualTo("0\n");
        assertThat(r.exit()).isZero();
    }

    @Test
    void standardVariablesAreExportedAndTheScriptRunsInTheWorkDir() throws Exception {
        Path workDir = tmp.resolve("dir with space 'q' $(x) `y`");
        String script = "printf '%s|%s|%s|%s|%s|%s' \"$HPCB_NAMESPACE\" \"$HPCB_CAMPAIGN\" \"$HPCB_TASK\" \"$HPCB_ATTEMPT\""
                + " \"$HPCB_WORK_DIR\" \"$PWD\"\n";

        Run r = run(workDir, script, List.of());

        assertThat(r.stdout()).isEqualTo("team-a|camp|t|2|" + workDir + "|" + workDir);
        assertThat(r.exitCodeFile()).isEqualTo("0\n");
        assertThat(r.exit()).isZero();
    }

    @Test
    void severalVariablesInOrderLaterOnesSeeNothingExpanded() throws Exception {
        Run r = run(tmp.resolve("w"), "printf '%s,%s' \"$A\" \"$B\"\n",
                List.of(new EnvVar("A", "first"), new EnvVar("B", "$A")));

        assertThat(r.stdout()).isEqualTo("first,$A");
    }

    @Test
    void scriptWithShebangRunsUnderItsOwnInterpreter() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "needs /bin/sh");
        // BASH_VERSION is set under bash only
        Run r = run(tmp.resolve("w"), "#!/bin/sh\nprintf '[%s]' \"${BASH_VERSION:-}\"\nexit 5\n", List.of());

        assertThat(r.exit()).isEqualTo(5);
        assertThat(r.exitCodeFile()).isEqualTo("5\n");
        if (!Files.isSymbolicLink(Path.of("/bin/sh")) || !Files.readSymbolicLink(Path.of("/bin/sh")).toString().contains("bash")) {
            assertThat(r.stdout()).isEqualTo("[]");
        }
    }

    @Test
    void scriptWithoutShebangRunsUnderBash() throws Exception {
        Run r = run(tmp.resolve("w"), "[[ -n \"$BASH_VERSION\" ]] && printf bash\n", List.of());

        assertThat(r.stdout()).isEqualTo("bash");
        assertThat(r.exitCodeFile()).isEqualTo("0\n");
    }

    @Test
    void killedScriptRecordsTheShellsSignalCode() throws Exception {
        Run r = run(tmp.resolve("w"), "kill -TERM $$\n", List.of());

        assertThat(r.exitCodeFile()).isEqualTo("143\n");
        assertThat(r.exit()).isEqualTo(143);
    }

    @Test
    void missingWorkDirExitsWith97WithoutRunningAnything() throws Exception {
        Path workDir = tmp.resolve("gone");
        TaskAttempt attempt = attempt(workDir.toString(), "true", List.of());
        Path wrapper = tmp.resolve("job.sh");
        Files.writeString(wrapper, new JobFiles(workDir.toString()).renderWrapper(attempt));

        Process p = new ProcessBuilder("/bin/bash", wrapper.toString()).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();

        assertThat(p.exitValue()).isEqualTo(97);
        assertThat(workDir).doesNotExist();
    }
}
