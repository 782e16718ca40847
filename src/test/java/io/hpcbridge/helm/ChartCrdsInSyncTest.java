package io.hpcbridge.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The chart installs the CRDs from its own crds/ directory; they must be exactly the files of deploy/crds, which
 * CrdsAreCurrentTest keeps equal to the Java model. hack/update-crds.sh writes both.
 */
class ChartCrdsInSyncTest {
    static final Path DEPLOY_CRDS = Path.of("deploy/crds");
    static final Path CHART_CRDS = Path.of("deploy/helm/hpc-bridge/crds");
    private static final String OUT_OF_SYNC = "deploy/helm/hpc-bridge/crds differs from deploy/crds: run hack/update-crds.sh";

    @Test
    void chartCrdsAreByteForByteTheDeployCrds() throws IOException {
        List<String> expected = yamlFiles(DEPLOY_CRDS);
        assertThat(expected).as("deploy/crds holds the five CRDs").hasSize(5);
        assertThat(yamlFiles(CHART_CRDS)).as(OUT_OF_SYNC).containsExactlyElementsOf(expected);
        for (String name : expected) {
            assertThat(Files.readString(CHART_CRDS.resolve(name)))
                    .as(OUT_OF_SYNC + " (" + name + ")")
                    .isEqualTo(Files.readString(DEPLOY_CRDS.resolve(name)));
        }
    }

    @Test
    void chartCrdsDirectoryHoldsNothingElse() throws IOException {
        try (Stream<Path> all = Files.list(CHART_CRDS)) {
            assertThat(all.map(p -> p.getFileName().toString()).sorted().toList())
                    .as("only CRD files belong in the chart's crds/ (Helm applies every file there)")
                    .containsExactlyElementsOf(yamlFiles(DEPLOY_CRDS));
        }
    }

    static List<String> yamlFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml")).sorted().toList();
        }
    }
}
