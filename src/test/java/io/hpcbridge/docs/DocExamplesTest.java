package io.hpcbridge.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every YAML example in the README and docs/ is an excerpt of a file in examples/ that the tests apply: the block's
 * first line names the file, and its other lines stand in that file in the same order ({@code ...} marks lines left
 * out). An example that drifts from its file, or names a file no test uses, fails here.
 */
class DocExamplesTest {
    private static final Pattern FENCE = Pattern.compile("(?ms)^( *)```yaml\\n(.*?)^\\1```");
    private static final Pattern SOURCE = Pattern.compile("^# (examples/\\S+\\.yaml)$");
    /** Blocks that configure another tool (Argo CD's own kustomization), not hpc-bridge: they name no example. */
    private static final List<String> NOT_EXAMPLES = List.of("patches:");

    record Block(Path doc, int line, List<String> lines) {
        @Override
        public String toString() {
            return doc + ":" + line;
        }
    }

    static Stream<Block> blocks() throws IOException {
        List<Path> docs = new ArrayList<>(List.of(Path.of("README.md")));
        try (Stream<Path> files = Files.list(Path.of("docs"))) {
            files.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        List<Block> out = new ArrayList<>();
        for (Path doc : docs) {
            String text = Files.readString(doc, StandardCharsets.UTF_8);
            Matcher m = FENCE.matcher(text);
            while (m.find()) {
                int indent = m.group(1).length();
                List<String> lines = m.group(2).lines().map(l -> l.length() >= indent ? l.substring(indent) : l.strip()).toList();
                int line = (int) text.substring(0, m.start()).lines().count() + 1;
                out.add(new Block(doc, line, lines));
            }
        }
        return out.stream();
    }

    @Test
    void theDocsHaveYamlExamples() throws IOException {
        assertThat(blocks().count()).isGreaterThanOrEqualTo(4);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("blocks")
    void everyYamlExampleIsAnExcerptOfAnExampleFileThatTestsApply(Block block) throws IOException {
        assertThat(block.lines()).isNotEmpty();
        if (NOT_EXAMPLES.contains(block.lines().get(0).strip())) {
            return;
        }
        Matcher source = SOURCE.matcher(block.lines().get(0));
        assertThat(source.matches()).as("%s: the first line of a YAML example names its file (# examples/NAME.yaml), not '%s'",
                block, block.lines().get(0)).isTrue();
        Path file = Path.of(source.group(1));
        assertThat(file).as("%s names %s", block, file).isRegularFile();
        assertThat(appliedByTests(file)).as("%s is applied by a test (ServerSideApplyE2E applies examples/*.yaml; others are named in a test)", file)
                .isTrue();

        List<String> fileLines = Files.readAllLines(file, StandardCharsets.UTF_8);
        int at = 0;
        for (String wanted : block.lines().subList(1, block.lines().size())) {
            if (wanted.strip().equals("...")) {
                continue;
            }
            int found = -1;
            for (int i = at; i < fileLines.size(); i++) {
                if (fileLines.get(i).stripTrailing().equals(wanted.stripTrailing())) {
                    found = i;
                    break;
                }
            }
            assertThat(found).as("%s: line '%s' is not in %s (after line %d), in this order", block, wanted, file, at).isNotNegative();
            at = found + 1;
        }
    }

    /** Top-level examples are applied, all of them, by ServerSideApplyE2E; anything else must be named in a test. */
    private static boolean appliedByTests(Path file) throws IOException {
        if (file.getParent().equals(Path.of("examples"))) {
            return Files.readString(Path.of("src/test/java/io/hpcbridge/e2e/ServerSideApplyE2E.java")).contains("\"examples/\"");
        }
        try (Stream<Path> sources = Files.walk(Path.of("src/test/java"))) {
            return sources.filter(p -> p.toString().endsWith(".java")).anyMatch(p -> {
                try {
                    return Files.readString(p).contains(file.toString()) || Files.readString(p).contains(file.getFileName().toString());
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
        }
    }
}
