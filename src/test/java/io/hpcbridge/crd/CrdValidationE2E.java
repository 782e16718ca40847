package io.hpcbridge.crd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.hpcbridge.e2e.Kubectl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The committed CRDs and examples against the real 1.20 API server of hack/stack-up.sh, via the real kubectl.
 * CRDs are applied and left installed (deleting them would delete everyone's objects on the shared stack);
 * all objects go into a namespace of this test's own that is deleted at the end.
 */
class CrdValidationE2E {
    /**
     * A namespace of this run's own: a leftover of an earlier run can stay terminating for as long as no operator runs
     * to take its objects' finalizers off, and must not block this one.
     */
    private static final String NS = "hpcb-crd-test-" + Long.toString(System.currentTimeMillis() % 1_000_000, 36);
    private static final Path CRDS = Path.of("deploy/crds");
    private static final Path EXAMPLES = Path.of("examples");

    private static Kubectl kubectl;
    private static Kubectl inNs;

    @BeforeAll
    static void setUp() throws IOException {
        kubectl = Kubectl.fromStack();
        kubectl.run("create", "namespace", NS).orFail();
        inNs = kubectl.inNamespace(NS);
        for (Path crd : files(CRDS)) {
            kubectl.apply(crd.toFile()).orFail();
        }
        kubectl.run(concat(List.of("wait", "--for=condition=Established", "--timeout=60s"), crdNames())).orFail();
    }

    @AfterAll
    static void tearDown() {
        if (kubectl != null) {
            // Not waiting: the namespace controller finishes it once an operator has taken the finalizers off.
            kubectl.run("delete", "namespace", NS, "--ignore-not-found", "--wait=false");
        }
    }

    // ---- (a) the CRDs

    @Test
    void everyCrdAppliesBecomesEstablishedAndKeepsTheColumnOrder() throws Exception {
        List<Path> crds = files(CRDS);
        assertThat(crds).hasSize(5);
        for (Path file : crds) {
            String name = crdName(file);
            Kubectl.Result apply = kubectl.apply(file.toFile());
            System.out.println(apply.stdout().strip());
            assertThat(apply.exitCode()).as(apply.toString()).isZero();
            assertThat(apply.stdout()).contains("customresourcedefinition.apiextensions.k8s.io/" + name);

            Kubectl.Result wait = kubectl.run("wait", "--for=condition=Established", "--timeout=60s", "crd/" + name);
            assertThat(wait.exitCode()).as(wait.toString()).isZero();
            assertThat(wait.stdout()).contains("condition met");

            // The server must keep the printer columns in annotation order (what kubectl get shows).
            String kind = kubectl.get("crd", name, "-o", "jsonpath={.spec.names.kind}").orFail().stdout();
            String columns = kubectl.get("crd", name, "-o",
                    "jsonpath={.spec.versions[0].additionalPrinterColumns[*].name}").orFail().stdout();
            String expected = Arrays.stream(Class.forName("io.hpcbridge.api.v1alpha1." + kind)
                    .getAnnotationsByType(AdditionalPrinterColumn.class))
                    .map(AdditionalPrinterColumn::name).collect(Collectors.joining(" "));
            assertThat(columns).as(name + " printer columns").isEqualTo(expected);
        }
        // The category works on the server: one "kubectl get hpcbridge" lists every kind.
        Kubectl.Result all = inNs.get("hpcbridge");
        assertThat(all.exitCode()).as(all.toString()).isZero();
    }

    // ---- (b) the examples

    @Test
    void examplesPassServerSideValidationAndReapplyUnchanged() throws Exception {
        List<Path> examples = files(EXAMPLES);
        assertThat(examples).extracting(p -> p.getFileName().toString()).contains(
                "01-hpccluster.yaml", "02-campaign-hello.yaml", "03-campaign-failing.yaml", "04-campaign-cycle.yaml");

        for (Path file : examples) {
            Kubectl.Result dry = inNs.apply(file.toFile(), "--dry-run=server");
            System.out.println(dry.stdout().strip());
            assertThat(dry.exitCode()).as(dry.toString()).isZero();
            assertThat(dry.stderr()).as(file + " warnings").isBlank();
            assertThat(dry.stdout()).contains("(server dry run)");
        }
        // Dry runs must not have created anything (by name: other tests may share the namespace).
        assertThat(inNs.get("hpccluster/local-slurm", "campaign/hello", "campaign/failing", "campaign/cyclic",
                "--ignore-not-found", "-o", "name").orFail().stdout()).isBlank();

        for (Path file : examples) {
            Kubectl.Result first = inNs.apply(file.toFile());
            assertThat(first.exitCode()).as(first.toString()).isZero();
            assertThat(nonBlankLines(first.stdout())).as(first.toString()).allMatch(l -> l.endsWith(" created"));

            // A second apply of the same file must be a no-op: the server's defaulting and pruning
            // leave nothing for kubectl to patch.
            Kubectl.Result second = inNs.apply(file.toFile());
            System.out.println(second.stdout().strip());
            assertThat(second.exitCode()).as(second.toString()).isZero();
            assertThat(nonBlankLines(second.stdout())).as(second.toString())
                    .hasSameSizeAs(nonBlankLines(first.stdout()))
                    .allMatch(l -> l.endsWith(" unchanged"));
        }
        assertThat(nonBlankLines(inNs.get("hpcclusters", "-o", "name").orFail().stdout()))
                .contains("hpccluster.hpcbridge.io/local-slurm");
        assertThat(nonBlankLines(inNs.get("campaigns", "-o", "name").orFail().stdout())).contains(
                "campaign.hpcbridge.io/hello", "campaign.hpcbridge.io/failing", "campaign.hpcbridge.io/cyclic");
        // The cycle is the operator's to reject, so the server stored it as written.
        assertThat(inNs.get("campaign", "cyclic", "-o", "jsonpath={.spec.tasks[0].dependsOn[0]}").orFail().stdout())
                .isEqualTo("c");
    }

    @Test
    void serverAppliesSchemaDefaults() {
        String cluster = CLUSTER.replace("name: valid-cluster", "name: defaulted")
                .replace("  pollInterval: 10s\n", "");
        assertThat(cluster).doesNotContain("pollInterval");
        inNs.apply(cluster).orFail();
        assertThat(inNs.get("hpccluster", "defaulted", "-o", "jsonpath={.spec.pollInterval}").orFail().stdout())
                .isEqualTo("30s");
    }

    // ---- (c) invalid manifests

    /** Valid bases; each invalid case changes exactly one thing, and validBasesAreAccepted proves the rest is fine. */
    private static final String CAMPAIGN = """
            apiVersion: hpcbridge.io/v1alpha1
            kind: Campaign
            metadata:
              name: valid-campaign
            spec:
              clusterRef:
                name: local-slurm
              parallelism: 4
              tasks:
                - name: good-name
                  script: echo hi
                  env:
                    - name: GOOD_NAME
                      value: x
                  resources:
                    cpus: 1
                    memory: 100Mi
                    time: 2m
                  retryStrategy:
                    limit: 1
                    retryPolicy: OnFailure
            """;

    private static final String CLUSTER = """
            apiVersion: hpcbridge.io/v1alpha1
            kind: HpcCluster
            metadata:
              name: valid-cluster
            spec:
              scheduler: slurm
              loginNodes:
                - host: 127.0.0.1
                  port: 2222
              user: hpcuser
              credentialsSecretRef:
                name: hpc-login
              workRoot: /home/hpcuser/hpcb-work
              pollInterval: 10s
            """;

    @Test
    void validBasesAreAccepted() {
        for (String base : List.of(CAMPAIGN, CLUSTER)) {
            Kubectl.Result r = inNs.apply(base, "--dry-run=server", "--validate=false");
            assertThat(r.exitCode()).as(r.toString()).isZero();
        }
    }

    static Stream<Arguments> invalidManifests() {
        return Stream.of(
                invalid("task name pattern", CAMPAIGN, "- name: good-name", "- name: Bad_Name",
                        "spec.tasks.name", "Bad_Name", "should match"),
                invalid("parallelism type", CAMPAIGN, "parallelism: 4", "parallelism: \"four\"",
                        "spec.parallelism", "must be of type integer"),
                invalid("parallelism minimum", CAMPAIGN, "parallelism: 4", "parallelism: 0",
                        "spec.parallelism", "greater than or equal to 1"),
                invalid("missing clusterRef", CAMPAIGN, "  clusterRef:\n    name: local-slurm\n", "",
                        "spec.clusterRef", "Required value"),
                invalid("missing tasks", CAMPAIGN, CAMPAIGN.substring(CAMPAIGN.indexOf("  tasks:")), "",
                        "spec.tasks", "Required value"),
                invalid("empty tasks", CAMPAIGN, CAMPAIGN.substring(CAMPAIGN.indexOf("  tasks:")), "  tasks: []\n",
                        "spec.tasks", "at least 1 items"),
                invalid("retryPolicy enum", CAMPAIGN, "retryPolicy: OnFailure", "retryPolicy: Sometimes",
                        "spec.tasks.retryStrategy.retryPolicy", "Unsupported value", "\"Sometimes\""),
                invalid("env name pattern", CAMPAIGN, "- name: GOOD_NAME", "- name: 1BAD",
                        "spec.tasks.env.name", "should match"),
                invalid("scheduler enum", CLUSTER, "scheduler: slurm", "scheduler: pbs",
                        "spec.scheduler", "Unsupported value", "\"pbs\""),
                invalid("loginNodes minItems", CLUSTER, "  loginNodes:\n    - host: 127.0.0.1\n      port: 2222\n",
                        "  loginNodes: []\n", "spec.loginNodes", "at least 1 items"),
                invalid("port maximum", CLUSTER, "port: 2222", "port: 70000",
                        "spec.loginNodes.port", "less than or equal to 65535"),
                invalid("relative workRoot", CLUSTER, "workRoot: /home/hpcuser/hpcb-work", "workRoot: hpcb-work",
                        "spec.workRoot", "should match"),
                invalid("pollInterval pattern", CLUSTER, "pollInterval: 10s", "pollInterval: often",
                        "spec.pollInterval", "should match"),
                invalid("heldTimeout pattern", CLUSTER, "pollInterval: 10s", "pollInterval: 10s\n  heldTimeout: a while",
                        "spec.heldTimeout", "should match"),
                // resources: the schema checks each field and names its path
                invalid("cpus zero", CAMPAIGN, "cpus: 1", "cpus: 0",
                        "spec.tasks", "resources.cpus", "greater than or equal to 1"),
                invalid("negative gpus", CAMPAIGN, "cpus: 1", "cpus: 1\n        gpus: -1",
                        "spec.tasks", "resources.gpus", "greater than or equal to 0"),
                invalid("memory unparsable", CAMPAIGN, "memory: 100Mi", "memory: lots",
                        "spec.tasks", "resources.memory", "should match"),
                invalid("time unparsable", CAMPAIGN, "time: 2m", "time: 5 minutes",
                        "spec.tasks", "resources.time", "should match"),
                invalid("disk unparsable", CAMPAIGN, "time: 2m", "time: 2m\n        disk: big",
                        "spec.tasks", "resources.disk", "should match"),
                invalid("slurm partition with a space", CAMPAIGN, "time: 2m", "time: 2m\n        slurm:\n          partition: a b",
                        "spec.tasks", "resources.slurm.partition", "should match"),
                invalid("slurm nodes zero", CAMPAIGN, "time: 2m", "time: 2m\n        slurm:\n          nodes: 0",
                        "spec.tasks", "resources.slurm.nodes", "greater than or equal to 1"),
                invalid("sbatch option not allowed", CAMPAIGN, "time: 2m",
                        "time: 2m\n        slurm:\n          options:\n            - name: job-name\n              value: x",
                        "spec.tasks", "resources.slurm.options", "Unsupported value", "\"job-name\""),
                invalid("sbatch option without value", CAMPAIGN, "time: 2m",
                        "time: 2m\n        slurm:\n          options:\n            - name: mail-type",
                        "spec.tasks", "resources.slurm.options", "value", "Required value"),
                invalid("htcondor requirements on two lines", CAMPAIGN, "time: 2m",
                        "time: 2m\n        htcondor:\n          requirements: \"true\\nfalse\"",
                        "spec.tasks", "resources.htcondor.requirements", "should match"),
                invalid("htcondor attribute name", CAMPAIGN, "time: 2m",
                        "time: 2m\n        htcondor:\n          attributes:\n            - name: 1st\n              value: \"1\"",
                        "spec.tasks", "resources.htcondor.attributes", "name", "should match"));
    }

    /**
     * Resource values a pattern cannot refuse: the API server stores them as written, and the operator rejects the
     * campaign with Accepted=False, reason InvalidResources, and a message naming the task and the field (asserted with
     * the same values, against a running operator, in OrchestrationE2E#invalidCampaignsAreNotAcceptedAndNothingIsSubmitted).
     */
    static Stream<Arguments> resourceValuesForTheOperator() {
        return Stream.of(
                invalid("memory zero", CAMPAIGN, "memory: 100Mi", "memory: \"0\"", "{.spec.tasks[0].resources.memory}", "0"),
                invalid("time zero", CAMPAIGN, "time: 2m", "time: 0s", "{.spec.tasks[0].resources.time}", "0s"),
                invalid("reserved htcondor attribute", CAMPAIGN, "time: 2m",
                        "time: 2m\n        htcondor:\n          attributes:\n            - name: HpcBridgeToken\n              value: \"1\"",
                        "{.spec.tasks[0].resources.htcondor.attributes[0].name}", "HpcBridgeToken"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("resourceValuesForTheOperator")
    void resourceValuesAreLeftToTheOperator(String name, String manifest, List<String> jsonPathAndValue) {
        Kubectl.Result r = inNs.runWithInput(manifest, "create", "--validate=false", "-f", "-");
        System.out.printf("[%s] exit %d: %s%s%n", name, r.exitCode(), r.stdout().strip(), r.stderr().strip());
        assertThat(r.exitCode()).as("the schema must leave this to the operator: " + name + "\n" + r).isZero();
        String objectName = manifest.lines().filter(l -> l.startsWith("  name: invalid-")).findFirst().orElseThrow()
                .substring("  name: ".length());
        assertThat(inNs.get("campaign", objectName, "-o", "jsonpath=" + jsonPathAndValue.get(0)).orFail().stdout())
                .as("stored as written: " + name).isEqualTo(jsonPathAndValue.get(1));
        inNs.delete("campaign", objectName, "--wait=false").orFail();
    }

    private static Arguments invalid(String name, String base, String from, String to, String... expected) {
        // Guard against a case that silently stops changing its base when the base is edited.
        assertThat(base).as(name).contains(from);
        String slug = name.toLowerCase().replaceAll("[^a-z0-9]+", "-");
        String manifest = base.replace(from, to).replaceFirst("name: valid-(campaign|cluster)", "name: invalid-" + slug);
        return Arguments.of(name, manifest, List.of(expected));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidManifests")
    void apiServerRejects(String name, String manifest, List<String> expected) {
        // --validate=false: kubectl's own client-side schema check must not be what rejects it.
        Kubectl.Result r = inNs.runWithInput(manifest, "create", "--validate=false", "-f", "-");
        System.out.printf("[%s] exit %d: %s%n", name, r.exitCode(), r.stderr().strip());
        assertThat(r.exitCode()).as("should be rejected: " + name + "\n" + manifest).isNotZero();
        assertThat(r.stderr()).as(name).contains("is invalid");
        for (String e : expected) {
            assertThat(r.stderr()).as(name).contains(e);
        }
        String kind = manifest.contains("kind: Campaign") ? "campaign" : "hpccluster";
        String objectName = manifest.lines().filter(l -> l.startsWith("  name: invalid-")).findFirst().orElseThrow()
                .substring("  name: ".length());
        assertThat(inNs.get(kind, objectName, "--ignore-not-found", "-o", "name").orFail().stdout())
                .as("nothing stored for " + name).isBlank();
    }

    // ---- helpers

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".yaml")).sorted().toList();
        }
    }

    private static String crdName(Path file) {
        String f = file.getFileName().toString();
        return f.substring(0, f.length() - ".yaml".length());
    }

    private static List<String> crdNames() throws IOException {
        return files(CRDS).stream().map(p -> "crd/" + crdName(p)).toList();
    }

    private static String[] concat(List<String> a, List<String> b) {
        return Stream.concat(a.stream(), b.stream()).toArray(String[]::new);
    }

    private static List<String> nonBlankLines(String s) {
        return s.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }
}
