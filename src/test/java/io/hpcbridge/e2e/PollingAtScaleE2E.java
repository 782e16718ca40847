package io.hpcbridge.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.hpcbridge.api.v1alpha1.AttemptPhase;
import io.hpcbridge.api.v1alpha1.TaskAttempt;

/**
 * Acceptance 1 of the gateway issue: with 300 live attempts on one cluster, every poll runs exactly one squeue that
 * names no job, and sacct runs only in chunks of at most 200 ids, only for jobs that left the queue. Counted on the
 * login node by the counting shim (every scheduler command the SSH user runs), not by the operator's metrics.
 *
 * <p>305 long jobs are submitted (8 run, the rest wait in the queue); during the observed window the test cancels 5
 * of them from outside with the real scancel (bypassing the shim, so the log holds only the operator's commands), so
 * that jobs leave the queue while 300 stay live.
 */
class PollingAtScaleE2E {
    private static final int LIVE = 300;
    private static final int CANCELLED_BY_TEST = 5;
    private static final int TASKS = LIVE + CANCELLED_BY_TEST;
    private static final String CAMPAIGN = "scale";
    private static final Duration WINDOW = Duration.ofSeconds(32);

    private static TestNamespace ns;
    private static LoginNode login;
    private static OperatorProcess operator;

    @BeforeAll
    static void setUp() {
        operator = OperatorProcess.shared();
        login = LoginNode.fromStack();
        ns = TestNamespace.create("e2e-poll");
    }

    @AfterAll
    static void cleanUp() {
        if (ns != null) {
            // The cluster is left clean: every job of this namespace is cancelled with the real scancel.
            String prefix = "hpcb." + ns.name() + ".";
            login.exec("ids=$(/usr/bin/squeue --me -h -o '%i %j' | awk 'index($2, \"" + prefix
                    + "\") == 1 {print $1}'); [ -z \"$ids\" ] || /usr/bin/scancel $ids");
            ns.close();
        }
    }

    @Test
    void threeHundredLiveAttemptsArePolledWithOneSqueuePerPollAndBatchedSacct() {
        Instant t0 = Instant.now();
        ns.kubectl().apply(campaignManifest()).orFail();

        // All attempts submitted: each holds a job id and is Queued or Running.
        List<TaskAttempt> live = List.of();
        Instant deadline = t0.plus(Duration.ofMinutes(4));
        while (Instant.now().isBefore(deadline)) {
            live = liveWithJobIds();
            if (live.size() >= TASKS) {
                break;
            }
            sleep(3000);
        }
        Duration submitTime = Duration.between(t0, Instant.now());
        System.out.printf("[scale] %d attempts live with job ids %d s after apply%n", live.size(), submitTime.toSeconds());
        assertThat(live).as("live attempts with job ids after %s s; %s", submitTime.toSeconds(), diagnostics()).hasSize(TASKS);

        // Steady state: one more poll interval so the last submissions' first poll is behind us.
        sleep(6000);
        List<String> victims = live.stream().filter(a -> a.getStatus().getPhase() == AttemptPhase.Queued).limit(CANCELLED_BY_TEST)
                .map(a -> a.getStatus().getJobId()).toList();
        assertThat(victims).hasSize(CANCELLED_BY_TEST);
        List<PollingWindow.Cluster> clusters = PollingWindow.pollingClusters("slurm");

        long windowStart = loginNow();
        sleep(8000);
        LoginNode.Result cancel = login.exec("/usr/bin/scancel " + String.join(" ", victims));
        assertThat(cancel.ok()).as("scancel: %s", cancel.stderr()).isTrue();
        long cancelledAt = loginNow();
        sleep(WINDOW.toMillis() - 8000);
        long windowEnd = loginNow();
        int liveAtEnd = liveWithJobIds().size();

        List<PollingWindow.Command> window = login.commandLog().stream().map(PollingWindow.Command::parse).filter(c -> c != null)
                .filter(c -> c.epochMs() >= windowStart && c.epochMs() <= windowEnd).toList();
        List<PollingWindow.Command> squeues = window.stream().filter(c -> c.verb().equals("squeue")).toList();
        List<PollingWindow.Command> saccts = window.stream().filter(c -> c.verb().equals("sacct")).toList();
        double windowSeconds = (windowEnd - windowStart) / 1000.0;

        System.out.printf("[scale] window %.1f s on the login node clock, %d commands: %s%n", windowSeconds, window.size(),
                window.stream().collect(Collectors.groupingBy(c -> c.verb(), TreeMap::new, Collectors.counting())));
        System.out.println("[scale] polling clusters: " + clusters);
        System.out.println("[scale] squeue gaps (ms): " + PollingWindow.gaps(squeues));
        saccts.forEach(c -> System.out.printf("[scale] sacct at +%d ms with %d id(s)%n", c.epochMs() - windowStart, c.jobIds().size()));
        System.out.println("[scale] cancelled from outside at +" + (cancelledAt - windowStart) + " ms: " + victims
                + "; live attempts at the end: " + liveAtEnd);

        // No command names a job in the queue one by one: squeue is the same unfiltered query every time.
        assertThat(squeues).allSatisfy(c -> assertThat(c.args()).as(c.line())
                .noneMatch(a -> a.startsWith("--name") || a.startsWith("--jobs") || a.equals("-j") || a.startsWith("-j")
                        || a.equals("-n") || a.startsWith("--job")));
        assertThat(window).as("commands other than the poll's squeue and sacct while nothing is submitted")
                .allSatisfy(c -> assertThat(c.verb()).as(c.line()).isIn("squeue", "sacct"));

        // Exactly one squeue per poll: for one cluster the squeues are one poll interval apart, never closer.
        double expected = clusters.stream().mapToDouble(c -> windowSeconds / c.pollSeconds()).sum();
        assertThat((double) squeues.size()).as("squeue calls in %.1f s with clusters %s (expected ~%.1f)", windowSeconds, clusters, expected)
                .isBetween(Math.floor(expected) - clusters.size(), Math.ceil(expected) + clusters.size());
        if (clusters.size() == 1) {
            long intervalMs = (long) (clusters.get(0).pollSeconds() * 1000);
            assertThat(PollingWindow.gaps(squeues)).as("ms between consecutive squeue calls, poll interval %d ms", intervalMs)
                    .allSatisfy(g -> assertThat(g).isBetween(intervalMs - 1000, intervalMs + 4000));
        } else {
            System.out.println("[scale] WARNING: " + clusters.size() + " HpcClusters poll the same login node; the per-gap check "
                    + "needs one and is skipped, the count check covers all of them");
        }

        // sacct only by job id, at most 200 per call, only for jobs that left the queue, and at most one per poll.
        assertThat(saccts).allSatisfy(c -> {
            assertThat(c.args()).as(c.line()).noneMatch(a -> a.startsWith("--name") || a.startsWith("-S") || a.startsWith("--starttime"));
            assertThat(c.jobIds()).as(c.line()).isNotEmpty().hasSizeLessThanOrEqualTo(200);
            assertThat(c.jobIds()).as("sacct asked only about jobs that left the queue (the ones cancelled): %s", c.line())
                    .isSubsetOf(victims);
        });
        Set<String> askedAbout = saccts.stream().flatMap(c -> c.jobIds().stream()).collect(Collectors.toSet());
        assertThat(askedAbout).as("the jobs that left the queue were confirmed with sacct within the window").containsAll(victims);
        assertThat(saccts.size()).as("sacct calls (one batched call per poll at most): %s", saccts).isLessThanOrEqualTo(squeues.size());
        assertThat(liveAtEnd).as("live attempts at the end of the window").isEqualTo(LIVE);
    }

    /** Attempts of the campaign in Queued or Running with a job id. */
    private static List<TaskAttempt> liveWithJobIds() {
        return ns.list("hatt", "hpcbridge.io/campaign=" + CAMPAIGN, TaskAttempt.class).stream()
                .filter(a -> a.getStatus() != null && a.getStatus().getJobId() != null)
                .filter(a -> a.getStatus().getPhase() == AttemptPhase.Queued || a.getStatus().getPhase() == AttemptPhase.Running)
                .toList();
    }

    private static long loginNow() {
        return Long.parseLong(login.exec("date +%s%3N").stdout().strip());
    }

    private static String diagnostics() {
        Map<String, Long> phases = ns.list("hatt", "hpcbridge.io/campaign=" + CAMPAIGN, TaskAttempt.class).stream()
                .collect(Collectors.groupingBy(a -> a.getStatus() == null || a.getStatus().getPhase() == null ? "(none)"
                        : a.getStatus().getPhase().name(), TreeMap::new, Collectors.counting()));
        return "attempts by phase " + phases + "; operator log " + operator.log() + "\n"
                + ns.kubectl().get("campaign", CAMPAIGN, "-o", "wide").stdout();
    }

    private static String campaignManifest() {
        StringBuilder y = new StringBuilder("""
                apiVersion: hpcbridge.io/v1alpha1
                kind: Campaign
                metadata:
                  name: scale
                spec:
                  clusterRef:
                    name: local-slurm
                  defaults:
                    resources:
                      cpus: 1
                      memory: 50Mi
                      time: 15m
                    retryStrategy:
                      limit: 0
                  tasks:
                """);
        for (int i = 0; i < TASKS; i++) {
            y.append(String.format("""
                        - name: t%03d
                          script: |
                            #!/bin/bash
                            sleep 600
                    """, i));
        }
        return y.toString();
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
