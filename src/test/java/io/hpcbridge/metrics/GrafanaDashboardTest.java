package io.hpcbridge.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * docs/grafana/hpc-bridge-dashboard.json is a Grafana dashboard whose every query uses metrics and labels documented in
 * docs/operations.md, so a renamed metric or label breaks this test rather than the dashboard.
 */
class GrafanaDashboardTest {
    private static final Path FILE = Path.of("docs/grafana/hpc-bridge-dashboard.json");
    /** A metric name, optionally followed by its label matchers. */
    private static final Pattern SELECTOR = Pattern.compile("(hpcb_[a-zA-Z0-9_]+)(\\{([^}]*)\\})?");
    private static final Pattern MATCHER = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"");
    private static JsonNode dashboard;
    private static List<JsonNode> panels;

    @BeforeAll
    static void read() throws Exception {
        dashboard = new ObjectMapper().readTree(Files.readString(FILE));
        panels = new ArrayList<>();
        for (JsonNode p : dashboard.get("panels")) {
            panels.add(p);
            p.path("panels").forEach(panels::add);
        }
    }

    @Test
    void isADashboardWithAPrometheusDataSourceVariable() {
        assertThat(dashboard.get("schemaVersion").asInt()).isBetween(36, 41);
        assertThat(dashboard.get("uid").asText()).isNotBlank();
        assertThat(dashboard.get("title").asText()).isEqualTo("hpc-bridge");
        JsonNode datasource = variable("datasource");
        assertThat(datasource.get("type").asText()).isEqualTo("datasource");
        assertThat(datasource.get("query").asText()).isEqualTo("prometheus");
        assertThat(variable("cluster").get("datasource").get("uid").asText()).isEqualTo("${datasource}");

        Set<Integer> ids = new HashSet<>();
        for (JsonNode p : panels) {
            assertThat(ids.add(p.get("id").asInt())).as("panel id %s is unique", p.get("id")).isTrue();
            assertThat(p.get("gridPos").get("w").asInt()).as("width of %s", p.get("title")).isBetween(1, 24);
            if (!p.get("type").asText().equals("row")) {
                assertThat(p.get("datasource").get("uid").asText()).as("data source of %s", p.get("title")).isEqualTo("${datasource}");
                assertThat(p.get("targets")).as("queries of %s", p.get("title")).isNotEmpty();
            }
        }
    }

    @Test
    void everyQueriedMetricAndLabelIsDocumented() {
        Map<String, Set<String>> documented = MetricsDoc.read();
        Set<String> queried = new TreeSet<>();
        for (String expr : expressions()) {
            Matcher m = SELECTOR.matcher(expr);
            boolean any = false;
            while (m.find()) {
                any = true;
                String name = m.group(1);
                queried.add(name);
                assertThat(documented).as("metric %s in '%s'", name, expr).containsKey(name);
                if (m.group(3) != null) {
                    Matcher l = MATCHER.matcher(m.group(3));
                    while (l.find()) {
                        assertThat(documented.get(name)).as("label %s of %s in '%s'", l.group(1), name, expr).contains(l.group(1));
                    }
                }
            }
            assertThat(any).as("'%s' queries an hpcb_ metric", expr).isTrue();
        }
        // What the dashboard is for: attempts by phase, submissions, poll latency, staleness, SSH health.
        assertThat(queried).contains("hpcb_attempts", "hpcb_submissions_total", "hpcb_polls_seconds_bucket",
                "hpcb_status_staleness_seconds", "hpcb_ssh_connections_open", "hpcb_ssh_channels_in_use", "hpcb_ssh_connects_total");
    }

    @Test
    void groupingLabelsAreDocumentedForTheMetricTheyGroup() {
        Map<String, Set<String>> documented = MetricsDoc.read();
        Pattern by = Pattern.compile("by \\(([^)]*)\\) \\((?:rate|increase)?\\(?(hpcb_[a-zA-Z0-9_]+)");
        for (String expr : expressions()) {
            Matcher m = by.matcher(expr);
            while (m.find()) {
                for (String label : m.group(1).split(",\\s*")) {
                    assertThat(documented.get(m.group(2))).as("'by %s' over %s in '%s'", label, m.group(2), expr).contains(label);
                }
            }
        }
    }

    private static List<String> expressions() {
        List<String> out = new ArrayList<>();
        for (JsonNode p : panels) {
            p.path("targets").forEach(t -> out.add(t.get("expr").asText()));
        }
        assertThat(out).isNotEmpty();
        return out;
    }

    private static JsonNode variable(String name) {
        for (JsonNode v : dashboard.get("templating").get("list")) {
            if (v.get("name").asText().equals(name)) {
                return v;
            }
        }
        throw new AssertionError("no dashboard variable " + name);
    }
}
