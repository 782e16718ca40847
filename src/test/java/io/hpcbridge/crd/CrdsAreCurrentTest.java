package io.hpcbridge.crd;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fails the build when deploy/crds no longer matches what the Java model generates. target/crds is written by
 * fabric8's crd-generator during process-classes, which always runs before the test phase.
 */
class CrdsAreCurrentTest {
    private static final Path GENERATED = Path.of("target/crds");
    private static final Path COMMITTED = Path.of("deploy/crds");
    private static final String OUT_OF_DATE = "deploy/crds is out of date with the Java model: run hack/update-crds.sh";

    /** CRD file name to its short name; one entry per kind of the API. */
    private static final Map<String, String> SHORT_NAMES = Map.of(
            "hpcclusters.hpcbridge.io.yaml", "hpcc",
            "campaigns.hpcbridge.io.yaml", "camp",
            "tasks.hpcbridge.io.yaml", "htask",
            "taskattempts.hpcbridge.io.yaml", "hatt",
            "processingblocks.hpcbridge.io.yaml", "pblock");

    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());

    @Test
    void committedCrdsMatchTheModel(@TempDir Path tmp) throws Exception {
        // Run the exporter's real main, so stale-file removal and file writing are covered too.
        CrdExporter.main(new String[] {GENERATED.toString(), tmp.toString()});

        assertThat(names(tmp)).as(OUT_OF_DATE).containsExactlyInAnyOrderElementsOf(SHORT_NAMES.keySet());
        assertThat(names(COMMITTED)).as(OUT_OF_DATE).containsExactlyInAnyOrderElementsOf(names(tmp));
        for (String name : names(tmp)) {
            assertThat(read(COMMITTED.resolve(name)))
                    .as(OUT_OF_DATE + " (" + name + " differs)")
                    .isEqualTo(read(tmp.resolve(name)));
        }
    }

    @Test
    void everyCrdHasStatusSubresourceCategoryAndShortName() throws Exception {
        for (Map.Entry<String, String> e : SHORT_NAMES.entrySet()) {
            Path file = COMMITTED.resolve(e.getKey());
            assertThat(file).as(OUT_OF_DATE).exists();
            assertThat(read(file)).startsWith(CrdExporter.HEADER);
            JsonNode crd = yaml.readTree(file.toFile());
            JsonNode names = crd.path("spec").path("names");
            assertThat(texts(names.path("shortNames"))).as(file + " shortNames").containsExactly(e.getValue());
            assertThat(texts(names.path("categories"))).as(file + " categories").containsExactly("hpcbridge");
            assertThat(crd.path("spec").path("scope").asText()).as(file + " scope").isEqualTo("Namespaced");
            assertThat(crd.path("spec").path("versions")).as(file + " versions").hasSize(1);
            JsonNode version = crd.path("spec").path("versions").get(0);
            assertThat(version.path("name").asText()).isEqualTo("v1alpha1");
            assertThat(version.path("subresources").has("status")).as(file + " has the status subresource").isTrue();
        }
    }

    @Test
    void printerColumnsFollowAnnotationOrder() throws Exception {
        // The generator sorts by jsonPath (Age first); the kind class lists Age last on every kind.
        for (String name : SHORT_NAMES.keySet()) {
            JsonNode crd = yaml.readTree(COMMITTED.resolve(name).toFile());
            String kind = crd.path("spec").path("names").path("kind").asText();
            List<String> paths = new ArrayList<>();
            crd.path("spec").path("versions").get(0).path("additionalPrinterColumns")
                    .forEach(c -> paths.add(c.path("jsonPath").asText()));
            assertThat(paths).as(name).containsExactlyElementsOf(CrdExporter.annotationOrder(kind));
            assertThat(paths).as(name).last().isEqualTo(".metadata.creationTimestamp");
        }
    }

    private static List<String> names(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(CrdExporter.SUFFIX)).sorted().toList();
        }
    }

    private static String read(Path p) throws Exception {
        return Files.readString(p, StandardCharsets.UTF_8);
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
