package io.hpcbridge.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.fabric8.kubernetes.client.utils.Serialization;

/**
 * What a GitOps tool sees: every example is server-side applied as the tool would (its own field manager), the
 * operator runs them all to their end on real Slurm, and applying the same files again reports no change and meets
 * no conflict: the operator owns nothing the user wrote.
 */
class ServerSideApplyE2E {
    private static final String MANAGER = "gitops-e2e";
    private static final String WAIT = "--timeout=300s";
    private static TestNamespace ns;

    @BeforeAll
    static void setUp() {
        OperatorProcess.shared();
        ns = TestNamespace.withCredentials("e2e-ssa");
    }

    @AfterAll
    static void cleanUp() {
        if (ns != null) {
            ns.close();
        }
    }

    @Test
    void applyingAllExamplesServerSideTwiceWithTheOperatorBetweenChangesNothingTheUserOwns() {
        Kubectl.Result first = applyExamples();
        assertThat(first.stdout().lines().toList()).as("first apply").hasSize(6)
                .allSatisfy(line -> assertThat(line).endsWith(" serverside-applied"));
        Map<String, JsonNode> applied = userObjects();
        assertThat(applied).hasSize(6);

        // The operator works on every example until each reaches the end its file describes.
        ns.kubectl().run("wait", "--for=condition=Succeeded", WAIT, "campaign/hello", "campaign/sweep", "campaign/retries").orFail();
        ns.kubectl().run("wait", "--for=condition=Failed", WAIT, "campaign/failing").orFail();
        ns.kubectl().run("wait", "--for=condition=Accepted=false", WAIT, "campaign/cyclic").orFail();
        ns.kubectl().run("wait", "--for=condition=Ready", WAIT, "hpccluster/local-slurm").orFail();
        Map<String, JsonNode> worked = userObjects();
        worked.forEach((key, object) -> assertThat(object.path("status").path("observedGeneration").asLong())
                .as("%s status.observedGeneration", key).isEqualTo(object.path("metadata").path("generation").asLong()));

        // What kubectl (and Argo CD's server-side diff) would report now: nothing.
        Kubectl.Result diff = ns.kubectl().run("diff", "--server-side", "--field-manager=" + MANAGER, "-f", "examples/");
        assertThat(diff.exitCode()).as("kubectl diff --server-side after the operator ran: %s", diff).isZero();
        assertThat(diff.stdout()).isEmpty();

        // Without --force-conflicts: a conflict would mean the operator took over a field the user applied.
        Kubectl.Result second = applyExamples();
        assertThat(second.stdout().lines().toList()).as("second apply").hasSize(6)
                .allSatisfy(line -> assertThat(line).endsWith(" serverside-applied"));
        Map<String, JsonNode> reapplied = userObjects();

        for (String key : applied.keySet()) {
            JsonNode before = applied.get(key);
            JsonNode after = reapplied.get(key);
            assertThat(after.path("metadata").path("generation")).as("%s generation", key).isEqualTo(before.path("metadata").path("generation"));
            assertThat(after.path("spec")).as("%s spec", key).isEqualTo(before.path("spec"));
            assertThat(after.path("metadata").path("labels")).as("%s labels", key).isEqualTo(before.path("metadata").path("labels"));
            assertThat(after.path("metadata").path("annotations")).as("%s annotations", key)
                    .isEqualTo(before.path("metadata").path("annotations"));
            assertThat(fieldsOf(after, MANAGER)).as("%s fields owned by %s", key, MANAGER).isEqualTo(fieldsOf(before, MANAGER));
            // Every other manager (the operator, through status patches and finalizers) owns status and finalizers only.
            List<JsonNode> others = new ArrayList<>();
            after.path("metadata").path("managedFields").forEach(entry -> {
                if (!MANAGER.equals(entry.path("manager").asText())) {
                    others.add(entry);
                }
            });
            assertThat(others).as("%s: the operator's own managedFields entries (it wrote the status)", key).isNotEmpty();
            for (JsonNode entry : others) {
                assertThat(topLevelFields(entry.path("fieldsV1"))).as("%s fields owned by %s", key, entry.path("manager").asText())
                        .isSubsetOf("f:status", "f:metadata.f:finalizers");
            }
        }
    }

    private static Kubectl.Result applyExamples() {
        return ns.kubectl().run("apply", "--server-side", "--field-manager=" + MANAGER, "-f", "examples/").orFail();
    }

    /** The example objects (HpcCluster and Campaigns) by kind/name, read back as JSON. */
    private static Map<String, JsonNode> userObjects() {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (String kind : List.of("hpccluster", "campaign")) {
            String json = ns.kubectl().run("get", kind, "-o", "json", "--show-managed-fields").orFail().stdout();
            try {
                for (JsonNode item : Serialization.jsonMapper().readTree(json).get("items")) {
                    out.put(kind + "/" + item.path("metadata").path("name").asText(), item);
                }
            } catch (IOException e) {
                throw new IllegalStateException("kubectl printed no JSON: " + json, e);
            }
        }
        return out;
    }

    private static JsonNode fieldsOf(JsonNode object, String manager) {
        for (JsonNode entry : object.path("metadata").path("managedFields")) {
            if (manager.equals(entry.path("manager").asText())) {
                return entry.path("fieldsV1");
            }
        }
        throw new AssertionError("no managedFields entry of " + manager + " in " + object.path("metadata"));
    }

    /** The owned field paths one level into metadata, e.g. f:status, f:spec, f:metadata.f:finalizers. */
    private static List<String> topLevelFields(JsonNode fieldsV1) {
        List<String> out = new ArrayList<>();
        for (Iterator<String> it = fieldsV1.fieldNames(); it.hasNext();) {
            String field = it.next();
            if ("f:metadata".equals(field)) {
                ((ObjectNode) fieldsV1.get(field)).fieldNames().forEachRemaining(m -> out.add("f:metadata." + m));
            } else {
                out.add(field);
            }
        }
        return out;
    }
}
