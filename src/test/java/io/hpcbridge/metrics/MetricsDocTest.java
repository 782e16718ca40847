package io.hpcbridge.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.hpcbridge.api.v1alpha1.AttemptPhase;
import io.hpcbridge.gateway.FakeRemoteShell;
import io.hpcbridge.gateway.RemoteException;
import io.hpcbridge.ssh.HostKeyException;
import io.hpcbridge.ssh.LoginNodeShell;
import io.hpcbridge.ssh.SshFailure;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;

/**
 * Every meter the operator registers, recorded once through a real Prometheus registry and scraped: its series must be
 * exactly those documented in docs/operations.md, each with only its documented labels.
 */
class MetricsDocTest {
    private static final String CLUSTER = "ns-a/local-slurm";

    @Test
    void scrapedSeriesAreExactlyTheDocumentedOnesWithTheirLabels() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        OperatorMetrics metrics = new OperatorMetrics(registry);
        recordEverything(metrics);

        List<PrometheusText.Sample> ours = PrometheusText.parse(registry.scrape()).stream()
                .filter(s -> s.name().startsWith("hpcb_")).toList();
        Map<String, Set<String>> documented = MetricsDoc.read();

        Set<String> scraped = ours.stream().map(PrometheusText.Sample::name).collect(Collectors.toCollection(TreeSet::new));
        assertThat(scraped)
                .as("hpcb_ series scraped vs. the Metrics table of docs/operations.md")
                .isEqualTo(new TreeSet<>(documented.keySet()));
        for (PrometheusText.Sample s : ours) {
            assertThat(documented.get(s.name())).as("labels of %s%s", s.name(), s.labels()).containsAll(s.labels().keySet());
            if (documented.get(s.name()).contains("cluster")) {
                assertThat(s.labels()).as("cluster label of %s", s.name()).containsEntry("cluster", CLUSTER);
            }
        }
    }

    @Test
    void pollLatencyHasHistogramBuckets() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new OperatorMetrics(registry).poll(CLUSTER, true, Duration.ofMillis(300));

        List<PrometheusText.Sample> buckets = PrometheusText.parse(registry.scrape()).stream()
                .filter(s -> s.name().equals("hpcb_polls_seconds_bucket")).toList();
        assertThat(buckets).extracting(s -> s.labels().get("le"))
                .containsExactly("0.1", "0.25", "0.5", "1.0", "2.5", "5.0", "10.0", "30.0", "60.0", "120.0", "+Inf");
        assertThat(buckets).filteredOn(s -> s.labels().get("le").equals("0.25")).extracting(PrometheusText.Sample::value).containsExactly(0.0);
        assertThat(buckets).filteredOn(s -> s.labels().get("le").equals("0.5")).extracting(PrometheusText.Sample::value).containsExactly(1.0);
    }

    @Test
    void connectionTriesAreCountedByOutcome() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        OperatorMetrics metrics = new OperatorMetrics(registry);
        LoginNodeShell.Endpoint endpoint = new LoginNodeShell.Endpoint("127.0.0.1", 2222);
        assertThatThrownBy(() -> new MeteredConnector(e -> {
            throw new HostKeyException(HostKeyException.Kind.HostKeyMismatch, "mismatch");
        }, CLUSTER, metrics).open(endpoint)).isInstanceOf(HostKeyException.class);
        assertThatThrownBy(() -> new MeteredConnector(e -> {
            throw new SshFailure(SshFailure.CONNECTION_FAILED, "refused", null);
        }, CLUSTER, metrics).open(endpoint)).isInstanceOf(SshFailure.class);
        assertThatThrownBy(() -> new MeteredConnector(e -> {
            throw new RemoteException("known_hosts unreadable");
        }, CLUSTER, metrics).open(endpoint)).isInstanceOf(RemoteException.class);

        Map<String, Double> byOutcome = PrometheusText.parse(registry.scrape()).stream()
                .filter(s -> s.name().equals("hpcb_ssh_connects_total"))
                .collect(Collectors.toMap(s -> s.labels().get("outcome"), PrometheusText.Sample::value));
        assertThat(byOutcome).containsExactlyInAnyOrderEntriesOf(Map.of("HostKeyMismatch", 1.0, "ConnectionFailed", 1.0, "error", 1.0));
    }

    @Test
    void aTableWithAShortenedNameIsRefused() {
        assertThatThrownBy(() -> MetricsDoc.parse("x\n## Metrics\n| metric | type | labels | meaning |\n|---|---|---|---|\n"
                + "| `hpcb_polls_seconds_count`, `_sum` | timer | `cluster` | polls |\n"))
                .hasMessageContaining("_sum");
    }

    /** One call of every recording method, through the same wrappers the operator uses. */
    private static void recordEverything(OperatorMetrics metrics) throws Exception {
        FakeRemoteShell fake = new FakeRemoteShell().onOk("squeue", "");
        new MeteredShell(fake, CLUSTER, metrics).exec(io.hpcbridge.gateway.RemoteOperation.POLL, List.of("squeue", "--noheader"));
        new MeteredConnector(e -> null, CLUSTER, metrics).open(new LoginNodeShell.Endpoint("127.0.0.1", 2222));
        metrics.poll(CLUSTER, true, Duration.ofMillis(40));
        metrics.submission(CLUSTER, "submitted");
        metrics.lost(CLUSTER);
        metrics.statusWrite("TaskAttempt");
        metrics.clusterGauges(CLUSTER, () -> 3.0, () -> 1.0, () -> 0.0, () -> 2.0);
        metrics.attemptPhase("ns-a", "a-1", AttemptPhase.Running);
    }
}
