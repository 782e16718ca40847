package io.hpcbridge.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.Release;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.hpcbridge.api.v1alpha1.AttemptPhase;
import io.hpcbridge.api.v1alpha1.Campaign;
import io.hpcbridge.api.v1alpha1.CampaignPhase;
import io.hpcbridge.api.v1alpha1.ClusterPhase;
import io.hpcbridge.api.v1alpha1.HpcCluster;
import io.hpcbridge.api.v1alpha1.ProcessingBlock;
import io.hpcbridge.api.v1alpha1.Task;
import io.hpcbridge.api.v1alpha1.TaskAttempt;
import io.hpcbridge.api.v1alpha1.TaskPhase;

/**
 * The Helm chart installed into the real API server in namespaced mode, and its RBAC proven sufficient by running the
 * operator with the chart's ServiceAccount's own token, and proven to be what the operator runs on by taking rights away.
 *
 * <p>There is no kubelet here, so the chart's Deployment is created but its pod never runs. The packaged operator runs
 * as a local process instead, with the environment of the installed Deployment's container and a kubeconfig holding
 * only a token of the chart's ServiceAccount (from the TokenRequest API): every request it makes is authorised by the
 * chart's Roles and nothing else, as in the pod.
 *
 * <p>The release watches three namespaces. In the first the chart's Role is left as installed and the hello campaign
 * must succeed on Slurm. In the second the Role loses its Secret rule, in the third the TaskAttempt rule loses
 * {@code create}: there the same campaign must not succeed, and the HpcCluster's status (no Secret) or the operator's
 * log and a Warning Event on the campaign (no TaskAttempt create) must carry the API server's forbidden
 * error for exactly that right. Both run beside the first, in the same process, so a missing rule in the chart makes
 * the first fail the same way.
 */
class HelmInstallE2E {
    private static final Path CHART = Path.of("deploy/helm/hpc-bridge");
    private static final String RELEASE = "hpcb";
    private static final String WAIT = "--timeout=180s";

    private static StackEnv env;
    private static Kubectl admin;
    private static String releaseNs;
    private static String okNs;
    private static String noSecretNs;
    private static String noAttemptCreateNs;
    private static final List<String> namespaces = new ArrayList<>();
    private static boolean installed;
    private static Deployment deployment;
    private static String serviceAccount;
    private static String user;
    private static Path saKubeconfig;
    private static Kubectl asOperator;
    private static OperatorProcess operator;
    private static LoginNode login;

    @BeforeAll
    static void installAndStart() throws Exception {
        OperatorProcess.stopShared();
        OperatorProcess.awaitNoForeignOperators();
        env = StackEnv.load();
        admin = Kubectl.fromStack();
        login = LoginNode.fromStack();
        String suffix = Long.toString(System.currentTimeMillis() % 1_000_000, 36);
        releaseNs = "helm-sys-" + suffix;
        okNs = "helm-ok-" + suffix;
        noSecretNs = "helm-nosecret-" + suffix;
        noAttemptCreateNs = "helm-noattempt-" + suffix;

        // The watched namespaces must exist before the install (the chart puts a Role in each); Helm creates the release's.
        for (String ns : List.of(okNs, noSecretNs, noAttemptCreateNs)) {
            admin.run("create", "namespace", ns).orFail();
            namespaces.add(ns);
        }
        namespaces.add(releaseNs);
        Path values = Files.createDirectories(Path.of("target/e2e-logs")).resolve("helm-install-values.yaml");
        Files.writeString(values, """
                watchNamespaces: [%s, %s, %s]
                metrics:
                  serviceMonitor:
                    enabled: false
                """.formatted(okNs, noSecretNs, noAttemptCreateNs));
        // The chart's crds/ are created when missing; Helm 3 leaves existing CRDs alone (another e2e test may have
        // applied deploy/crds, which ChartCrdsInSyncTest keeps identical to the chart's).
        installed = true;
        Release release = new Helm(CHART).install().withName(RELEASE).withNamespace(releaseNs).createNamespace()
                .withKubeConfig(env.kubeconfig()).withValuesFile(values).call();
        assertThat(release.getStatus()).as("helm install status").isEqualTo("deployed");
        admin.run("wait", "--for=condition=Established", "--timeout=60s", "-f", CHART.resolve("crds").toString()).orFail();

        deployment = Serialization.unmarshal(admin.inNamespace(releaseNs)
                .get("deployment", "-l", "app.kubernetes.io/instance=" + RELEASE, "-o", "jsonpath={.items[0]}").orFail().stdout(),
                Deployment.class);
        serviceAccount = deployment.getSpec().getTemplate().getSpec().getServiceAccountName();
        assertThat(serviceAccount).as("the Deployment's ServiceAccount").isNotBlank();
        user = "system:serviceaccount:" + releaseNs + ":" + serviceAccount;

        saKubeconfig = serviceAccountKubeconfig();
        asOperator = new Kubectl(env.kubectl(), saKubeconfig, null, Duration.ofSeconds(60));

        // Take one right away from two of the watched namespaces, before the operator starts.
        removeRule(noSecretNs, r -> r.getResources().equals(List.of("secrets")));
        removeVerb(noAttemptCreateNs, "taskattempts", "create");

        for (String ns : List.of(okNs, noSecretNs, noAttemptCreateNs)) {
            Kubectl in = admin.inNamespace(ns);
            in.run("create", "secret", "generic", "hpc-login", "--from-file=ssh-privatekey=" + env.require("HPCB_SSH_KEY"),
                    "--from-file=known_hosts=" + env.require("HPCB_KNOWN_HOSTS")).orFail();
            in.apply(new File("examples/01-hpccluster.yaml")).orFail();
            in.apply(new File("examples/02-campaign-hello.yaml")).orFail();
        }

        Map<String, String> processEnv = new LinkedHashMap<>(deploymentEnv());
        processEnv.put("KUBECONFIG", saKubeconfig.toString());
        operator = OperatorProcess.start(processEnv);
    }

    @AfterAll
    static void uninstall() throws IOException {
        boolean keep = Boolean.getBoolean("hpcb.e2e.keep");
        if (!keep) {
            // User objects first, while the operator (with the chart's rights) still runs and removes its finalizers;
            // whatever is left after a bounded wait loses its finalizers once no operator runs, so the namespaces can go.
            for (String ns : namespaces) {
                admin.inNamespace(ns).run("delete", "campaigns.hpcbridge.io,hpcclusters.hpcbridge.io", "--all", "--wait=false");
            }
            Instant end = Instant.now().plusSeconds(30);
            List<String> left = remainingObjects();
            while (!left.isEmpty() && Instant.now().isBefore(end)) {
                sleep(1000);
                left = remainingObjects();
            }
            if (!left.isEmpty()) {
                System.err.println("HelmInstallE2E clean-up: left 30 s after deletion with the operator running: " + left);
            }
        }
        if (operator != null) {
            operator.close();
        }
        if (!keep) {
            for (String ns : namespaces) {
                clearFinalizers(ns, "taskattempts.hpcbridge.io,hpcclusters.hpcbridge.io");
            }
            if (installed) {
                try {
                    new Helm(CHART).uninstall(RELEASE).withNamespace(releaseNs).withKubeConfig(env.kubeconfig()).call();
                } catch (RuntimeException e) {
                    // A failed install may have left no release; deleting the namespaces below removes the rest.
                    System.err.println("helm uninstall " + RELEASE + ": " + e.getMessage());
                }
            }
            for (String ns : namespaces) {
                admin.run("delete", "namespace", ns, "--wait=false");
            }
        }
        if (saKubeconfig != null) {
            Files.deleteIfExists(saKubeconfig);
        }
    }

    @Test
    void theChartInstallsTheNamespacedObjectsAndTheProcessActsAsItsServiceAccount() {
        Kubectl rel = admin.inNamespace(releaseNs);
        assertThat(rel.get("serviceaccount", serviceAccount, "-o", "name").orFail().stdout().strip())
                .isEqualTo("serviceaccount/" + serviceAccount);
        assertThat(admin.get("clusterrole,clusterrolebinding", "-l", "app.kubernetes.io/instance=" + RELEASE
                + ",app.kubernetes.io/part-of=hpc-bridge", "-o", "name").orFail().stdout())
                .as("namespaced mode: nothing cluster-wide").isBlank();
        for (String ns : List.of(okNs, noSecretNs, noAttemptCreateNs)) {
            assertThat(admin.inNamespace(ns).get("role,rolebinding", "-o", "name").orFail().stdout().lines().toList())
                    .as("chart's Role and RoleBinding in %s", ns)
                    .contains("role.rbac.authorization.k8s.io/" + deployment.getMetadata().getName(),
                            "rolebinding.rbac.authorization.k8s.io/" + deployment.getMetadata().getName());
        }
        assertThat(deploymentEnv()).as("the operator is told to watch exactly the chart's namespaces")
                .containsEntry("QUARKUS_OPERATOR_SDK_NAMESPACES", String.join(",", okNs, noSecretNs, noAttemptCreateNs));

        // The identity of the process's credentials is the ServiceAccount, and it has only the chart's rights.
        assertThat(canI("list", "campaigns.hpcbridge.io", "-n", okNs)).isTrue();
        assertThat(canI("create", "taskattempts.hpcbridge.io", "-n", okNs)).isTrue();
        assertThat(canI("get", "secrets", "-n", okNs)).isTrue();
        assertThat(canI("create", "leases.coordination.k8s.io", "-n", releaseNs)).isTrue();
        assertThat(canI("list", "campaigns.hpcbridge.io", "--all-namespaces")).as("no cluster-wide list").isFalse();
        assertThat(canI("list", "namespaces")).isFalse();
        assertThat(canI("list", "customresourcedefinitions.apiextensions.k8s.io")).isFalse();
        assertThat(canI("get", "secrets", "-n", releaseNs)).as("no Secret outside the watched namespaces").isFalse();
        assertThat(canI("list", "secrets", "-n", okNs)).as("Secrets by name only").isFalse();
        assertThat(canI("delete", "campaigns.hpcbridge.io", "-n", okNs)).isFalse();
        assertThat(canI("get", "secrets", "-n", noSecretNs)).as("rule removed in %s", noSecretNs).isFalse();
        assertThat(canI("create", "taskattempts.hpcbridge.io", "-n", noAttemptCreateNs)).as("verb removed in %s", noAttemptCreateNs)
                .isFalse();
        Kubectl.Result refused = asOperator.inNamespace(okNs).get("secrets");
        assertThat(refused.ok()).isFalse();
        assertThat(refused.stderr()).contains("forbidden", "User \"" + user + "\"");
    }

    @Test
    void helloSucceedsOnSlurmWithOnlyTheChartsRbac() {
        assertThat(admin.inNamespace(okNs).withTimeout(Duration.ofSeconds(200))
                .run("wait", "--for=condition=Succeeded", WAIT, "campaign/hello").exitCode())
                .as("campaign hello Succeeded in %s; operator log:\n%s", okNs, operator.logText()).isZero();
        Campaign hello = get(okNs, "campaign", "hello", Campaign.class);
        assertThat(hello.getStatus().getPhase()).isEqualTo(CampaignPhase.Succeeded);
        assertThat(hello.getStatus().getTasks().getSucceeded()).isEqualTo(3);
        List<TaskAttempt> attempts = list(okNs, "taskattempts.hpcbridge.io", TaskAttempt.class);
        assertThat(attempts).hasSize(3);
        for (TaskAttempt a : attempts) {
            assertThat(a.getStatus().getPhase()).isEqualTo(AttemptPhase.Succeeded);
            assertThat(login.sacctStateAndExit(a.getStatus().getJobId())).isEqualTo("COMPLETED|0:0");
        }
        // Every kind's status was written, the ProcessingBlock created, and the Events recorded (a refused Event is
        // only logged at DEBUG, so it is checked here).
        assertThat(get(okNs, "hpccluster", "local-slurm", HpcCluster.class).getStatus().getPhase()).isEqualTo(ClusterPhase.Ready);
        assertThat(list(okNs, "tasks.hpcbridge.io", Task.class)).hasSize(3)
                .allSatisfy(t -> assertThat(t.getStatus().getPhase()).isEqualTo(TaskPhase.Succeeded));
        assertThat(get(okNs, "processingblock", "hello-results", ProcessingBlock.class).getStatus().getCompletedTasks()).isEqualTo(1);
        assertThat(admin.inNamespace(okNs).get("events", "--field-selector", "reason=CampaignSucceeded",
                "-o", "jsonpath={.items[*].source.component}").orFail().stdout().split(" ")).as("CampaignSucceeded Events recorded by hpc-bridge (the chart grants create on events)")
                .isNotEmpty().containsOnly("hpc-bridge");
        assertThat(login.commandLog()).as("sbatch of the hello jobs").anyMatch(l -> l.contains("sbatch") && l.contains("hpcb." + okNs + ".hello-"));
        // Nothing was refused in the namespace whose Role is the chart's, as installed.
        assertThat(forbiddenLines()).noneMatch(l -> l.contains("\"" + okNs + "\""));
    }

    @Test
    void withoutTheSecretRuleTheClusterIsStalledWithTheForbiddenErrorInItsStatus() {
        String expected = "secrets \"hpc-login\" is forbidden: User \"" + user
                + "\" cannot get resource \"secrets\" in API group \"\" in the namespace \"" + noSecretNs + "\"";
        // Where users look: the HpcCluster's status, not only the operator's log.
        Instant end = Instant.now().plusSeconds(60);
        HpcCluster cluster = get(noSecretNs, "hpccluster", "local-slurm", HpcCluster.class);
        while (Instant.now().isBefore(end) && (cluster.getStatus() == null || cluster.getStatus().getPhase() != ClusterPhase.Unreachable)) {
            sleep(1000);
            cluster = get(noSecretNs, "hpccluster", "local-slurm", HpcCluster.class);
        }
        assertThat(cluster.getStatus().getPhase()).as("HpcCluster in %s", noSecretNs).isEqualTo(ClusterPhase.Unreachable);
        assertThat(cluster.getStatus().getConditions()).as("conditions of the HpcCluster in %s", noSecretNs)
                .anySatisfy(c -> {
                    assertThat(c.getType()).isEqualTo("Reachable");
                    assertThat(c.getStatus()).isEqualTo("False");
                    assertThat(c.getReason()).isEqualTo("CredentialsForbidden");
                    assertThat(c.getMessage()).contains(expected);
                })
                .anySatisfy(c -> {
                    assertThat(c.getType()).isEqualTo("Stalled");
                    assertThat(c.getStatus()).isEqualTo("True");
                });
        assertNeverSucceeds(noSecretNs);
        // The campaign may create its first attempts, but none reaches the cluster.
        assertThat(list(noSecretNs, "taskattempts.hpcbridge.io", TaskAttempt.class)).as("no attempt has a job")
                .allSatisfy(a -> assertThat(a.getStatus() == null ? null : a.getStatus().getJobId()).isNull());
        assertNoSbatch(noSecretNs);
    }

    @Test
    void withoutCreateOnTaskAttemptsNothingIsSubmittedAndTheLogSaysForbidden() {
        String expected = "taskattempts.hpcbridge.io is forbidden: User \"" + user
                + "\" cannot create resource \"taskattempts\" in API group \"hpcbridge.io\" in the namespace \"" + noAttemptCreateNs + "\"";
        awaitLog(expected, Duration.ofSeconds(90));
        // And where users look: a Warning Event on the campaign, in the API server's words.
        assertThat(admin.inNamespace(noAttemptCreateNs).get("events", "--field-selector",
                "reason=ReconcileError,involvedObject.kind=Campaign,involvedObject.name=hello", "-o", "jsonpath={.items[*].message}")
                .orFail().stdout()).as("ReconcileError events on campaign hello in %s", noAttemptCreateNs).contains(expected);
        assertNeverSucceeds(noAttemptCreateNs);
        assertThat(list(noAttemptCreateNs, "taskattempts.hpcbridge.io", TaskAttempt.class)).as("no attempt created").isEmpty();
        assertNoSbatch(noAttemptCreateNs);
    }

    // ---------------------------------------------------------------------------------------------- helpers

    /** The campaign stays short of Succeeded until the unharmed namespace's hello has succeeded, and 20 s beyond. */
    private static void assertNeverSucceeds(String ns) {
        admin.inNamespace(okNs).withTimeout(Duration.ofSeconds(200)).run("wait", "--for=condition=Succeeded", WAIT, "campaign/hello");
        Instant end = Instant.now().plusSeconds(20);
        do {
            Campaign c = get(ns, "campaign", "hello", Campaign.class);
            CampaignPhase phase = c.getStatus() == null ? null : c.getStatus().getPhase();
            assertThat(phase).as("campaign hello in %s", ns).isNotEqualTo(CampaignPhase.Succeeded);
            sleep(2000);
        } while (Instant.now().isBefore(end));
    }

    private static void assertNoSbatch(String ns) {
        String jobPrefix = "hpcb." + ns + ".hello-";
        assertThat(login.commandLog()).as("no sbatch for %s", ns).noneMatch(l -> l.contains("sbatch") && l.contains(jobPrefix));
        assertThat(login.exec("sacct -X -n -P -S now-1hour -o JobName").stdout()).as("no job of %s in accounting", ns)
                .doesNotContain(jobPrefix);
    }

    private static void awaitLog(String fragment, Duration timeout) {
        Instant end = Instant.now().plus(timeout);
        while (!operator.logText().contains(fragment) && Instant.now().isBefore(end)) {
            sleep(500);
        }
        assertThat(operator.logText()).as("operator log (%s)", operator.log()).contains(fragment);
    }

    private static List<String> forbiddenLines() {
        return operator.logText().lines().filter(l -> l.contains("forbidden")).toList();
    }

    private static boolean canI(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "auth";
        all[1] = "can-i";
        System.arraycopy(args, 0, all, 2, args.length);
        Kubectl.Result r = asOperator.run(all);
        String answer = r.stdout().strip();
        assertThat(answer).as("%s", r).isIn("yes", "no");
        return answer.equals("yes");
    }

    /** A kubeconfig for the API server with a fresh token of the chart's ServiceAccount and nothing else. */
    private static Path serviceAccountKubeconfig() throws IOException {
        String request = """
                {"apiVersion": "authentication.k8s.io/v1", "kind": "TokenRequest", "spec": {"expirationSeconds": 3600}}
                """;
        String json = admin.runWithInput(request, "create", "--raw",
                "/api/v1/namespaces/" + releaseNs + "/serviceaccounts/" + serviceAccount + "/token", "-f", "-").orFail().stdout();
        String token = Serialization.jsonMapper().readTree(json).path("status").path("token").asText();
        assertThat(token).as("TokenRequest for %s gave a token", user).isNotBlank();
        Path file = Files.createTempFile("hpcb-helm-sa", ".kubeconfig", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: hpcb
                  cluster:
                    server: %s
                    certificate-authority: %s
                users:
                - name: %s
                  user:
                    token: %s
                contexts:
                - name: operator
                  context:
                    cluster: hpcb
                    user: %s
                current-context: operator
                """.formatted(env.require("HPCB_KUBE_SERVER"), env.require("HPCB_KUBE_CA"), serviceAccount, token, serviceAccount));
        return file;
    }

    /**
     * The operator container's environment as the installed Deployment sets it, resolved as the kubelet would: a
     * fieldRef to metadata.namespace is the pod's namespace, the Deployment's. Any other source fails the test.
     */
    private static Map<String, String> deploymentEnv() {
        Container c = deployment.getSpec().getTemplate().getSpec().getContainers().stream()
                .filter(x -> x.getName().equals("operator")).findFirst().orElseThrow();
        Map<String, String> out = new LinkedHashMap<>();
        for (EnvVar e : c.getEnv()) {
            String value;
            if (e.getValueFrom() == null) {
                value = e.getValue() == null ? "" : e.getValue();
            } else if (e.getValueFrom().getFieldRef() != null
                    && e.getValueFrom().getFieldRef().getFieldPath().equals("metadata.namespace")) {
                value = deployment.getMetadata().getNamespace();
            } else {
                throw new AssertionError("env " + e.getName() + " has a source this test cannot resolve outside a pod: "
                        + e.getValueFrom());
            }
            out.put(e.getName(), value);
        }
        return out;
    }

    private static Role role(String ns) {
        return Serialization.unmarshal(admin.inNamespace(ns).get("role", deployment.getMetadata().getName(), "-o", "json")
                .orFail().stdout(), Role.class);
    }

    private static void removeRule(String ns, java.util.function.Predicate<PolicyRule> which) {
        List<PolicyRule> rules = role(ns).getRules();
        int index = -1;
        for (int i = 0; i < rules.size(); i++) {
            if (which.test(rules.get(i))) {
                assertThat(index).as("one matching rule in %s", rules).isEqualTo(-1);
                index = i;
            }
        }
        assertThat(index).as("rule to remove in %s", rules).isNotNegative();
        String patch = "[{\"op\":\"test\",\"path\":\"/rules/" + index + "\",\"value\":" + Serialization.asJson(rules.get(index))
                + "},{\"op\":\"remove\",\"path\":\"/rules/" + index + "\"}]";
        admin.inNamespace(ns).run("patch", "role", deployment.getMetadata().getName(), "--type=json", "-p", patch).orFail();
    }

    private static void removeVerb(String ns, String resource, String verb) {
        List<PolicyRule> rules = role(ns).getRules();
        for (int i = 0; i < rules.size(); i++) {
            PolicyRule r = rules.get(i);
            if (r.getResources().equals(List.of(resource)) && r.getVerbs().contains(verb)) {
                List<String> verbs = new ArrayList<>(r.getVerbs());
                verbs.remove(verb);
                String patch = "[{\"op\":\"test\",\"path\":\"/rules/" + i + "/verbs\",\"value\":" + Serialization.asJson(r.getVerbs())
                        + "},{\"op\":\"replace\",\"path\":\"/rules/" + i + "/verbs\",\"value\":" + Serialization.asJson(verbs) + "}]";
                admin.inNamespace(ns).run("patch", "role", deployment.getMetadata().getName(), "--type=json", "-p", patch).orFail();
                return;
            }
        }
        throw new AssertionError("no rule grants " + verb + " on " + resource + " in " + rules);
    }

    /** namespace/kind/name phase [finalizers] of every hpc-bridge object still in the test's namespaces. */
    private static List<String> remainingObjects() {
        List<String> out = new ArrayList<>();
        for (String ns : namespaces) {
            Kubectl.Result r = admin.inNamespace(ns).get("campaigns.hpcbridge.io,tasks.hpcbridge.io,taskattempts.hpcbridge.io,"
                    + "hpcclusters.hpcbridge.io,processingblocks.hpcbridge.io", "-o",
                    "jsonpath={range .items[*]}{.metadata.namespace}/{.kind}/{.metadata.name} {.status.phase} {.metadata.finalizers}{\"\\n\"}{end}");
            if (r.ok()) {
                r.stdout().lines().filter(l -> !l.isBlank()).forEach(out::add);
            }
        }
        return out;
    }

    private static void clearFinalizers(String ns, String kinds) {
        Kubectl in = admin.inNamespace(ns);
        Kubectl.Result names = in.get(kinds, "-o", "name");
        if (names.ok()) {
            for (String name : names.stdout().lines().filter(l -> !l.isBlank()).toList()) {
                in.run("patch", name, "--type=merge", "-p", "{\"metadata\":{\"finalizers\":null}}");
            }
        }
    }

    private static <T> T get(String ns, String kind, String name, Class<T> type) {
        return Serialization.unmarshal(admin.inNamespace(ns).get(kind, name, "-o", "json").orFail().stdout(), type);
    }

    private static <T> List<T> list(String ns, String kind, Class<T> type) {
        String json = admin.inNamespace(ns).get(kind, "-o", "json").orFail().stdout();
        List<T> out = new ArrayList<>();
        try {
            for (JsonNode item : Serialization.jsonMapper().readTree(json).get("items")) {
                out.add(Serialization.jsonMapper().convertValue(item, type));
            }
        } catch (IOException e) {
            throw new IllegalStateException("kubectl printed no JSON: " + json, e);
        }
        return out;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
