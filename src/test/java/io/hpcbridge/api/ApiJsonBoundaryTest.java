package io.hpcbridge.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.hpcbridge.api.v1alpha1.Campaign;
import io.hpcbridge.api.v1alpha1.HpcCluster;
import io.hpcbridge.api.v1alpha1.ProcessingBlock;
import io.hpcbridge.api.v1alpha1.Resources;
import io.hpcbridge.api.v1alpha1.SbatchOption;
import io.hpcbridge.api.v1alpha1.SbatchOptionName;
import io.hpcbridge.api.v1alpha1.Task;
import io.hpcbridge.api.v1alpha1.TaskAttempt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The API across the JSON boundary, as the API server and kubectl see it: what Java sets is in the JSON, what a manifest
 * sets is read, and the generated CRDs carry every field. A helper getter named like a property (isPaused() next to the
 * field paused) with @JsonIgnore hides the whole property from Jackson and from the CRD generator; these tests catch it.
 */
class ApiJsonBoundaryTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Path CRDS = Path.of("deploy/crds");

    // ---- HpcCluster.spec.paused

    @Test
    void pausedIsWrittenToJson() {
        HpcCluster cluster = new HpcCluster();
        cluster.getSpec().setPaused(true);

        JsonNode json = Serialization.jsonMapper().valueToTree(cluster);

        assertThat(json.path("spec").path("paused").isBoolean()).as("spec.paused in %s", json).isTrue();
        assertThat(json.path("spec").path("paused").booleanValue()).isTrue();
    }

    /**
     * A cleared hold is left out of the status patch even by a mapper that writes nulls (the API server refuses an
     * explicit null for a typed field), and the schema lets the API server store the map a server-side apply emptied.
     */
    @Test
    void aClearedHoldIsLeftOutOfTheStatusJsonAndASetOneIsWritten() throws Exception {
        io.hpcbridge.api.v1alpha1.TaskAttemptStatus status = new io.hpcbridge.api.v1alpha1.TaskAttemptStatus();
        status.setPhase(io.hpcbridge.api.v1alpha1.AttemptPhase.Running);
        ObjectMapper writesNulls = new ObjectMapper();
        JsonNode cleared = writesNulls.readTree(writesNulls.writeValueAsString(status));
        assertThat(cleared.has("settlingSince")).as("this mapper writes nulls: %s", cleared).isTrue();
        assertThat(cleared.has("hold")).as(cleared.toString()).isFalse();
        status.setHold(new io.hpcbridge.api.v1alpha1.HoldStatus(1, 0, "via condor_hold (by user u)", "2026-12-07T17:21:30Z"));
        JsonNode held = writesNulls.readTree(writesNulls.writeValueAsString(status));
        assertThat(held.at("/hold/code").asInt()).isEqualTo(1);
        assertThat(held.at("/hold/reason").asText()).isEqualTo("via condor_hold (by user u)");
        JsonNode crd = new ObjectMapper(new YAMLFactory()).readTree(Path.of("deploy/crds/taskattempts.hpcbridge.io.yaml").toFile());
        assertThat(crd.at("/spec/versions/0/schema/openAPIV3Schema/properties/status/properties/hold/nullable").asBoolean())
                .as("status.hold is nullable in the CRD").isTrue();
    }

    @Test
    void pausedIsReadFromYaml() {
        HpcCluster cluster = Serialization.unmarshal("""
                apiVersion: hpcbridge.io/v1alpha1
                kind: HpcCluster
                metadata:
                  name: c
                spec:
                  scheduler: htcondor
                  paused: true
                  heldTimeout: 2h
                """, HpcCluster.class);

        assertThat(cluster.getSpec().getPaused()).isTrue();
        assertThat(cluster.getSpec().pausedOrFalse()).isTrue();
        assertThat(cluster.getSpec().getHeldTimeout()).isEqualTo("2h");
        assertThat(new HpcCluster().getSpec().pausedOrFalse()).isFalse();
    }

    @Test
    void theGeneratedCrdsHaveTheSwitches() throws Exception {
        assertThat(specProperty("hpcclusters", "paused").path("type").asText()).isEqualTo("boolean");
        assertThat(specProperty("hpcclusters", "heldTimeout").path("default").asText()).isEqualTo("4h");
        assertThat(specProperty("campaigns", "suspend").path("type").asText()).isEqualTo("boolean");
        assertThat(specProperty("campaigns", "stop").path("type").asText()).isEqualTo("boolean");
        assertThat(specProperty("tasks", "stop").path("type").asText()).isEqualTo("boolean");
    }

    // ---- Campaign.spec.suspend and stop, Task.spec.stop: helpers isSuspended()/isStopped() name other properties

    @Test
    void suspendAndStopCrossTheJsonBoundary() {
        Campaign campaign = Serialization.unmarshal("""
                apiVersion: hpcbridge.io/v1alpha1
                kind: Campaign
                metadata:
                  name: c
                spec:
                  suspend: true
                  stop: true
                """, Campaign.class);
        assertThat(campaign.getSpec().isSuspended()).isTrue();
        assertThat(campaign.getSpec().isStopped()).isTrue();
        JsonNode json = Serialization.jsonMapper().valueToTree(campaign);
        assertThat(json.path("spec").path("suspend").booleanValue()).as("%s", json).isTrue();
        assertThat(json.path("spec").path("stop").booleanValue()).as("%s", json).isTrue();
        assertThat(json.path("spec").has("suspended")).isFalse();
        assertThat(json.path("spec").has("stopped")).isFalse();

        Task task = new Task();
        task.getSpec().setStop(true);
        JsonNode taskJson = Serialization.jsonMapper().valueToTree(task);
        assertThat(taskJson.path("spec").path("stop").booleanValue()).as("%s", taskJson).isTrue();
        assertThat(Serialization.unmarshal(Serialization.asJson(task), Task.class).getSpec().isStopped()).isTrue();
    }

    // ---- every field of every API class is a JSON property

    static Stream<Class<?>> apiClasses() {
        Set<Class<?>> seen = new LinkedHashSet<>();
        Deque<Type> todo = new ArrayDeque<>(List.of(HpcCluster.class, Campaign.class, Task.class, TaskAttempt.class, ProcessingBlock.class));
        while (!todo.isEmpty()) {
            Type t = todo.pop();
            if (t instanceof ParameterizedType p) {
                todo.addAll(List.of(p.getActualTypeArguments()));
                todo.push(p.getRawType());
                continue;
            }
            if (!(t instanceof Class<?> c) || c.isEnum() || !c.getPackageName().equals(Resources.class.getPackageName()) || !seen.add(c)) {
                continue;
            }
            if (c.getGenericSuperclass() != null) {
                todo.push(c.getGenericSuperclass());
            }
            for (Field f : c.getDeclaredFields()) {
                if (!Modifier.isStatic(f.getModifiers())) {
                    todo.push(f.getGenericType());
                }
            }
        }
        return seen.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("apiClasses")
    void everyFieldIsAJsonProperty(Class<?> type) {
        ObjectMapper mapper = Serialization.jsonMapper();
        BeanDescription ser = mapper.getSerializationConfig().introspect(mapper.constructType(type));
        BeanDescription de = mapper.getDeserializationConfig().introspect(mapper.constructType(type));
        Set<String> written = names(ser.findProperties());
        Set<String> read = names(de.findProperties());
        for (Field f : type.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) || f.isAnnotationPresent(JsonIgnore.class)) {
                continue;
            }
            assertThat(written).as("%s.%s is written to JSON (a @JsonIgnore accessor of the same name hides it)", type.getSimpleName(), f.getName())
                    .contains(f.getName());
            assertThat(read).as("%s.%s is read from JSON", type.getSimpleName(), f.getName()).contains(f.getName());
        }
    }

    private static Set<String> names(List<BeanPropertyDefinition> properties) {
        Set<String> out = new LinkedHashSet<>();
        properties.stream().filter(p -> p.couldSerialize() || p.couldDeserialize()).forEach(p -> out.add(p.getName()));
        return out;
    }

    // ---- resources: the new shape and its schema

    @Test
    void sbatchOptionNamesAreTheLongOptions() throws Exception {
        SbatchOption option = new SbatchOption(SbatchOptionName.MAIL_TYPE, "END");
        assertThat(Serialization.asJson(option)).isEqualTo("{\"name\":\"mail-type\",\"value\":\"END\"}");
        assertThat(Serialization.unmarshal("{\"name\":\"ntasks-per-node\",\"value\":\"4\"}", SbatchOption.class).getName())
                .isEqualTo(SbatchOptionName.NTASKS_PER_NODE);
        for (SbatchOptionName n : SbatchOptionName.values()) {
            assertThat(Serialization.asJson(n)).isEqualTo("\"" + n.option() + "\"");
        }
    }

    @Test
    void aFreshResourcesSerializesToNothing() {
        assertThat(Serialization.asJson(new Resources())).isEqualTo("{}");
    }

    /** The schema checks each field, so kubectl apply refuses a bad value and names its path. */
    @Test
    void theResourcesSchemaCarriesTheConstraints() throws Exception {
        for (JsonNode r : List.of(
                specProperty("campaigns", "defaults").path("properties").path("resources"),
                specProperty("campaigns", "tasks").path("items").path("properties").path("resources"),
                specProperty("tasks", "resources"),
                specProperty("taskattempts", "resources"))) {
            JsonNode p = r.path("properties");
            assertThat(p.path("cpus").path("minimum").asInt()).isEqualTo(1);
            assertThat(p.path("gpus").path("minimum").asInt()).isZero();
            assertThat(p.path("memory").path("pattern").asText()).isNotEmpty();
            assertThat(p.path("disk").path("pattern").asText()).isEqualTo(p.path("memory").path("pattern").asText());
            assertThat(p.path("time").path("pattern").asText()).isNotEmpty();

            JsonNode slurm = p.path("slurm").path("properties");
            for (String name : List.of("partition", "account", "qos", "reservation")) {
                assertThat(slurm.path(name).path("pattern").asText()).as(name).isNotEmpty();
                assertThat(slurm.path(name).path("maxLength").asInt()).as(name).isEqualTo(64);
            }
            assertThat(slurm.path("constraint").path("maxLength").asInt()).isEqualTo(256);
            assertThat(slurm.path("nodes").path("minimum").asInt()).isEqualTo(1);
            assertThat(slurm.path("ntasks").path("minimum").asInt()).isEqualTo(1);
            assertThat(slurm.path("exclusive").path("type").asText()).isEqualTo("boolean");
            JsonNode options = slurm.path("options");
            assertThat(options.path("maxItems").asInt()).isEqualTo(16);
            assertThat(texts(options.path("items").path("required"))).containsExactlyInAnyOrder("name", "value");
            assertThat(texts(options.path("items").path("properties").path("name").path("enum")))
                    .hasSize(SbatchOptionName.values().length)
                    .contains("mail-type", "mem-bind", "ntasks-per-node")
                    .doesNotContain("job-name", "comment", "output", "error", "chdir", "requeue", "parsable", "wrap", "array", "dependency");
            assertThat(options.path("items").path("properties").path("value").path("maxLength").asInt()).isEqualTo(256);

            JsonNode htcondor = p.path("htcondor").path("properties");
            assertThat(htcondor.path("accountingGroup").path("maxLength").asInt()).isEqualTo(128);
            assertThat(htcondor.path("requirements").path("maxLength").asInt()).isEqualTo(4096);
            assertThat(htcondor.path("rank").path("pattern").asText()).isNotEmpty();
            JsonNode attributes = htcondor.path("attributes");
            assertThat(attributes.path("maxItems").asInt()).isEqualTo(32);
            assertThat(texts(attributes.path("items").path("required"))).containsExactlyInAnyOrder("name", "value");
            assertThat(attributes.path("items").path("properties").path("name").path("pattern").asText())
                    .isEqualTo("^[A-Za-z_][A-Za-z0-9_]*$");
        }
    }

    @Test
    void theAttemptStatusHasHoldAndRestartCount() throws Exception {
        JsonNode status = YAML.readTree(CRDS.resolve("taskattempts.hpcbridge.io.yaml").toFile()).path("spec").path("versions").get(0)
                .path("schema").path("openAPIV3Schema").path("properties").path("status").path("properties");
        assertThat(texts(status.path("phase").path("enum"))).contains("Held", "Queued");
        assertThat(status.path("hold").path("properties").fieldNames()).toIterable()
                .containsExactlyInAnyOrder("code", "subcode", "reason", "since");
        assertThat(status.has("restartCount")).isTrue();
        assertThat(status.has("requeueCount")).isFalse();
    }

    private static JsonNode specProperty(String plural, String name) throws Exception {
        JsonNode crd = YAML.readTree(CRDS.resolve(plural + ".hpcbridge.io.yaml").toFile());
        JsonNode property = crd.path("spec").path("versions").get(0).path("schema").path("openAPIV3Schema")
                .path("properties").path("spec").path("properties").path(name);
        assertThat(property.isMissingNode()).as("%s: spec.%s is in the CRD", plural, name).isFalse();
        return property;
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new java.util.ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
