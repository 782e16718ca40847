package io.hpcbridge.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.client.utils.Serialization;

/**
 * The Helm chart in deploy/helm/hpc-bridge, through Helm itself (helm-java: Helm 3 as a native library): lint, render
 * with default and with namespaced values, and the rendered objects checked field by field.
 */
class HelmChartTest {
    static final Path CHART = Path.of("deploy/helm/hpc-bridge");
    static final String RELEASE = "hpcb";
    static final String RELEASE_NAMESPACE = "hpc-system";
    static final String FULLNAME = "hpcb-hpc-bridge";
    static final String LEASE = FULLNAME + "-leader";
    /** The installation's identity in every HTCondor job: the release namespace and full name. */
    static final String INSTALLATION = RELEASE_NAMESPACE + "." + FULLNAME;
    static final String GROUP = "hpcbridge.io";

    /**
     * Every right the operator needs on its kinds, as group|resource|verb; the chart must grant exactly these (in a
     * ClusterRole, or in a Role per watched namespace). Why each one: docs/operations.md, "Install with Helm".
     */
    static final Set<String> OPERATOR_RIGHTS = new TreeSet<>(List.of(
            // informers (list, watch) of every kind; get when JOSDK re-reads a resource after a conflict
            "hpcbridge.io|campaigns|get", "hpcbridge.io|campaigns|list", "hpcbridge.io|campaigns|watch",
            "hpcbridge.io|tasks|get", "hpcbridge.io|tasks|list", "hpcbridge.io|tasks|watch",
            "hpcbridge.io|taskattempts|get", "hpcbridge.io|taskattempts|list", "hpcbridge.io|taskattempts|watch",
            "hpcbridge.io|processingblocks|get", "hpcbridge.io|processingblocks|list", "hpcbridge.io|processingblocks|watch",
            "hpcbridge.io|hpcclusters|get", "hpcbridge.io|hpcclusters|list", "hpcbridge.io|hpcclusters|watch",
            // the campaign scheduler creates Tasks, TaskAttempts and ProcessingBlocks
            "hpcbridge.io|tasks|create", "hpcbridge.io|taskattempts|create", "hpcbridge.io|processingblocks|create",
            // merge patches of Task spec/annotations and TaskAttempt annotations; finalizers of TaskAttempt and HpcCluster
            "hpcbridge.io|tasks|patch", "hpcbridge.io|taskattempts|patch", "hpcbridge.io|hpcclusters|patch",
            // status: server-side apply of every kind's status; TaskAttempt also PUTs its status (updateStatusAndCacheResource)
            "hpcbridge.io|campaigns/status|patch", "hpcbridge.io|tasks/status|patch", "hpcbridge.io|taskattempts/status|patch",
            "hpcbridge.io|processingblocks/status|patch", "hpcbridge.io|hpcclusters/status|patch",
            "hpcbridge.io|taskattempts/status|update",
            // children carry ownerReferences with blockOwnerDeletion=true to a Campaign or a Task
            "hpcbridge.io|campaigns/finalizers|update", "hpcbridge.io|tasks/finalizers|update",
            // the HpcCluster's credentials Secret, read by name; Events on the objects users look at
            "|secrets|get", "|events|create"));

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static String projectVersion;

    @BeforeAll
    static void readProjectVersion() throws Exception {
        var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("pom.xml").toFile());
        for (Node n = doc.getDocumentElement().getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals("version")) {
                projectVersion = e.getTextContent().trim();
            }
        }
        assertThat(projectVersion).as("project version in pom.xml").isNotBlank();
    }

    // ---------------------------------------------------------------------------------------------- chart and lint

    @Test
    void chartVersionsAreTheProjectVersion() throws IOException {
        JsonNode chart = YAML.readTree(CHART.resolve("Chart.yaml").toFile());
        assertThat(chart.path("apiVersion").asText()).isEqualTo("v2");
        assertThat(chart.path("name").asText()).isEqualTo("hpc-bridge");
        assertThat(chart.path("appVersion").asText()).as("Chart.yaml appVersion = pom.xml version").isEqualTo(projectVersion);
        assertThat(chart.path("version").asText()).as("Chart.yaml version = pom.xml version").isEqualTo(projectVersion);
    }

    @Test
    void lintPassesStrictly() {
        LintResult lint = new Helm(CHART).lint().strict().call();
        assertThat(lint.isFailed()).as("helm lint --strict: %s", lint.getMessages()).isFalse();
        assertThat(lint.getMessages()).as("no lint errors or warnings")
                .noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
    }

    // ---------------------------------------------------------------------------------------------- default values

    @Test
    void defaultValuesRenderTheExpectedObjects() {
        Rendered r = render();
        assertThat(r.kinds()).containsExactlyInAnyOrder("ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role",
                "RoleBinding", "Service", "Deployment");

        ServiceAccount sa = r.one(ServiceAccount.class);
        assertThat(sa.getMetadata().getName()).isEqualTo(FULLNAME);
        assertThat(sa.getMetadata().getNamespace()).isEqualTo(RELEASE_NAMESPACE);
    }

    @Test
    void defaultDeployment() {
        Deployment d = render().one(Deployment.class);
        assertThat(d.getMetadata().getName()).isEqualTo(FULLNAME);
        assertThat(d.getMetadata().getNamespace()).isEqualTo(RELEASE_NAMESPACE);
        assertThat(d.getSpec().getReplicas()).isEqualTo(1);
        assertThat(d.getSpec().getStrategy().getType()).as("leader election on: rolling update").isEqualTo("RollingUpdate");
        assertThat(d.getSpec().getStrategy().getRollingUpdate().getMaxSurge()).as("old pod goes first").isEqualTo(new IntOrString(0));
        assertThat(d.getSpec().getSelector().getMatchLabels())
                .containsExactlyInAnyOrderEntriesOf(Map.of("app.kubernetes.io/name", "hpc-bridge", "app.kubernetes.io/instance", RELEASE));
        assertThat(d.getSpec().getTemplate().getMetadata().getLabels()).containsAllEntriesOf(d.getSpec().getSelector().getMatchLabels());

        var pod = d.getSpec().getTemplate().getSpec();
        assertThat(pod.getServiceAccountName()).isEqualTo(FULLNAME);
        assertThat(pod.getAutomountServiceAccountToken()).isTrue();
        assertThat(pod.getContainers()).hasSize(1);
        Container c = pod.getContainers().get(0);
        assertThat(c.getImage()).as("default image = repository:projectVersion").isEqualTo("hpc-bridge:" + projectVersion);
        assertThat(c.getImagePullPolicy()).isEqualTo("IfNotPresent");
        assertThat(c.getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getName()).isEqualTo("http");
            assertThat(p.getContainerPort()).isEqualTo(8080);
            assertThat(p.getProtocol()).isEqualTo("TCP");
        });

        assertHttpProbe(c.getStartupProbe(), "/q/health/live");
        assertHttpProbe(c.getLivenessProbe(), "/q/health/live");
        assertHttpProbe(c.getReadinessProbe(), "/q/health/ready");
        assertThat(c.getStartupProbe().getFailureThreshold() * c.getStartupProbe().getPeriodSeconds())
                .as("startup allowance in seconds").isGreaterThanOrEqualTo(120);

        Map<String, String> env = env(c);
        assertThat(env).containsExactlyInAnyOrderEntriesOf(Map.of(
                "QUARKUS_LOG_CATEGORY__IO_HPCBRIDGE__LEVEL", "INFO",
                "QUARKUS_LOG_CONSOLE_JSON_ENABLED", "false",
                "HPCBRIDGE_INSTALLATION", INSTALLATION,
                "HPCBRIDGE_LEADER_ELECTION_ENABLED", "true",
                "HPCBRIDGE_LEADER_ELECTION_LEASE_NAME", LEASE,
                "HPCBRIDGE_LEADER_ELECTION_LEASE_NAMESPACE", "fieldRef:metadata.namespace"));

        assertThat(c.getResources().getRequests()).containsKeys("cpu", "memory");
        assertThat(c.getResources().getLimits()).containsKey("memory");

        // Restrictive security defaults.
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(c.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(c.getSecurityContext().getCapabilities().getAdd()).isNullOrEmpty();
        assertThat(c.getSecurityContext().getPrivileged()).isNotEqualTo(Boolean.TRUE);
        // A writable /tmp despite the read-only root file system.
        assertThat(c.getVolumeMounts()).singleElement().satisfies(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));
        assertThat(pod.getVolumes()).singleElement().satisfies(v -> {
            assertThat(v.getName()).isEqualTo(c.getVolumeMounts().get(0).getName());
            assertThat(v.getEmptyDir()).isNotNull();
        });
    }

    /**
     * The image that {@code mvn -Pimage ... jib:buildTar} (hack/build-image.sh) builds is the one the chart deploys by
     * default, and it runs as the user and listens on the port the chart expects. hack/check-image.py checks the built
     * tar itself; this test holds without building it.
     */
    @Test
    void imageProfileBuildsTheChartsDefaultImage() throws Exception {
        Deployment d = render().one(Deployment.class);
        var pod = d.getSpec().getTemplate().getSpec();
        Container c = pod.getContainers().get(0);

        Element project = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("pom.xml").toFile())
                .getDocumentElement();
        Element profile = children(child(project, "profiles"), "profile").stream()
                .filter(p -> child(p, "id").getTextContent().trim().equals("image")).findFirst()
                .orElseThrow(() -> new AssertionError("pom.xml has no profile 'image'"));
        String imageName = child(child(profile, "properties"), "image.name").getTextContent().trim()
                .replace("${project.version}", projectVersion);
        assertThat(imageName).as("the image profile's image = the chart's default image").isEqualTo(c.getImage());

        Element jib = children(child(child(profile, "build"), "plugins"), "plugin").stream()
                .filter(p -> child(p, "artifactId").getTextContent().trim().equals("jib-maven-plugin")).findFirst()
                .orElseThrow(() -> new AssertionError("the image profile has no jib-maven-plugin"));
        Element container = child(child(jib, "configuration"), "container");
        assertThat(child(container, "user").getTextContent().trim()).as("image user = the pod's runAsUser:runAsGroup")
                .isEqualTo(pod.getSecurityContext().getRunAsUser() + ":" + pod.getSecurityContext().getRunAsGroup());
        assertThat(children(child(container, "ports"), "port")).extracting(e -> e.getTextContent().trim())
                .as("image ports = the container's ports")
                .containsExactly(String.valueOf(c.getPorts().get(0).getContainerPort()));
        assertThat(children(child(container, "entrypoint"), "arg")).extracting(e -> e.getTextContent().trim())
                .as("entrypoint runs the Quarkus fast-jar").startsWith("java").endsWith("-jar", "/deployments/quarkus-run.jar");
    }

    private static Element child(Element parent, String name) {
        List<Element> found = children(parent, name);
        assertThat(found).as("<%s> in <%s>", name, parent.getTagName()).hasSize(1);
        return found.get(0);
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                found.add(e);
            }
        }
        return found;
    }

    @Test
    void defaultRbacIsClusterWideWithExactlyTheOperatorsRights() {
        Rendered r = render();
        ClusterRole role = r.one(ClusterRole.class);
        assertThat(role.getMetadata().getName()).isEqualTo(FULLNAME);
        assertThat(rights(role.getRules())).isEqualTo(OPERATOR_RIGHTS);
        assertThat(role.getRules()).allSatisfy(rule -> assertThat(rule.getResourceNames()).isNullOrEmpty());
        assertThat(role.getAggregationRule()).isNull();

        ClusterRoleBinding binding = r.one(ClusterRoleBinding.class);
        assertRoleRef(binding.getRoleRef(), "ClusterRole", FULLNAME);
        assertOnlySubjectIsTheServiceAccount(binding.getSubjects());

        assertNoWildcard(r);
    }

    @Test
    void defaultLeaderElectionRightsAreOneLeaseInTheReleaseNamespace() {
        Rendered r = render();
        Role role = r.one(Role.class);
        assertThat(role.getMetadata().getName()).isEqualTo(FULLNAME + "-leader-election");
        assertThat(role.getMetadata().getNamespace()).isEqualTo(RELEASE_NAMESPACE);
        assertThat(rights(role.getRules())).containsExactlyInAnyOrder(
                "coordination.k8s.io|leases|create",
                "coordination.k8s.io|leases[" + LEASE + "]|get",
                "coordination.k8s.io|leases[" + LEASE + "]|update",
                // Found by HelmInstallE2E: the Fabric8 leader elector renews with a PATCH, and without it the leader
                // halts after its renew deadline.
                "coordination.k8s.io|leases[" + LEASE + "]|patch");

        RoleBinding binding = r.one(RoleBinding.class);
        assertThat(binding.getMetadata().getNamespace()).isEqualTo(RELEASE_NAMESPACE);
        assertRoleRef(binding.getRoleRef(), "Role", role.getMetadata().getName());
        assertOnlySubjectIsTheServiceAccount(binding.getSubjects());
        // The lease the operator is told to use is the one it may update.
        assertThat(env(r.one(Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0)))
                .containsEntry("HPCBRIDGE_LEADER_ELECTION_LEASE_NAME", LEASE);
    }

    @Test
    void metricsServiceSelectsTheOperatorPod() {
        Rendered r = render();
        Service s = r.one(Service.class);
        Deployment d = r.one(Deployment.class);
        assertThat(s.getMetadata().getName()).isEqualTo(FULLNAME + "-metrics");
        assertThat(s.getMetadata().getNamespace()).isEqualTo(RELEASE_NAMESPACE);
        assertThat(s.getSpec().getType()).isEqualTo("ClusterIP");
        assertThat(d.getSpec().getTemplate().getMetadata().getLabels()).containsAllEntriesOf(s.getSpec().getSelector());
        assertThat(s.getSpec().getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getName()).isEqualTo("http-metrics");
            assertThat(p.getPort()).isEqualTo(8080);
            assertThat(p.getTargetPort()).isEqualTo(new IntOrString("http"));
        });
        assertThat(r.all("ServiceMonitor")).as("ServiceMonitor is off by default").isEmpty();
    }

    // ---------------------------------------------------------------------------------------------- namespaced mode

    @Test
    void namespacedValuesGiveARoleAndRoleBindingPerNamespaceAndNothingClusterWide(@TempDir Path tmp) throws IOException {
        Rendered r = render(tmp, """
                watchNamespaces: [team-a, team-b]
                leaderElection:
                  enabled: false
                """);
        assertThat(r.kinds()).containsExactlyInAnyOrder("ServiceAccount", "Role", "Role", "RoleBinding", "RoleBinding",
                "Service", "Deployment");
        assertThat(r.all("ClusterRole")).as("no ClusterRole in namespaced mode").isEmpty();
        assertThat(r.all("ClusterRoleBinding")).as("no ClusterRoleBinding in namespaced mode").isEmpty();

        Map<String, Role> roles = r.list(Role.class).stream()
                .collect(Collectors.toMap(x -> x.getMetadata().getNamespace(), x -> x, (a, b) -> a, TreeMap::new));
        assertThat(roles).containsOnlyKeys("team-a", "team-b");
        roles.forEach((ns, role) -> {
            assertThat(role.getMetadata().getName()).isEqualTo(FULLNAME);
            assertThat(rights(role.getRules())).as("Role in %s", ns).isEqualTo(OPERATOR_RIGHTS);
        });

        Map<String, RoleBinding> bindings = r.list(RoleBinding.class).stream()
                .collect(Collectors.toMap(x -> x.getMetadata().getNamespace(), x -> x, (a, b) -> a, TreeMap::new));
        assertThat(bindings).containsOnlyKeys("team-a", "team-b");
        bindings.forEach((ns, b) -> {
            assertRoleRef(b.getRoleRef(), "Role", FULLNAME);
            assertOnlySubjectIsTheServiceAccount(b.getSubjects());
        });

        // No leader election: no Lease rights anywhere, and the operator is told so.
        assertThat(r.list(Role.class)).flatExtracting(Role::getRules).extracting(PolicyRule::getResources)
                .noneMatch(resources -> resources.contains("leases"));
        Deployment d = r.one(Deployment.class);
        assertThat(d.getSpec().getStrategy().getType()).as("without leader election never two pods at once").isEqualTo("Recreate");
        Map<String, String> env = env(d.getSpec().getTemplate().getSpec().getContainers().get(0));
        assertThat(env).containsEntry("QUARKUS_OPERATOR_SDK_NAMESPACES", "team-a,team-b")
                .containsEntry("HPCBRIDGE_LEADER_ELECTION_ENABLED", "false")
                .doesNotContainKeys("HPCBRIDGE_LEADER_ELECTION_LEASE_NAME", "HPCBRIDGE_LEADER_ELECTION_LEASE_NAMESPACE");
        assertNoWildcard(r);
    }

    @Test
    void namespacedWithLeaderElectionAddsOnlyTheLeaseRoleInTheReleaseNamespace(@TempDir Path tmp) throws IOException {
        Rendered r = render(tmp, "watchNamespaces: [team-a]\n");
        assertThat(r.all("ClusterRole")).isEmpty();
        assertThat(r.all("ClusterRoleBinding")).isEmpty();
        Map<String, List<String>> roleNamesByNamespace = r.list(Role.class).stream().collect(Collectors.groupingBy(
                x -> x.getMetadata().getNamespace(), TreeMap::new, Collectors.mapping(x -> x.getMetadata().getName(), Collectors.toList())));
        assertThat(roleNamesByNamespace).isEqualTo(Map.of(
                "team-a", List.of(FULLNAME),
                RELEASE_NAMESPACE, List.of(FULLNAME + "-leader-election")));
        for (Role role : r.list(Role.class)) {
            if (role.getMetadata().getNamespace().equals(RELEASE_NAMESPACE)) {
                assertThat(rights(role.getRules())).as("the release namespace gets Lease rights only")
                        .allMatch(right -> right.startsWith("coordination.k8s.io|leases"));
            }
        }
        assertNoWildcard(r);
    }

    /** The values file docs/operations.md shows for the namespaced mode renders what the docs say. */
    @Test
    void theDocumentedNamespacedValuesFileGivesARolePerWatchedNamespace(@TempDir Path tmp) throws IOException {
        Rendered r = render(tmp, Files.readString(Path.of("examples/helm/values-namespaced.yaml")));
        assertThat(r.all("ClusterRole")).isEmpty();
        assertThat(r.all("ClusterRoleBinding")).isEmpty();
        assertThat(r.list(RoleBinding.class)).extracting(b -> b.getMetadata().getNamespace()).contains("team-a", "team-b");
        assertThat(r.list(Role.class)).filteredOn(x -> x.getMetadata().getName().equals(FULLNAME))
                .extracting(x -> x.getMetadata().getNamespace()).containsExactlyInAnyOrder("team-a", "team-b");
        assertNoWildcard(r);
    }

    // ---------------------------------------------------------------------------------------------- other values

    @Test
    void settingsReachTheOperatorsEnvironment(@TempDir Path tmp) throws IOException {
        Rendered r = render(tmp, """
                image:
                  repository: registry.example.org/hpc/hpc-bridge
                  tag: "1.2.3"
                  pullPolicy: Always
                logLevel: DEBUG
                logJson: true
                pollDefaults:
                  lostGrace: 20m
                  cancelTimeout: 90s
                campaign:
                  maxTasks: 1000000
                leaderElection:
                  leaseName: my-lease
                replicaCount: 2
                extraEnv:
                  - name: JAVA_OPTS_APPEND
                    value: -XX:MaxRAMPercentage=75
                """);
        Deployment d = r.one(Deployment.class);
        Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(d.getSpec().getReplicas()).isEqualTo(2);
        assertThat(c.getImage()).isEqualTo("registry.example.org/hpc/hpc-bridge:1.2.3");
        assertThat(c.getImagePullPolicy()).isEqualTo("Always");
        assertThat(env(c)).containsEntry("HPCBRIDGE_INSTALLATION", INSTALLATION);
        Map<String, String> env = new java.util.HashMap<>(env(c));
        env.remove("HPCBRIDGE_INSTALLATION");
        assertThat(env).containsExactlyInAnyOrderEntriesOf(Map.of(
                "QUARKUS_LOG_CATEGORY__IO_HPCBRIDGE__LEVEL", "DEBUG",
                "QUARKUS_LOG_CONSOLE_JSON_ENABLED", "true",
                "HPCBRIDGE_ATTEMPT_LOST_GRACE", "20m",
                "HPCBRIDGE_ATTEMPT_CANCEL_TIMEOUT", "90s",
                "HPCBRIDGE_CAMPAIGN_MAX_TASKS", "1000000",
                "HPCBRIDGE_LEADER_ELECTION_ENABLED", "true",
                "HPCBRIDGE_LEADER_ELECTION_LEASE_NAME", "my-lease",
                "HPCBRIDGE_LEADER_ELECTION_LEASE_NAMESPACE", "fieldRef:metadata.namespace",
                "JAVA_OPTS_APPEND", "-XX:MaxRAMPercentage=75"));
        assertThat(rights(r.one(Role.class).getRules())).contains("coordination.k8s.io|leases[my-lease]|update");
    }

    @Test
    void serviceMonitorScrapesTheMetricsService(@TempDir Path tmp) throws IOException {
        Rendered r = render(tmp, """
                metrics:
                  serviceMonitor:
                    enabled: true
                    labels:
                      release: prometheus
                """);
        JsonNode sm = single(r.all("ServiceMonitor"));
        Service s = r.one(Service.class);
        assertThat(sm.path("apiVersion").asText()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(sm.path("metadata").path("namespace").asText()).isEqualTo(RELEASE_NAMESPACE);
        assertThat(sm.path("metadata").path("labels").path("release").asText()).isEqualTo("prometheus");
        Map<String, String> selector = YAML.convertValue(sm.path("spec").path("selector").path("matchLabels"),
                YAML.getTypeFactory().constructMapType(Map.class, String.class, String.class));
        assertThat(s.getMetadata().getLabels()).as("the ServiceMonitor selects the metrics Service").containsAllEntriesOf(selector);
        assertThat(r.one(Deployment.class).getMetadata().getLabels()).as("and not the Deployment")
                .doesNotContainEntry("app.kubernetes.io/component", selector.get("app.kubernetes.io/component"));
        assertThat(texts(sm.path("spec").path("namespaceSelector").path("matchNames"))).containsExactly(RELEASE_NAMESPACE);
        JsonNode endpoint = single(sm.path("spec").path("endpoints"));
        assertThat(endpoint.path("port").asText()).isEqualTo(s.getSpec().getPorts().get(0).getName());
        assertThat(endpoint.path("path").asText()).isEqualTo("/q/metrics");
        assertThat(endpoint.path("interval").asText()).isEqualTo("30s");
    }

    @Test
    void invalidValuesAreRefused(@TempDir Path tmp) {
        assertRefused(tmp, "replicaCount: 2\nleaderElection:\n  enabled: false\n", "needs leaderElection.enabled");
        assertRefused(tmp, "watchNamespaces: [Team_A]\n", "watchNamespaces");
        assertRefused(tmp, "watchNamespaces: [team-a, team-a]\n", "watchNamespaces");
        assertRefused(tmp, "watchNamespaces: team-a\n", "watchNamespaces");
        assertRefused(tmp, "logLevel: VERBOSE\n", "logLevel");
        assertRefused(tmp, "logJson: \"yes\"\n", "logJson");
        assertRefused(tmp, "pollDefaults:\n  lostGrace: ten minutes\n", "lostGrace");
        assertRefused(tmp, "leaderElection:\n  enable: false\n", "enable");
        assertRefused(tmp, "metrics:\n  service:\n    enabled: false\n  serviceMonitor:\n    enabled: true\n",
                "needs metrics.service.enabled");
    }

    // ---------------------------------------------------------------------------------------------- CRDs

    @Test
    void helmShipsExactlyTheCrdsOfDeployCrds() throws IOException {
        String shown = new Helm(CHART).show().crds().call();
        // This Helm prints the crds/ files one after the other without "---": start a document at each top-level
        // apiVersion (a separator Helm already printed only adds an empty document, which is skipped).
        String separated = shown.replaceAll("(?m)^apiVersion:", "---\napiVersion:");
        Map<String, JsonNode> shipped = new TreeMap<>();
        for (JsonNode doc : documents(separated)) {
            assertThat(doc.path("kind").asText()).isEqualTo("CustomResourceDefinition");
            assertThat(shipped.put(doc.path("metadata").path("name").asText(), doc)).as("duplicate CRD").isNull();
        }
        Map<String, JsonNode> expected = new TreeMap<>();
        for (String file : ChartCrdsInSyncTest.yamlFiles(ChartCrdsInSyncTest.DEPLOY_CRDS)) {
            JsonNode crd = YAML.readTree(ChartCrdsInSyncTest.DEPLOY_CRDS.resolve(file).toFile());
            expected.put(crd.path("metadata").path("name").asText(), crd);
        }
        assertThat(shipped.keySet()).containsExactly("campaigns.hpcbridge.io", "hpcclusters.hpcbridge.io",
                "processingblocks.hpcbridge.io", "taskattempts.hpcbridge.io", "tasks.hpcbridge.io");
        assertThat(shipped).as("helm show crds = deploy/crds (run hack/update-crds.sh)").isEqualTo(expected);
    }

    @Test
    void everyKindOfTheApiIsCoveredByTheRules() throws IOException {
        // A new kind in deploy/crds without rules in the chart fails here.
        Set<String> rights = rights(render().one(ClusterRole.class).getRules());
        for (String file : ChartCrdsInSyncTest.yamlFiles(ChartCrdsInSyncTest.DEPLOY_CRDS)) {
            JsonNode crd = YAML.readTree(ChartCrdsInSyncTest.DEPLOY_CRDS.resolve(file).toFile());
            String group = crd.path("spec").path("group").asText();
            String plural = crd.path("spec").path("names").path("plural").asText();
            assertThat(group).isEqualTo(GROUP);
            for (String verb : List.of("get", "list", "watch")) {
                assertThat(rights).as(file).contains(group + "|" + plural + "|" + verb);
            }
            assertThat(rights).as(file + " status").contains(group + "|" + plural + "/status|patch");
        }
    }

    // ---------------------------------------------------------------------------------------------- helpers

    private static Rendered render() {
        return new Rendered(new Helm(CHART).template().withName(RELEASE).withNamespace(RELEASE_NAMESPACE).call());
    }

    private static Rendered render(Path tmp, String values) throws IOException {
        Path file = Files.createTempFile(tmp, "values", ".yaml");
        Files.writeString(file, values);
        return new Rendered(new Helm(CHART).template().withName(RELEASE).withNamespace(RELEASE_NAMESPACE)
                .withValuesFile(file).call());
    }

    private static void assertRefused(Path tmp, String values, String expectedInMessage) {
        assertThatThrownBy(() -> render(tmp, values)).as("values refused: %s", values)
                .hasMessageContaining(expectedInMessage);
    }

    /** group|resource|verb for every combination a rule grants; resource[name] when a rule is limited to names. */
    static Set<String> rights(List<PolicyRule> rules) {
        Set<String> out = new TreeSet<>();
        for (PolicyRule rule : rules) {
            assertThat(rule.getNonResourceURLs()).as("no non-resource URLs").isNullOrEmpty();
            List<String> names = rule.getResourceNames() == null ? List.of() : rule.getResourceNames();
            for (String group : rule.getApiGroups()) {
                for (String resource : rule.getResources()) {
                    for (String verb : rule.getVerbs()) {
                        if (names.isEmpty()) {
                            out.add(group + "|" + resource + "|" + verb);
                        } else {
                            names.forEach(n -> out.add(group + "|" + resource + "[" + n + "]|" + verb));
                        }
                    }
                }
            }
        }
        return out;
    }

    private static void assertNoWildcard(Rendered r) {
        List<PolicyRule> rules = new ArrayList<>();
        r.list(ClusterRole.class).forEach(x -> rules.addAll(x.getRules()));
        r.list(Role.class).forEach(x -> rules.addAll(x.getRules()));
        assertThat(rules).isNotEmpty();
        for (PolicyRule rule : rules) {
            List<String> fields = new ArrayList<>();
            fields.addAll(rule.getApiGroups());
            fields.addAll(rule.getResources());
            fields.addAll(rule.getVerbs());
            if (rule.getResourceNames() != null) {
                fields.addAll(rule.getResourceNames());
            }
            assertThat(fields).as("no wildcard in %s", rule).noneMatch(f -> f.contains("*"));
        }
    }

    private static void assertRoleRef(RoleRef ref, String kind, String name) {
        assertThat(ref.getApiGroup()).isEqualTo("rbac.authorization.k8s.io");
        assertThat(ref.getKind()).isEqualTo(kind);
        assertThat(ref.getName()).isEqualTo(name);
    }

    private static void assertOnlySubjectIsTheServiceAccount(List<Subject> subjects) {
        assertThat(subjects).singleElement().satisfies(s -> {
            assertThat(s.getKind()).isEqualTo("ServiceAccount");
            assertThat(s.getName()).isEqualTo(FULLNAME);
            assertThat(s.getNamespace()).isEqualTo(RELEASE_NAMESPACE);
        });
    }

    private static void assertHttpProbe(Probe probe, String path) {
        assertThat(probe).as("probe on %s", path).isNotNull();
        HTTPGetAction get = probe.getHttpGet();
        assertThat(get).as("HTTP probe on %s", path).isNotNull();
        assertThat(get.getPath()).isEqualTo(path);
        assertThat(get.getPort()).isEqualTo(new IntOrString(8080));
        assertThat(get.getScheme()).isIn(null, "HTTP");
    }

    /** name to value, or to fieldRef:PATH for a value taken from the pod. */
    private static Map<String, String> env(Container c) {
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvVar e : c.getEnv()) {
            String value = e.getValueFrom() != null && e.getValueFrom().getFieldRef() != null
                    ? "fieldRef:" + e.getValueFrom().getFieldRef().getFieldPath()
                    : e.getValue();
            assertThat(env.put(e.getName(), value)).as("env %s set twice", e.getName()).isNull();
        }
        return env;
    }

    private static JsonNode single(List<JsonNode> nodes) {
        assertThat(nodes).hasSize(1);
        return nodes.get(0);
    }

    private static JsonNode single(JsonNode array) {
        List<JsonNode> list = new ArrayList<>();
        array.forEach(list::add);
        return single(list);
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    static List<JsonNode> documents(String yaml) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        try (var it = YAML.readerFor(JsonNode.class).<JsonNode> readValues(yaml)) {
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc != null && !doc.isNull() && !doc.isMissingNode() && !doc.isEmpty()) {
                    docs.add(doc);
                }
            }
        }
        return docs;
    }

    /** The objects of one helm template run, by kind, readable as fabric8 model types. */
    record Rendered(List<JsonNode> objects) {
        Rendered(String yaml) {
            this(parse(yaml));
        }

        private static List<JsonNode> parse(String yaml) {
            try {
                List<JsonNode> docs = documents(yaml);
                assertThat(docs).allSatisfy(d -> {
                    assertThat(d.path("apiVersion").asText()).isNotEmpty();
                    assertThat(d.path("kind").asText()).isNotEmpty();
                    assertThat(d.path("metadata").path("name").asText()).isNotEmpty();
                });
                return docs;
            } catch (IOException e) {
                throw new IllegalStateException("rendered chart is not YAML: " + yaml, e);
            }
        }

        List<String> kinds() {
            return objects.stream().map(o -> o.path("kind").asText()).toList();
        }

        List<JsonNode> all(String kind) {
            return objects.stream().filter(o -> o.path("kind").asText().equals(kind)).toList();
        }

        <T> List<T> list(Class<T> type) {
            List<T> out = new ArrayList<>();
            for (JsonNode o : all(type.getSimpleName())) {
                try {
                    out.add(Serialization.jsonMapper().treeToValue(o, type));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
            return out;
        }

        <T> T one(Class<T> type) {
            List<T> found = list(type);
            assertThat(found).as("exactly one %s", type.getSimpleName()).hasSize(1);
            return found.get(0);
        }
    }
}
