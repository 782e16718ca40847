package io.hpcbridge.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.hpcbridge.api.v1alpha1.ConditionTypes;

/**
 * examples/flux without Flux (its CRDs are not on the test stack): the files parse, use Flux's v1 kinds with the fields
 * they require, and refer to what exists in this repository (source, paths, the kustomize resources, the health-checked
 * objects, their kinds and API version as the CRDs declare them, condition types the operator writes).
 */
class FluxExampleTest {
    private static final Path FLUX = Path.of("examples/flux");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /** A Go time.Duration as Flux's interval and timeout fields take it. */
    private static final Pattern GO_DURATION = Pattern.compile("^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$");

    private static List<JsonNode> flux;
    /** kind -> CRD (group/version, kind) as deploy/crds declares them. */
    private static Map<String, JsonNode> crdsByKind;

    @BeforeAll
    static void load() throws IOException {
        flux = new ArrayList<>();
        try (Stream<Path> files = Files.list(FLUX)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                flux.addAll(documents(f));
            }
        }
        crdsByKind = new HashMap<>();
        try (Stream<Path> files = Files.list(Path.of("deploy/crds"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                for (JsonNode crd : documents(f)) {
                    crdsByKind.put(crd.at("/spec/names/kind").asText(), crd);
                }
            }
        }
        assertThat(crdsByKind).containsKeys("Campaign", "HpcCluster");
    }

    private static List<JsonNode> documents(Path file) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
            while (it.hasNext()) {
                JsonNode n = it.next();
                if (n != null && !n.isNull() && !n.isEmpty()) {
                    docs.add(n);
                }
            }
        }
        return docs;
    }

    private static List<JsonNode> ofKind(String apiVersion, String kind) {
        return flux.stream().filter(d -> apiVersion.equals(d.path("apiVersion").asText()) && kind.equals(d.path("kind").asText())).toList();
    }

    @Test
    void everyDocumentIsAFluxV1SourceOrKustomization() {
        assertThat(flux).isNotEmpty().allSatisfy(d -> {
            String type = d.path("apiVersion").asText() + " " + d.path("kind").asText();
            assertThat(type).isIn("source.toolkit.fluxcd.io/v1 GitRepository", "kustomize.toolkit.fluxcd.io/v1 Kustomization");
            assertThat(d.at("/metadata/name").asText()).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
            assertThat(d.at("/metadata/namespace").asText()).isEqualTo("flux-system");
        });
        assertThat(ofKind("source.toolkit.fluxcd.io/v1", "GitRepository")).singleElement().satisfies(g -> {
            assertThat(g.at("/spec/url").asText()).startsWith("https://");
            assertThat(g.at("/spec/ref/branch").asText()).isNotBlank();
            assertThat(g.at("/spec/interval").asText()).matches(GO_DURATION);
        });
    }

    @Test
    void kustomizationsReferToTheSourceAndToPathsThatBuildFromThisRepository() throws IOException {
        List<JsonNode> ks = ofKind("kustomize.toolkit.fluxcd.io/v1", "Kustomization");
        assertThat(ks).hasSizeGreaterThanOrEqualTo(2);
        Set<String> sources = Set.copyOf(ofKind("source.toolkit.fluxcd.io/v1", "GitRepository").stream().map(g -> g.at("/metadata/name").asText()).toList());
        Set<String> names = Set.copyOf(ks.stream().map(k -> k.at("/metadata/name").asText()).toList());
        for (JsonNode k : ks) {
            JsonNode spec = k.path("spec");
            assertThat(spec.at("/sourceRef/kind").asText()).isEqualTo("GitRepository");
            assertThat(sources).contains(spec.at("/sourceRef/name").asText());
            assertThat(spec.path("interval").asText()).matches(GO_DURATION);
            assertThat(spec.path("timeout").asText()).matches(GO_DURATION);
            assertThat(spec.path("prune").isBoolean()).as("prune is required in v1").isTrue();
            spec.path("dependsOn").forEach(d -> assertThat(names).contains(d.path("name").asText()));
            // The path is relative to the repository root and builds: its kustomization.yaml lists files that exist.
            assertThat(spec.path("path").asText()).startsWith("./");
            Path dir = Path.of(spec.path("path").asText());
            assertThat(dir.resolve("kustomization.yaml")).exists();
            assertThat(objects(dir)).isNotEmpty();
        }
    }

    @Test
    void healthChecksNameACampaignThatThePathAppliesWithTheCrdsApiVersion() throws IOException {
        JsonNode campaigns = ofKind("kustomize.toolkit.fluxcd.io/v1", "Kustomization").stream()
                .filter(k -> k.at("/spec/healthChecks").size() > 0).findFirst().orElseThrow();
        JsonNode spec = campaigns.path("spec");
        List<JsonNode> applied = objects(Path.of(spec.path("path").asText()));
        for (JsonNode check : spec.path("healthChecks")) {
            String kind = check.path("kind").asText();
            assertThat(crdsByKind).as("health-checked kind %s is one of ours", kind).containsKey(kind);
            assertThat(check.path("apiVersion").asText()).isEqualTo(servedApiVersion(crdsByKind.get(kind)));
            assertThat(check.path("namespace").asText()).isEqualTo(spec.path("targetNamespace").asText());
            assertThat(applied).as("the path applies %s %s", kind, check.path("name").asText())
                    .anySatisfy(o -> {
                        assertThat(o.path("kind").asText()).isEqualTo(kind);
                        assertThat(o.path("apiVersion").asText()).isEqualTo(check.path("apiVersion").asText());
                        assertThat(o.at("/metadata/name").asText()).isEqualTo(check.path("name").asText());
                    });
        }
        assertThat(spec.path("healthChecks").findValuesAsText("kind")).contains("Campaign");
        // A campaign runs for a while: the health check's timeout is not the default 5m-ish apply timeout.
        assertThat(spec.path("timeout").asText()).isEqualTo("30m");
    }

    @Test
    void healthCheckExpressionsUseConditionsTheOperatorWrites() {
        JsonNode exprs = ofKind("kustomize.toolkit.fluxcd.io/v1", "Kustomization").stream()
                .flatMap(k -> java.util.stream.StreamSupport.stream(k.at("/spec/healthCheckExprs").spliterator(), false))
                .findFirst().orElseThrow();
        String kind = exprs.path("kind").asText();
        assertThat(crdsByKind).containsKey(kind);
        assertThat(exprs.path("apiVersion").asText()).isEqualTo(servedApiVersion(crdsByKind.get(kind)));
        assertThat(exprs.path("current").asText()).as("current is required").isNotBlank();
        Pattern type = Pattern.compile("type == '([A-Za-z]+)'");
        Map<String, String> expected = Map.of("current", ConditionTypes.READY, "failed", ConditionTypes.STALLED);
        expected.forEach((field, condition) -> {
            Matcher m = type.matcher(exprs.path(field).asText());
            assertThat(m.find()).as(field).isTrue();
            assertThat(m.group(1)).as(field).isEqualTo(condition);
        });
    }

    @Test
    void theClusterKustomizationWaitsForTheHpcCluster() throws IOException {
        JsonNode cluster = ofKind("kustomize.toolkit.fluxcd.io/v1", "Kustomization").stream()
                .filter(k -> k.at("/spec/wait").asBoolean(false)).findFirst().orElseThrow();
        assertThat(objects(Path.of(cluster.at("/spec/path").asText()))).extracting(o -> o.path("kind").asText()).contains("HpcCluster");
        JsonNode campaigns = ofKind("kustomize.toolkit.fluxcd.io/v1", "Kustomization").stream()
                .filter(k -> k.at("/spec/healthChecks").size() > 0).findFirst().orElseThrow();
        assertThat(campaigns.at("/spec/dependsOn").findValuesAsText("name")).contains(cluster.at("/metadata/name").asText());
    }

    /** The objects a kustomization directory applies: the files its resources list (no generators or patches here). */
    private static List<JsonNode> objects(Path dir) throws IOException {
        JsonNode kustomization = documents(dir.resolve("kustomization.yaml")).get(0);
        assertThat(kustomization.path("kind").asText()).isEqualTo("Kustomization");
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode r : kustomization.path("resources")) {
            Path file = dir.resolve(r.asText()).normalize();
            assertThat(file).as("resource %s of %s", r.asText(), dir).isRegularFile();
            assertThat(file.toAbsolutePath().startsWith(Path.of("").toAbsolutePath())).as("inside the repository").isTrue();
            out.addAll(documents(file));
        }
        return out;
    }

    /** group/version of the CRD's served storage version. */
    private static String servedApiVersion(JsonNode crd) {
        for (JsonNode v : crd.at("/spec/versions")) {
            if (v.path("served").asBoolean() && v.path("storage").asBoolean()) {
                return crd.at("/spec/group").asText() + "/" + v.path("name").asText();
            }
        }
        throw new AssertionError("no served storage version in " + crd.at("/metadata/name").asText());
    }
}
