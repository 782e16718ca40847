package io.hpcbridge.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.hpcbridge.api.v1alpha1.AttemptPhase;
import io.hpcbridge.api.v1alpha1.TaskAttempt;
import io.hpcbridge.metrics.MetricsDoc;
import io.hpcbridge.metrics.PrometheusText;
import io.hpcbridge.metrics.PrometheusText.Sample;

/**
 * Acceptance 6 of the observability issue: while a campaign runs on real Slurm, and after it, {@code curl} of
 * {@code /q/metrics} shows every metric documented in docs/operations.md (and no undocumented hpcb_ series), with
 * non-zero submissions and polls, a poll latency histogram, and no label that names an attempt, task or job. The same
 * operator logs JSON (QUARKUS_LOG_CONSOLE_JSON_ENABLED, what the chart's logJson sets): every line is a JSON object,
 * lines about the campaign's attempts carry namespace, campaign, task and attempt in their MDC, and the SSH key of
 * the test Secret appears nowhere in the log.
 */
class MetricsE2E {
    private static final String CAMPAIGN = "metrics";
    private static final String CLUSTER = "local-slurm";
    /** Label names that would hold one value per object: never on any series. */
    private static final Pattern FORBIDDEN_LABEL = Pattern.compile("(?i).*(attempt|task|job|uid).*");
    /** On the operator's own and the Operator SDK's series, not even an object's name or namespace. */
    private static final Pattern FORBIDDEN_OPERATOR_LABEL = Pattern.compile("(?i)(resource_)?(name|namespace)");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static OperatorProcess operator;
    private static TestNamespace ns;
    private static int port;

    @BeforeAll
    static void start() throws IOException {
        OperatorProcess.stopShared();
        OperatorProcess.awaitNoForeignOperators();
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        operator = OperatorProcess.start(Map.of("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "true", "QUARKUS_HTTP_PORT", Integer.toString(port)));
        ns = TestNamespace.create("e2e-metrics");
    }

    @AfterAll
    static void stop() {
        if (operator != null) {
            operator.close();
        }
        if (ns != null) {
            ns.close();
        }
    }

    @Test
    void metricsDuringAndAfterACampaignAndJsonLogsWithItsNames() throws Exception {
        ns.kubectl().apply(campaignManifest()).orFail();
        String cluster = ns.name() + "/" + CLUSTER;

        // During the run: both slow attempts are Running on Slurm.
        Instant end = Instant.now().plus(Duration.ofMinutes(3));
        List<TaskAttempt> attempts = List.of();
        while (Instant.now().isBefore(end)) {
            attempts = ns.list("hatt", "hpcbridge.io/campaign=" + CAMPAIGN, TaskAttempt.class);
            if (attempts.stream().filter(a -> a.getStatus() != null && a.getStatus().getPhase() == AttemptPhase.Running).count() == 2) {
                break;
            }
            sleep(500);
        }
        assertThat(attempts).as("attempts of %s", CAMPAIGN)
                .filteredOn(a -> a.getStatus() != null && a.getStatus().getPhase() == AttemptPhase.Running).hasSize(2);

        List<Sample> during = scrape("during");
        assertDocumentedAndLowCardinality(during, Set.of());
        assertThat(value(during, "hpcb_submissions_total", Map.of("cluster", cluster, "outcome", "submitted")))
                .as("submissions during the run").isGreaterThanOrEqualTo(2);
        double pollsDuring = value(during, "hpcb_polls_seconds_count", Map.of("cluster", cluster, "outcome", "ok"));
        assertThat(pollsDuring).as("polls during the run").isPositive();
        assertThat(value(during, "hpcb_attempts", Map.of("phase", "Running"))).as("attempts Running").isGreaterThanOrEqualTo(2);
        assertThat(value(during, "hpcb_ssh_connections_open", Map.of("cluster", cluster))).isEqualTo(1);
        assertThat(value(during, "hpcb_ssh_connects_total", Map.of("cluster", cluster, "outcome", "ok"))).isGreaterThanOrEqualTo(1);
        assertThat(value(during, "hpcb_status_staleness_seconds", Map.of("cluster", cluster))).isBetween(0.0, 30.0);
        assertThat(value(during, "hpcb_followed_jobs", Map.of("cluster", cluster))).isGreaterThanOrEqualTo(2);

        assertThat(ns.kubectl().run("wait", "--for=condition=Succeeded", "--timeout=240s", "campaign/" + CAMPAIGN).exitCode())
                .as("campaign %s succeeds", CAMPAIGN).isZero();
        attempts = ns.list("hatt", "hpcbridge.io/campaign=" + CAMPAIGN, TaskAttempt.class);
        assertThat(attempts).hasSize(3).allSatisfy(a -> assertThat(a.getStatus().getPhase()).isEqualTo(AttemptPhase.Succeeded));

        // After the run: names, job ids and attempt names of this campaign are in no label value.
        Set<String> ours = new HashSet<>();
        for (TaskAttempt a : attempts) {
            ours.add(a.getMetadata().getName());
            ours.add(a.getSpec().getTask());
            ours.add(a.getStatus().getJobId());
        }
        List<Sample> after = scrape("after");
        assertDocumentedAndLowCardinality(after, ours);
        assertThat(value(after, "hpcb_submissions_total", Map.of("cluster", cluster, "outcome", "submitted")))
                .as("one submission per attempt").isEqualTo(3);
        assertThat(value(after, "hpcb_remote_commands_seconds_count", Map.of("cluster", cluster, "operation", "submit", "outcome", "ok")))
                .as("submissions (one sbatch each)").isGreaterThanOrEqualTo(3);
        double pollsAfter = value(after, "hpcb_polls_seconds_count", Map.of("cluster", cluster, "outcome", "ok"));
        assertThat(pollsAfter).as("polls go on").isGreaterThan(pollsDuring);
        assertThat(value(after, "hpcb_polls_seconds_sum", Map.of("cluster", cluster, "outcome", "ok"))).isPositive();
        assertThat(value(after, "hpcb_polls_seconds_bucket", Map.of("cluster", cluster, "outcome", "ok", "le", "+Inf")))
                .as("histogram +Inf bucket = count").isEqualTo(pollsAfter);
        assertThat(value(after, "hpcb_attempts", Map.of("phase", "Succeeded"))).isGreaterThanOrEqualTo(3);
        assertThat(value(after, "hpcb_attempts_lost_total", Map.of("cluster", cluster))).isZero();
        assertThat(value(after, "hpcb_status_writes_total", Map.of("kind", "TaskAttempt"))).isPositive();

        assertJsonLogsWithNamesAndNoKey(attempts);
    }

    /** Every documented series is served, every served hpcb_ series is documented with its labels, no label is per-object. */
    private static void assertDocumentedAndLowCardinality(List<Sample> samples, Set<String> objectNames) {
        Map<String, Set<String>> documented = MetricsDoc.read();
        Set<String> served = new HashSet<>();
        samples.forEach(s -> served.add(s.name()));
        assertThat(served).as("series served at /q/metrics").containsAll(documented.keySet());
        for (Sample s : samples) {
            if (s.name().startsWith("hpcb_")) {
                assertThat(documented).as("hpcb_ series %s is documented in docs/operations.md", s.name()).containsKey(s.name());
                assertThat(documented.get(s.name())).as("labels of %s%s", s.name(), s.labels()).containsAll(s.labels().keySet());
            }
            for (Map.Entry<String, String> l : s.labels().entrySet()) {
                assertThat(l.getKey()).as("label of %s%s", s.name(), s.labels()).doesNotMatch(FORBIDDEN_LABEL);
                if (s.name().startsWith("hpcb_") || s.name().startsWith("operator_sdk_")) {
                    assertThat(l.getKey()).as("label of %s%s", s.name(), s.labels()).doesNotMatch(FORBIDDEN_OPERATOR_LABEL);
                    assertThat(objectNames).as("label value of %s%s", s.name(), s.labels()).doesNotContain(l.getValue());
                }
            }
        }
    }

    private static void assertJsonLogsWithNamesAndNoKey(List<TaskAttempt> attempts) throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : operator.logText().split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode n;
            try {
                n = JSON.readTree(line);
            } catch (IOException e) {
                throw new AssertionError("operator log line is not JSON: " + line, e);
            }
            assertThat(n.isObject()).as("log line %s", line).isTrue();
            assertThat(n.path("message").isTextual()).as("message of %s", line).isTrue();
            lines.add(n);
        }
        assertThat(lines).as("JSON log lines").isNotEmpty();

        for (TaskAttempt a : attempts) {
            String name = a.getMetadata().getName();
            List<JsonNode> about = lines.stream().filter(n -> n.get("message").asText().contains(ns.name() + "/" + name)).toList();
            assertThat(about).as("log lines about %s", name).isNotEmpty();
            for (JsonNode n : about) {
                JsonNode mdc = n.path("mdc");
                assertThat(mdc.path("namespace").asText()).as("mdc of %s", n).isEqualTo(ns.name());
                assertThat(mdc.path("campaign").asText()).as("mdc of %s", n).isEqualTo(CAMPAIGN);
                assertThat(mdc.path("task").asText()).as("mdc of %s", n).isEqualTo(a.getSpec().getTask());
                assertThat(mdc.path("attempt").asText()).as("mdc of %s", n).isEqualTo(name);
                assertThat(mdc.path("cluster").asText()).as("mdc of %s", n).isEqualTo(CLUSTER);
            }
        }
        // Pooled threads of the operator (pollers, API writers) carry no Operator SDK context inherited from the
        // reconcile that created them: that would name an object the line is not about.
        assertThat(lines).filteredOn(n -> n.path("threadName").asText().startsWith("hpcb-"))
                .allSatisfy(n -> assertThat(n.path("mdc").fieldNames()).toIterable().as("mdc of %s", n).noneMatch(k -> k.startsWith("resource.")));
        List<JsonNode> connects = lines.stream().filter(n -> n.get("message").asText().startsWith("connected to login node")).toList();
        assertThat(connects).as("connection lines of this namespace's cluster")
                .anySatisfy(n -> assertThat(n.path("mdc").path("namespace").asText()).isEqualTo(ns.name()));
        assertThat(connects).allSatisfy(n -> assertThat(n.path("mdc").path("cluster").asText()).as("mdc of %s", n).isNotEmpty());

        String log = operator.logText();
        StackEnv env = StackEnv.load();
        byte[] key = Files.readAllBytes(Path.of(env.require("HPCB_SSH_KEY")));
        for (String keyLine : new String(key, StandardCharsets.UTF_8).split("\n")) {
            if (keyLine.length() >= 16 && !keyLine.startsWith("-----")) {
                assertThat(log).as("the private key's text in the operator log").doesNotContain(keyLine);
            }
        }
        assertThat(log).as("the Secret's base64 key").doesNotContain(Base64.getEncoder().encodeToString(key).substring(0, 40));
        for (String hostLine : Files.readAllLines(Path.of(env.require("HPCB_KNOWN_HOSTS")))) {
            String[] parts = hostLine.trim().split("\\s+");
            if (parts.length >= 3) {
                assertThat(log).as("known_hosts key material in the operator log").doesNotContain(parts[2]);
            }
        }
    }

    /** GET /q/metrics with curl, as an operator's user would. */
    private static List<Sample> scrape(String when) throws IOException, InterruptedException {
        Process curl = new ProcessBuilder("curl", "-sS", "--fail", "--max-time", "20", "http://127.0.0.1:" + port + "/q/metrics")
                .redirectErrorStream(false).start();
        byte[] out = curl.getInputStream().readAllBytes();
        String err = new String(curl.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(curl.waitFor()).as("curl /q/metrics: %s", err).isZero();
        Files.write(operator.log().resolveSibling("metrics-" + when + ".txt"), out);
        return PrometheusText.parse(new String(out, StandardCharsets.UTF_8));
    }

    /** The sum over the series of {@code name} whose labels include {@code labels}. */
    private static double value(List<Sample> samples, String name, Map<String, String> labels) {
        List<Sample> matching = samples.stream()
                .filter(s -> s.name().equals(name) && s.labels().entrySet().containsAll(labels.entrySet())).toList();
        assertThat(matching).as("series %s%s", name, labels).isNotEmpty();
        return matching.stream().mapToDouble(Sample::value).sum();
    }

    private static String campaignManifest() {
        return """
                apiVersion: hpcbridge.io/v1alpha1
                kind: Campaign
                metadata:
                  name: %s
                spec:
                  clusterRef:
                    name: %s
                  parallelism: 4
                  defaults:
                    resources:
                      cpus: 1
                      memory: 100Mi
                      time: 2m
                  tasks:
                    - name: slow-a
                      script: |
                        #!/bin/bash
                        sleep 20
                    - name: slow-b
                      script: |
                        #!/bin/bash
                        sleep 20
                    - name: after
                      dependsOn: [slow-a, slow-b]
                      script: |
                        #!/bin/bash
                        echo done
                """.formatted(CAMPAIGN, CLUSTER);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
