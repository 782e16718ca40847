package io.hpcbridge.arch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The scheduler sits behind a neutral port: no class outside the adapter packages names a scheduler's commands, state
 * words or job attributes in its code, and none imports an adapter. Comments are left out (they may explain what an
 * adapter does); the API package is left out because its scheduler sections ({@code resources.slurm},
 * {@code resources.htcondor}) document, in their schema descriptions, what each field becomes on its scheduler.
 */
class SchedulerNeutralityTest {
    private static final Path MAIN = Path.of("src/main/java/io/hpcbridge");
    private static final List<String> ADAPTERS = List.of("gateway/slurm/", "gateway/htcondor/");
    private static final String API = "api/v1alpha1/";

    /** Commands of either scheduler, their state words and job attributes that only an adapter may know. */
    static final Pattern SCHEDULER_WORDS = Pattern.compile(String.join("|",
            "\\b(sbatch|squeue|sacct|scancel|scontrol|sinfo|srun|slurmdbd|slurmctld)\\b",
            "\\bcondor_[a-z_]+\\b",
            "\"(PENDING|COMPLETING|CONFIGURING|COMPLETED|FAILED|TIMEOUT|OUT_OF_MEMORY|NODE_FAIL|BOOT_FAIL|PREEMPTED|REQUEUED|REVOKED|CANCELLED)\\b",
            "\\b(JobStatus|HoldReasonCode|HoldReasonSubCode|LastHoldReason\\w*|NumJobStarts|RemoveReason|ClusterId|ExitBySignal|ExitSignal|QDate)\\b"));

    @Test
    void noClassOutsideTheAdaptersNamesASchedulersCommandsOrStates() throws IOException {
        List<String> offences = new ArrayList<>();
        for (Path file : javaFiles()) {
            String rel = MAIN.relativize(file).toString().replace('\\', '/');
            if (ADAPTERS.stream().anyMatch(rel::startsWith) || rel.startsWith(API)) {
                continue;
            }
            String code = withoutComments(Files.readString(file));
            Matcher m = SCHEDULER_WORDS.matcher(code);
            while (m.find()) {
                offences.add(rel + ": " + m.group());
            }
        }
        assertThat(offences).as("scheduler words outside gateway/slurm and gateway/htcondor").isEmpty();
    }

    @Test
    void noClassOutsideAnAdapterImportsOne() throws IOException {
        List<String> offences = new ArrayList<>();
        for (Path file : javaFiles()) {
            String rel = MAIN.relativize(file).toString().replace('\\', '/');
            String code = Files.readString(file);
            for (String adapter : ADAPTERS) {
                String pkg = "io.hpcbridge." + adapter.replace('/', '.');
                if (!rel.startsWith(adapter) && code.contains("import " + pkg)) {
                    offences.add(rel + " imports " + pkg);
                }
            }
        }
        assertThat(offences).isEmpty();
    }

    /** The check can fail: the same scan finds the words where they belong. */
    @Test
    void theScanFindsTheWordsInsideTheSlurmAdapter() throws IOException {
        String slurm = withoutComments(Files.readString(MAIN.resolve("gateway/slurm/SlurmCommands.java")));
        assertThat(SCHEDULER_WORDS.matcher(slurm).find()).isTrue();
        String states = withoutComments(Files.readString(MAIN.resolve("gateway/slurm/SlurmStates.java")));
        assertThat(SCHEDULER_WORDS.matcher(states).find()).isTrue();
    }

    @Test
    void commentsAreLeftOutButCodeIsNot() {
        assertThat(withoutComments("a(); // sbatch\n/* squeue */ b(\"x\");")).doesNotContain("sbatch", "squeue").contains("b(\"x\")");
        assertThat(withoutComments("String s = \"// not a comment sbatch\";")).contains("sbatch");
    }

    private static List<Path> javaFiles() throws IOException {
        try (Stream<Path> s = Files.walk(MAIN)) {
            return s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
    }

    /** Drops // and block comments, keeping string and text-block literals intact. */
    static String withoutComments(String src) {
        StringBuilder out = new StringBuilder(src.length());
        int i = 0;
        while (i < src.length()) {
            if (src.startsWith("\"\"\"", i)) {
                int end = src.indexOf("\"\"\"", i + 3);
                end = end < 0 ? src.length() : end + 3;
                out.append(src, i, end);
                i = end;
            } else if (src.charAt(i) == '"' || src.charAt(i) == '\'') {
                char q = src.charAt(i);
                int j = i + 1;
                while (j < src.length() && src.charAt(j) != q) {
                    j += src.charAt(j) == '\\' ? 2 : 1;
                }
                j = Math.min(j + 1, src.length());
                out.append(src, i, j);
                i = j;
            } else if (src.startsWith("//", i)) {
                int end = src.indexOf('\n', i);
                i = end < 0 ? src.length() : end;
            } else if (src.startsWith("/*", i)) {
                int end = src.indexOf("*/", i + 2);
                i = end < 0 ? src.length() : end + 2;
            } else {
                out.append(src.charAt(i++));
            }
        }
        return out.toString();
    }
}
