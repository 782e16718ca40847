package io.hpcbridge.crd;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fails the build when docs/api-reference.md no longer matches what ApiReferenceGenerator makes of deploy/crds
 * (which CrdsAreCurrentTest keeps equal to the Java model).
 */
class ApiReferenceIsCurrentTest {
    private static final Path CRDS = Path.of("deploy/crds");
    private static final Path COMMITTED = Path.of("docs/api-reference.md");
    private static final String OUT_OF_DATE = "docs/api-reference.md is out of date with deploy/crds: run hack/update-docs.sh";

    @Test
    void committedReferenceMatchesTheCrds(@TempDir Path tmp) throws Exception {
        Path generated = tmp.resolve("api-reference.md");
        // The generator's real main, so file writing is covered too.
        ApiReferenceGenerator.main(new String[] {CRDS.toString(), generated.toString()});

        assertThat(COMMITTED).as(OUT_OF_DATE).exists();
        assertThat(Files.readString(COMMITTED, StandardCharsets.UTF_8))
                .as(OUT_OF_DATE)
                .isEqualTo(Files.readString(generated, StandardCharsets.UTF_8));
    }

    @Test
    void everyKindIsDocumentedWithItsFields() throws Exception {
        String text = ApiReferenceGenerator.render(CRDS);
        for (String kind : ApiReferenceGenerator.KIND_ORDER) {
            assertThat(text).as("section for " + kind).contains("\n## " + kind + "\n");
        }
        // Spot checks that nested fields, requirements, defaults and constraints come through.
        assertThat(text).contains("| `spec.tasks[].dependsOn` | []string |");
        assertThat(text).contains("| `spec.pollInterval` | string |  | `30s` |");
        assertThat(text).contains("| `spec.clusterRef.name` | string | yes |");
        assertThat(text).contains("min 1; max 65535");
    }
}
