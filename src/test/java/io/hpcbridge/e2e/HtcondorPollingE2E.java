package io.hpcbridge.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.hpcbridge.api.v1alpha1.AttemptPhase;
import io.hpcbridge.api.v1alpha1.TaskAttempt;

/**
 * Acceptance 3 of the HTCondor issue: with 100 live attempts, every poll runs exactly one condor_q per login node,
 * constrained on the installation and naming no job, and condor_history runs only for jobs that left the queue, at
 * most 200 per call. Counted on the pool's login node by its counting shim, not by the operator's metrics. The pool
 * runs 8 jobs at a time, so most attempts wait in the queue; during the window the test removes 5 idle jobs with the
 * real condor_rm (bypassing the shim), so that jobs leave the queue while 95 stay live.
 */
class HtcondorPollingE2E {
    private static final int LIVE = 95;
    private static final int REMOVED_BY_TEST = 5;
    private static final int TASKS = LIVE + REMOVED_BY_TEST;
    private static final String CAMPAIGN = "scale";
    private static final Duration WINDOW = Duration.ofSeconds(30);
    private static final Pattern CLUSTER_ID = Pattern.compile("ClusterId\\s*==\\s*([0-9]+)");

    private static TestNamespace ns;
    private static LoginNode pool;

    @BeforeAll
    static void setUp() {
        OperatorProcess.shared();
        pool = LoginNode.htcondor();
        ns = TestNamespace.withCredentials("e2e-condor-poll");
        ns.kubectl().apply(new File("examples/htcondor/01-hpccluster.yaml")).orFail();
    }

    @AfterAll
    static void cleanUp() {
        if (ns != null) {
            // The pool is left clean: every job of this namespace is removed with the real condor_rm (95 jobs of ten
            // minutes each would otherwise hold the pool's slots for two hours).
            LoginNode.Result rm = pool.exec(removeJobsOf("hpcb." + ns.name() + "."));
            System.out.println("[condor-scale] clean-up: " + rm.stdout().lines().count() + " line(s) from condor_rm " + rm.stderr().strip());
            ns.close();
        }
    }

    @Test
    void hundredLiveAttemptsArePolledWithOneCondorQPerPollAndHistoryOnlyForJobsThatLeft() {
        Instant t0 = Instant.now();
        ns.kubectl().apply(campaignManifest()).orFail();
        List<TaskAttempt> live = List.of();
        Instant deadline = t0.plus(Duration.ofMinutes(4));
        while (Instant.now().isBefore(deadline)) {
            live = liveWithJobIds();
            if (live.size() >= TASKS) {
                break;
            }
            sleep(3000);
        }
        System.out.printf("[condor-scale] %d attempts live with job ids %d s after apply%n", live.size(),
                Duration.between(t0, Instant.now()).toSeconds());
        assertThat(live).as("live attempts with job ids: %s", phases()).hasSize(TASKS);
        sleep(6000);
        List<String> victims = live.stream().filter(a -> a.getStatus().getPhase() == AttemptPhase.Queued).limit(REMOVED_BY_TEST)
                .map(a -> a.getStatus().getJobId()).toList();
        assertThat(victims).hasSize(REMOVED_BY_TEST);
        Set<String> victimClusters = victims.stream().map(id -> id.substring(0, id.indexOf('.'))).collect(Collectors.toSet());
        List<PollingWindow.Cluster> clusters = PollingWindow.pollingClusters("htcondor");

        long windowStart = poolNow();
        sleep(8000);
        LoginNode.Result rm = pool.exec("/usr/bin/condor_rm " + String.join(" ", victims));
        assertThat(rm.ok()).as("condor_rm: %s %s", rm.stdout(), rm.stderr()).isTrue();
        sleep(WINDOW.toMillis() - 8000);
        long windowEnd = poolNow();
        int liveAtEnd = liveWithJobIds().size();

        List<PollingWindow.Command> window = pool.commandLog().stream().map(PollingWindow.Command::parse).filter(c -> c != null)
                .filter(c -> c.epochMs() >= windowStart && c.epochMs() <= windowEnd).toList();
        List<PollingWindow.Command> queries = window.stream().filter(c -> c.verb().equals("condor_q")).toList();
        List<PollingWindow.Command> histories = window.stream().filter(c -> c.verb().equals("condor_history")).toList();
        double windowSeconds = (windowEnd - windowStart) / 1000.0;
        System.out.printf("[condor-scale] window %.1f s, commands %s, polling clusters %s%n", windowSeconds,
                window.stream().collect(Collectors.groupingBy(PollingWindow.Command::verb, TreeMap::new, Collectors.counting())), clusters);
        histories.forEach(c -> System.out.printf("[condor-scale] condor_history at +%d ms about clusters %s%n", c.epochMs() - windowStart,
                clusterIds(c)));

        assertThat(window).as("only the poll's condor_q and condor_history while nothing is submitted")
                .allSatisfy(c -> assertThat(c.verb()).as(c.line()).isIn("condor_q", "condor_history"));
        assertThat(queries).allSatisfy(c -> {
            assertThat(c.line()).as("constrained on the installation").contains("HpcBridgeInstance");
            assertThat(clusterIds(c)).as("condor_q names no job: %s", c.line()).isEmpty();
        });
        double expected = clusters.stream().mapToDouble(c -> windowSeconds / c.pollSeconds()).sum();
        assertThat((double) queries.size()).as("condor_q calls in %.1f s with clusters %s (expected ~%.1f)", windowSeconds, clusters, expected)
                .isBetween(Math.floor(expected) - clusters.size(), Math.ceil(expected) + clusters.size());
        if (clusters.size() == 1) {
            long intervalMs = (long) (clusters.get(0).pollSeconds() * 1000);
            assertThat(PollingWindow.gaps(queries)).as("ms between consecutive condor_q calls, poll interval %d ms", intervalMs)
                    .allSatisfy(g -> assertThat(g).isBetween(intervalMs - 1000, intervalMs + 4000));
        }
        assertThat(histories).allSatisfy(c -> {
            assertThat(clusterIds(c)).as(c.line()).isNotEmpty().hasSizeLessThanOrEqualTo(200);
            assertThat(clusterIds(c)).as("history asked only about jobs that left the queue: %s", c.line()).isSubsetOf(victimClusters);
        });
        Set<String> askedAbout = histories.stream().flatMap(c -> clusterIds(c).stream()).collect(Collectors.toSet());
        assertThat(askedAbout).as("the removed jobs were confirmed in history within the window").containsAll(victimClusters);
        assertThat(histories.size()).as("history calls (one batched call per poll at most)").isLessThanOrEqualTo(queries.size());
        assertThat(liveAtEnd).isEqualTo(LIVE);
    }

    /** A command line that removes, with the real condor_rm, every queued job whose identity name starts with the prefix. */
    static String removeJobsOf(String prefix) {
        return "ids=$(/usr/bin/condor_q -af:j HpcBridgeName | awk -v p='" + prefix + "' 'index($2, p) == 1 {print $1}'); "
                + "[ -z \"$ids\" ] || /usr/bin/condor_rm $ids";
    }

    private static Set<String> clusterIds(PollingWindow.Command c) {
        Set<String> ids = new TreeSet<>();
        Matcher m = CLUSTER_ID.matcher(c.line());
        while (m.find()) {
            ids.add(m.group(1));
        }
        return ids;
    }

    private static List<TaskAttempt> liveWithJobIds() {
        return ns.list("hatt", "hpcbridge.io/campaign=" + CAMPAIGN, TaskAttempt.class).stream()
                .filter(a -> a.getStatus() != null && a.getStatus().getJobId() != null)
                .filter(a -> a.getStatus().getPhase() == AttemptPhase.Queued || a.getStatus().getPhase() == AttemptPhase.Running)
                .toList();
    }

    private static Map<String, Long> phases() {
        return ns.list("hatt", "hpcbridge.io/campaign=" + CAMPAIGN, TaskAttempt.class).stream()
                .collect(Collectors.groupingBy(a -> a.getStatus() == null || a.getStatus().getPhase() == null ? "(none)"
                        : a.getStatus().getPhase().name(), TreeMap::new, Collectors.counting()));
    }

    private static long poolNow() {
        return Long.parseLong(pool.exec("date +%s%3N").stdout().strip());
    }

    private static String campaignManifest() {
        return """
                apiVersion: hpcbridge.io/v1alpha1
                kind: Campaign
                metadata:
                  name: scale
                spec:
                  clusterRef:
                    name: local-htcondor
                  parallelism: %d
                  defaults:
                    resources:
                      cpus: 1
                      memory: 16Mi
                      time: 15m
                    retryStrategy:
                      limit: 0
                  tasks:
                    - name: t
                      shards: %d
                      script: |
                        #!/bin/bash
                        sleep 600
                """.formatted(TASKS, TASKS);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
