package io.hpcbridge.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.hpcbridge.api.v1alpha1.AttemptPhase;
import io.hpcbridge.api.v1alpha1.Campaign;
import io.hpcbridge.api.v1alpha1.HpcCluster;
import io.hpcbridge.api.v1alpha1.Task;
import io.hpcbridge.api.v1alpha1.TaskAttempt;
import io.hpcbridge.api.v1alpha1.TaskPhase;

/**
 * Gateway acceptance 5 to 9 of issue 3, on the real API server, real Slurm and real sshd, with the packaged operator:
 * an external scancel, a time limit, deleting a campaign with live jobs, a wrong known_hosts entry, and the number
 * of status writes of one attempt. The scenarios are independent and share one namespace; their campaigns are
 * applied together so the whole class takes a few minutes. Facts are read from the cluster (sacct, squeue, the
 * counting shim's log) and from the API server's own watch stream, not only from statuses.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GatewayFaultsE2E {
    private static final ObjectMapper JSON = Serialization.jsonMapper();
    private static final Duration POLL = Duration.ofSeconds(5);
    private static final String WRITES = "writes";
    private static final String WRITES_ATTEMPT = "writes-sleeper-1";
    private static final String EXT_CANCEL = "extcancel";
    private static final String TIMEOUT = "overrun";
    private static final String BAD_KEY = "badkey";
    private static final String DOOMED = "doomed";
    /** More than one scancel chunk (100 ids) must be needed to cancel them all. */
    private static final int DOOMED_TASKS = 105;

    private static TestNamespace ns;
    private static LoginNode login;
    private static OperatorProcess operator;
    private static StackEnv env;
    private static Process watch;
    private static Path watchFile;
    private static Path tmp;

    @BeforeAll
    static void setUp() throws Exception {
        operator = OperatorProcess.shared();
        env = StackEnv.load();
        login = LoginNode.fromStack();
        ns = TestNamespace.create("e2e-gwf");
        tmp = Files.createTempDirectory("gwf");

        // (9) The API server's own record of every write to the attempts of this namespace, from before they exist.
        watchFile = tmp.resolve("hatt-watch.json");
        ProcessBuilder pb = new ProcessBuilder(env.kubectl(), "-n", ns.name(), "get", "taskattempts", "-w", "-o", "json",
                "--output-watch-events").redirectOutput(watchFile.toFile()).redirectError(tmp.resolve("hatt-watch.err").toFile());
        pb.environment().put("KUBECONFIG", env.kubeconfig().toString());
        watch = pb.start();
        Thread.sleep(3000);
        assertThat(watch.isAlive()).as("kubectl watch: %s", Files.readString(tmp.resolve("hatt-watch.err"))).isTrue();

        // (8) A second Secret whose known_hosts pins a different ed25519 key for the real login node, with the real
        // private key (so that a leak of it would be visible in the log), and a cluster using it.
        Path keyDir = Files.createDirectories(tmp.resolve("wrongkey"));
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "not-the-login-node", "-f", keyDir.resolve("k").toString());
        String[] pub = Files.readString(keyDir.resolve("k.pub")).strip().split(" ");
        String realKnownHosts = Files.readString(Path.of(env.require("HPCB_KNOWN_HOSTS")));
        assertThat(realKnownHosts).doesNotContain(pub[1]);
        String hostPattern = "[" + env.require("HPCB_SSH_HOST") + "]:" + env.require("HPCB_SSH_PORT");
        Path knownHosts = keyDir.resolve("known_hosts");
        Files.writeString(knownHosts, hostPattern + " " + pub[0] + " " + pub[1] + "\n");
        ns.kubectl().run("create", "secret", "generic", "bad-login", "--from-file=ssh-privatekey=" + env.require("HPCB_SSH_KEY"),
                "--from-file=known_hosts=" + knownHosts).orFail();
        ns.kubectl().apply(cluster("bad-hostkey", "bad-login")).orFail();

        ns.kubectl().apply(campaign(WRITES, "local-slurm", "5m", Map.of("sleeper", "sleep 20\necho done"))).orFail();
        ns.kubectl().apply(campaign(EXT_CANCEL, "local-slurm", "10m", Map.of("victim", "sleep 300"))).orFail();
        ns.kubectl().apply(campaign(TIMEOUT, "local-slurm", "1m", Map.of("forever", "sleep 300"))).orFail();
        ns.kubectl().apply(campaign(BAD_KEY, "bad-hostkey", "5m", Map.of("one", "echo one", "two", "echo two"))).orFail();
    }

    @AfterAll
    static void cleanUp() {
        if (watch != null) {
            watch.destroy();
        }
        if (ns != null) {
            // The cluster is left clean: every job of this namespace is cancelled with the real scancel (not the shim).
            String prefix = "hpcb." + ns.name() + ".";
            login.exec("ids=$(/usr/bin/squeue --me -h -o '%i %j' | awk 'index($2, \"" + prefix
                    + "\") == 1 {print $1}'); [ -z \"$ids\" ] || /usr/bin/scancel $ids");
            ns.close();
        }
    }

    /** Acceptance 5: an admin's scancel ends the attempt Cancelled, saying it was not hpc-bridge, within three polls. */
    @Test
    @Order(1)
    void externalScancelEndsTheAttemptCancelledWithinThreePolls() {
        TaskAttempt running = await("extcancel attempt Running", Duration.ofSeconds(120), () -> attempts(EXT_CANCEL).stream()
                .filter(a -> a.getStatus() != null && a.getStatus().getPhase() == AttemptPhase.Running).findFirst());
        String jobId = running.getStatus().getJobId();
        String name = running.getMetadata().getName();

        // The real scancel, as an admin would run it (not through the counting shim: the log stays the operator's).
        LoginNode.Result cancel = login.exec("/usr/bin/scancel " + jobId);
        Instant cancelledAt = Instant.now();
        assertThat(cancel.ok()).as("scancel %s: %s", jobId, cancel.stderr()).isTrue();

        List<String> seen = new ArrayList<>();
        TaskAttempt ended = await("attempt " + name + " ends after scancel", Duration.ofSeconds(60), () -> {
            TaskAttempt a = ns.get("hatt", name, TaskAttempt.class);
            String p = a.getStatus().getPhase() + "/" + a.getStatus().getReason();
            if (seen.isEmpty() || !seen.get(seen.size() - 1).endsWith(p)) {
                seen.add("+" + Duration.between(cancelledAt, Instant.now()).toMillis() + "ms " + p);
            }
            return Optional.of(a).filter(x -> x.getStatus().getPhase().isTerminal());
        });
        Duration took = Duration.between(cancelledAt, Instant.now());
        System.out.printf("[gwf] external scancel of job %s: attempt ended after %d ms via %s: %s%n", jobId, took.toMillis(), seen,
                ended.getStatus().getMessage());

        assertThat(ended.getStatus().getPhase()).as("phase after an external scancel; path %s", seen).isEqualTo(AttemptPhase.Cancelled);
        assertThat(ended.getStatus().getReason()).isEqualTo("Cancelled");
        assertThat(ended.getStatus().getMessage()).contains("job " + jobId).contains("not by hpc-bridge");
        // Three polls (5 s each) plus the reconcile and the status write.
        assertThat(took).as("time from scancel to Cancelled; path %s", seen).isLessThanOrEqualTo(POLL.multipliedBy(3).plusSeconds(8));
        assertThat(login.sacctStateAndExit(jobId)).startsWith("CANCELLED");

        Task task = await("task victim Cancelled", Duration.ofSeconds(30), () -> Optional.of(ns.get("htask", EXT_CANCEL + "-victim", Task.class))
                .filter(t -> t.getStatus() != null && t.getStatus().getPhase() != null && t.getStatus().getPhase().isTerminal()));
        assertThat(task.getStatus().getPhase()).isEqualTo(TaskPhase.Cancelled);
        Campaign campaign = await("campaign extcancel completed", Duration.ofSeconds(30),
                () -> Optional.of(ns.get("campaign", EXT_CANCEL, Campaign.class))
                        .filter(c -> c.getStatus() != null && c.getStatus().getPhase() != null && c.getStatus().getPhase().isTerminal()));
        assertThat(campaign.getStatus().getTasks().getCancelled()).isEqualTo(1);
    }

    /**
     * Acceptance 9: an attempt that goes Queued → Running → Succeeded gets at most six status writes, and none while
     * its job runs unchanged between polls. Counted on the API server's watch stream of the namespace's attempts.
     */
    @Test
    @Order(2)
    void anAttemptGetsAtMostSixStatusWritesAndNoneForPollsThatChangeNothing() throws Exception {
        TaskAttempt done = await("writes attempt ends", Duration.ofSeconds(180), () -> attempts(WRITES).stream()
                .filter(a -> a.getStatus() != null && a.getStatus().getPhase() != null && a.getStatus().getPhase().isTerminal()).findFirst());
        assertThat(done.getStatus().getPhase()).isEqualTo(AttemptPhase.Succeeded);
        assertThat(done.getMetadata().getName()).isEqualTo(WRITES_ATTEMPT);
        // Later polls must not write either: watch a few more polls after the end.
        Thread.sleep(POLL.multipliedBy(3).toMillis());

        List<JsonNode> events = watchEvents(WRITES_ATTEMPT);
        assertThat(events).as("watch events of %s", WRITES_ATTEMPT).isNotEmpty();
        JsonNode first = events.get(0);
        // Proof that the watch saw the attempt from its creation, so nothing was missed.
        assertThat(first.path("type").asText()).isEqualTo("ADDED");
        assertThat(first.path("object").path("status").isMissingNode() || first.path("object").path("status").isEmpty())
                .as("first event has no status yet: %s", first.path("object").path("status")).isTrue();

        Set<String> versions = new HashSet<>();
        List<JsonNode> statusWrites = new ArrayList<>();
        JsonNode previous = JSON.nullNode();
        for (JsonNode e : events) {
            JsonNode obj = e.path("object");
            versions.add(obj.path("metadata").path("resourceVersion").asText());
            JsonNode status = obj.path("status");
            if (status.isMissingNode()) {
                status = JSON.nullNode();
            }
            if (!status.equals(previous) && !(status.isNull() && previous.isNull())) {
                statusWrites.add(status);
            }
            previous = status;
        }
        String trail = statusWrites.stream()
                .map(s -> s.path("phase").asText() + "/" + s.path("reason").asText() + "/" + s.path("schedulerState").asText("-"))
                .collect(Collectors.joining(" -> "));
        System.out.printf("[gwf] %s: %d watch events, %d resourceVersions, %d status writes: %s%n", WRITES_ATTEMPT, events.size(),
                versions.size(), statusWrites.size(), trail);

        assertThat(statusWrites.stream().map(s -> s.path("phase").asText()).toList()).as(trail)
                .contains("Queued", "Running", "Succeeded");
        assertThat(statusWrites).as("status writes of %s: %s", WRITES_ATTEMPT, trail).hasSizeLessThanOrEqualTo(6);

        // No write while the job ran unchanged for 20 s (four polls): the write after Running is already its end.
        int running = indexOfPhase(statusWrites, "Running");
        assertThat(running).as(trail).isNotNegative();
        assertThat(running + 1).as("a status write after Running: %s", trail).isLessThan(statusWrites.size());
        assertThat(statusWrites.get(running + 1).path("phase").asText()).as("the status write after Running: %s", trail)
                .isIn("Settling", "Succeeded");
        // Every write while the job is queued or running records a change of phase, reason or scheduler state.
        for (int i = 1; i < statusWrites.size(); i++) {
            JsonNode a = statusWrites.get(i - 1);
            JsonNode b = statusWrites.get(i);
            if (List.of("Queued", "Running").contains(b.path("phase").asText())) {
                assertThat(List.of(a.path("phase"), a.path("reason"), a.path("schedulerState")))
                        .as("status write %d changed nothing the poll learnt: %s -> %s", i, a, b)
                        .isNotEqualTo(List.of(b.path("phase"), b.path("reason"), b.path("schedulerState")));
            }
        }
        // The polls in between really happened (counted on the login node): at least three squeues while it ran.
        Instant started = Instant.parse(done.getStatus().getStartedAt());
        Instant finished = Instant.parse(done.getStatus().getFinishedAt());
        long squeuesWhileRunning = login.commandLog().stream().map(l -> l.split(" ", 3)).filter(p -> p.length >= 2 && p[1].equals("squeue"))
                .mapToLong(p -> Long.parseLong(p[0])).filter(t -> t > started.toEpochMilli() && t < finished.toEpochMilli()).count();
        assertThat(squeuesWhileRunning).as("squeue calls between %s and %s", started, finished).isGreaterThanOrEqualTo(3);
    }

    /**
     * Acceptance 8: a known_hosts entry with another key: Reachable=False with reason HostKeyMismatch (and it stays
     * so), nothing submitted, the attempts Pending with ClusterUnavailable, and no private key material in the log.
     */
    @Test
    @Order(3)
    void wrongKnownHostsEntryMeansHostKeyMismatchNothingSubmittedAndNoKeyInTheLog() throws Exception {
        HpcCluster bad = await("bad-hostkey Reachable=False", Duration.ofSeconds(60), () -> Optional.of(ns.get("hpcc", "bad-hostkey", HpcCluster.class))
                .filter(c -> c.getStatus() != null && conditionOf(c.getStatus().getConditions(), "Reachable").map(x -> "False".equals(x.getStatus())).orElse(false)));
        Condition reachable = conditionOf(bad.getStatus().getConditions(), "Reachable").orElseThrow();
        System.out.printf("[gwf] bad-hostkey: Reachable=%s reason %s: %s%n", reachable.getStatus(), reachable.getReason(), reachable.getMessage());
        assertThat(reachable.getReason()).as(reachable.getMessage()).isEqualTo("HostKeyMismatch");

        // It stays a host key mismatch: later polls (also those held back by the connection rate limit) must not turn
        // it into a generic failure. Sampled over three connection intervals.
        List<String> samples = new ArrayList<>();
        Instant end = Instant.now().plusSeconds(40);
        while (Instant.now().isBefore(end)) {
            HpcCluster c = ns.get("hpcc", "bad-hostkey", HpcCluster.class);
            Condition r = conditionOf(c.getStatus().getConditions(), "Reachable").orElseThrow();
            String s = r.getStatus() + "/" + r.getReason();
            if (samples.isEmpty() || !samples.get(samples.size() - 1).startsWith(s + " ")) {
                samples.add(s + " (" + r.getMessage() + ")");
            }
            Thread.sleep(1000);
        }
        System.out.println("[gwf] bad-hostkey Reachable over 40 s: " + samples);

        // Both tasks wait without a job. The campaign scheduler creates no attempt while the cluster is Reachable=False
        // (the task says ClusterUnreachable); an attempt created before the first connection failed waits in Pending
        // (ClusterUnavailable) and is never submitted.
        List<TaskAttempt> attempts = attempts(BAD_KEY);
        assertThat(attempts).allSatisfy(a -> {
            assertThat(a.getStatus().getPhase()).isEqualTo(AttemptPhase.Pending);
            assertThat(a.getStatus().getReason()).isEqualTo("ClusterUnavailable");
            assertThat(a.getStatus().getJobId()).isNull();
        });
        List<Task> badTasks = ns.list("htask", "hpcbridge.io/campaign=" + BAD_KEY, Task.class);
        assertThat(badTasks).hasSize(2).allSatisfy(t -> {
            boolean hasAttempt = attempts.stream().anyMatch(a -> a.getSpec().getTask().equals(t.getMetadata().getName()));
            if (!hasAttempt) {
                assertThat(t.getStatus().getPhase()).as(t.getMetadata().getName()).isEqualTo(TaskPhase.Pending);
                assertThat(t.getStatus().getReason()).as(t.getMetadata().getName() + ": " + t.getStatus().getMessage())
                        .isEqualTo("ClusterUnreachable");
            }
        });
        System.out.printf("[gwf] bad-hostkey: %d attempt(s) waiting, tasks %s%n", attempts.size(), badTasks.stream()
                .map(t -> t.getSpec().getTaskName() + "=" + t.getStatus().getPhase() + "/" + t.getStatus().getReason()).toList());
        Campaign campaign = ns.get("campaign", BAD_KEY, Campaign.class);
        Optional<Condition> mirrored = conditionOf(campaign.getStatus().getConditions(), "ClusterReachable");
        assertThat(mirrored).as("campaign conditions %s", campaign.getStatus().getConditions()).isPresent();
        assertThat(mirrored.get().getStatus()).isEqualTo("False");

        // Nothing of this campaign ever reached the login node.
        String jobPrefix = "hpcb." + ns.name() + "." + BAD_KEY + "-";
        assertThat(login.commandLog()).noneMatch(l -> l.contains(jobPrefix));
        assertThat(login.exec("/usr/bin/sacct -X -n -P -S now-1hour -o JobName").stdout()).doesNotContain(jobPrefix);

        // No private key material in any line of the operator's log: neither PEM armour nor fragments of the key's
        // body, nor of the Secret's base64 encoding of the whole file.
        String log = operator.logText();
        assertThat(log).isNotEmpty().doesNotContain("PRIVATE KEY");
        List<String> fragments = keyFragments(Files.readString(Path.of(env.require("HPCB_SSH_KEY"))));
        assertThat(fragments).hasSizeGreaterThanOrEqualTo(6);
        for (String f : fragments) {
            assertThat(log).as("operator log contains key fragment %s", f).doesNotContain(f);
        }

        // Checked last, after the facts above: the reason must not flap to a generic failure.
        assertThat(samples).as("Reachable of bad-hostkey sampled each second for 40 s").allSatisfy(s -> assertThat(s).startsWith("False/HostKeyMismatch "));
    }

    /**
     * Acceptance 7: deleting a Campaign with live jobs cancels them on the cluster (scancel with at most 100 ids),
     * and only then its Tasks and TaskAttempts are gone.
     */
    @Test
    @Order(4)
    void deletingACampaignCancelsItsJobsInBatchesAndThenItsObjectsAreGone() throws Exception {
        Map<String, String> tasks = new LinkedHashMap<>();
        IntStream.rangeClosed(1, DOOMED_TASKS).forEach(i -> tasks.put(String.format("t%03d", i), "sleep 600"));
        Instant applied = Instant.now();
        ns.kubectl().apply(campaign(DOOMED, "local-slurm", "20m", tasks)).orFail();

        List<TaskAttempt> live = await("all " + DOOMED_TASKS + " doomed attempts submitted, some running", Duration.ofSeconds(300), () -> {
            List<TaskAttempt> all = attempts(DOOMED);
            boolean submitted = all.size() == DOOMED_TASKS && all.stream().allMatch(a -> a.getStatus() != null && a.getStatus().getJobId() != null
                    && (a.getStatus().getPhase() == AttemptPhase.Queued || a.getStatus().getPhase() == AttemptPhase.Running));
            long runningNow = all.stream().filter(a -> a.getStatus() != null && a.getStatus().getPhase() == AttemptPhase.Running).count();
            return submitted && runningNow >= 3 ? Optional.of(all) : Optional.empty();
        });
        Map<String, String> jobByAttempt = live.stream().collect(Collectors.toMap(a -> a.getMetadata().getName(), a -> a.getStatus().getJobId()));
        Set<String> jobIds = new HashSet<>(jobByAttempt.values());
        assertThat(jobIds).hasSize(DOOMED_TASKS);
        String squeue = login.exec("/usr/bin/squeue --me -h -o '%i|%T'").stdout();
        long runningOnCluster = squeue.lines().map(l -> l.split("\\|")).filter(p -> jobIds.contains(p[0]) && p[1].equals("RUNNING")).count();
        System.out.printf("[gwf] %d doomed jobs submitted %d s after apply, %d running on the cluster%n", jobIds.size(),
                Duration.between(applied, Instant.now()).toSeconds(), runningOnCluster);
        assertThat(runningOnCluster).as("running jobs of the campaign before deletion").isGreaterThanOrEqualTo(3);

        long deletedAt = System.currentTimeMillis();
        ns.kubectl().run("delete", "campaign", DOOMED, "--wait=false").orFail();

        // Finalizers hold the attempts until a poll shows their jobs ended; then Tasks and TaskAttempts are gone.
        await("no Tasks or TaskAttempts of " + DOOMED + " left", Duration.ofSeconds(240), () -> {
            String t = ns.kubectl().run("get", "htask,hatt", "-l", "hpcbridge.io/campaign=" + DOOMED, "-o", "name").orFail().stdout().strip();
            return t.isEmpty() ? Optional.of(true) : Optional.empty();
        });
        long goneAt = System.currentTimeMillis();
        System.out.printf("[gwf] doomed objects gone %d s after the delete%n", (goneAt - deletedAt) / 1000);

        // Every job of the campaign is CANCELLED in accounting (allow accounting a moment to catch up).
        Map<String, String> states = await("sacct shows all doomed jobs ended", Duration.ofSeconds(60), () -> {
            Map<String, String> m = sacctStates(jobIds);
            return m.size() == jobIds.size() && m.values().stream().noneMatch(s -> s.equals("RUNNING") || s.equals("PENDING"))
                    ? Optional.of(m) : Optional.empty();
        });
        Map<String, Long> byState = states.values().stream().collect(Collectors.groupingBy(s -> s, Collectors.counting()));
        System.out.println("[gwf] doomed jobs in sacct: " + byState);
        assertThat(states.values()).as("sacct states of the deleted campaign's jobs: %s", byState).allSatisfy(s -> assertThat(s).startsWith("CANCELLED"));
        assertThat(login.exec("/usr/bin/squeue --me -h -o '%i'").stdout().lines().filter(jobIds::contains).toList())
                .as("jobs of the deleted campaign still in the queue").isEmpty();

        // The operator's cancels, as the login node saw them: batched, at most 100 ids per scancel, covering every job.
        List<List<String>> scancels = login.commandLog().stream().map(l -> l.split(" "))
                .filter(p -> p.length >= 2 && p[1].equals("scancel") && Long.parseLong(p[0]) >= deletedAt)
                .map(p -> Arrays.asList(p).subList(2, p.length)).toList();
        System.out.println("[gwf] scancel calls after the delete, ids per call: " + scancels.stream().map(List::size).toList());
        assertThat(scancels).as("scancel calls after the delete").isNotEmpty();
        assertThat(scancels).allSatisfy(ids -> assertThat(ids).hasSizeLessThanOrEqualTo(100));
        Set<String> cancelledIds = scancels.stream().flatMap(List::stream).collect(Collectors.toSet());
        assertThat(cancelledIds).as("job ids the operator cancelled").containsAll(jobIds);
        assertThat(scancels.size()).as("scancel calls for %d jobs: batched, not one per job", DOOMED_TASKS).isLessThanOrEqualTo(DOOMED_TASKS / 10);
    }

    /** Acceptance 6: a job that exceeds its time limit ends Failed with reason Timeout; sacct says TIMEOUT. */
    @Test
    @Order(5)
    void jobOverItsTimeLimitEndsFailedWithReasonTimeout() {
        TaskAttempt ended = await("overrun attempt ends", Duration.ofSeconds(300), () -> attempts(TIMEOUT).stream()
                .filter(a -> a.getStatus() != null && a.getStatus().getPhase() != null && a.getStatus().getPhase().isTerminal()).findFirst());
        System.out.printf("[gwf] time limit: attempt %s %s/%s: %s%n", ended.getMetadata().getName(), ended.getStatus().getPhase(),
                ended.getStatus().getReason(), ended.getStatus().getMessage());
        assertThat(ended.getStatus().getPhase()).isEqualTo(AttemptPhase.Failed);
        assertThat(ended.getStatus().getReason()).isEqualTo("Timeout");
        assertThat(login.sacctStateAndExit(ended.getStatus().getJobId())).startsWith("TIMEOUT|");
        Task task = await("task forever ends", Duration.ofSeconds(30), () -> Optional.of(ns.get("htask", TIMEOUT + "-forever", Task.class))
                .filter(t -> t.getStatus() != null && t.getStatus().getPhase() != null && t.getStatus().getPhase().isTerminal()));
        assertThat(task.getStatus().getPhase()).isEqualTo(TaskPhase.Failed);
        assertThat(task.getStatus().getReason() + " " + task.getStatus().getMessage()).contains("Timeout");
    }

    // ------------------------------------------------------------------------------------------------ helpers

    static String campaign(String name, String cluster, String time, Map<String, String> scripts) {
        ObjectNode c = JSON.createObjectNode();
        c.put("apiVersion", "hpcbridge.io/v1alpha1");
        c.put("kind", "Campaign");
        c.putObject("metadata").put("name", name);
        ObjectNode spec = c.putObject("spec");
        spec.putObject("clusterRef").put("name", cluster);
        spec.put("parallelism", Math.max(1, scripts.size()));
        ObjectNode defaults = spec.putObject("defaults");
        defaults.putObject("resources").put("cpus", 1).put("memory", "20Mi").put("time", time);
        defaults.putObject("retryStrategy").put("limit", 0);
        ArrayNode tasks = spec.putArray("tasks");
        scripts.forEach((task, body) -> tasks.addObject().put("name", task).put("script", "#!/bin/bash\n" + body + "\n"));
        return c.toString();
    }

    private static String cluster(String name, String secret) {
        ObjectNode c = JSON.createObjectNode();
        c.put("apiVersion", "hpcbridge.io/v1alpha1");
        c.put("kind", "HpcCluster");
        c.putObject("metadata").put("name", name);
        ObjectNode spec = c.putObject("spec");
        spec.put("scheduler", "slurm");
        spec.putArray("loginNodes").addObject().put("host", env.require("HPCB_SSH_HOST")).put("port", Integer.parseInt(env.require("HPCB_SSH_PORT")));
        spec.put("user", env.require("HPCB_SSH_USER"));
        spec.putObject("credentialsSecretRef").put("name", secret);
        spec.put("workRoot", env.require("HPCB_WORK_ROOT"));
        spec.put("pollInterval", "5s");
        return c.toString();
    }

    private static List<TaskAttempt> attempts(String campaign) {
        return ns.list("hatt", "hpcbridge.io/campaign=" + campaign, TaskAttempt.class);
    }

    static Optional<Condition> conditionOf(List<Condition> conditions, String type) {
        return conditions == null ? Optional.empty() : conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    private static int indexOfPhase(List<JsonNode> statuses, String phase) {
        for (int i = 0; i < statuses.size(); i++) {
            if (phase.equals(statuses.get(i).path("phase").asText())) {
                return i;
            }
        }
        return -1;
    }

    /** The watch events of one object, in order, from the background {@code kubectl get -w} of the namespace. */
    private static List<JsonNode> watchEvents(String name) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        try (MappingIterator<JsonNode> it = JSON.readerFor(JsonNode.class).readValues(watchFile.toFile())) {
            while (it.hasNextValue()) {
                JsonNode e = it.nextValue();
                if (name.equals(e.path("object").path("metadata").path("name").asText())) {
                    out.add(e);
                }
            }
        }
        return out;
    }

    /** sacct's allocation State per job id, for many jobs in one call (the real sacct, not the shim). */
    private static Map<String, String> sacctStates(Set<String> jobIds) {
        String out = login.exec("/usr/bin/sacct -X -n -P -o JobIDRaw,State -j " + String.join(",", jobIds)).stdout();
        Map<String, String> m = new LinkedHashMap<>();
        out.lines().map(l -> l.split("\\|")).filter(p -> p.length >= 2 && jobIds.contains(p[0])).forEach(p -> m.put(p[0], p[1]));
        return m;
    }

    /**
     * 40-character fragments of the secret part of an OpenSSH private key: from the end of its base64 body (the start
     * is a header common to all keys), and from the base64 of the whole file as a Secret stores it.
     */
    static List<String> keyFragments(String pem) {
        String body = pem.lines().filter(l -> !l.startsWith("-----")).collect(Collectors.joining());
        List<String> fragments = new ArrayList<>();
        for (int end = body.length() - 4; end - 40 >= body.length() / 2; end -= 40) {
            fragments.add(body.substring(end - 40, end));
        }
        String whole = Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.UTF_8));
        for (int start = whole.length() / 2; start + 40 <= whole.length() - 8 && fragments.size() < 8; start += 40) {
            fragments.add(whole.substring(start, start + 40));
        }
        return fragments;
    }

    static <T> T await(String what, Duration timeout, Supplier<Optional<T>> probe) {
        Instant end = Instant.now().plus(timeout);
        while (true) {
            Optional<T> v = probe.get();
            if (v.isPresent()) {
                return v.get();
            }
            if (Instant.now().isAfter(end)) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for: " + what);
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }

    private static void run(String... argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", argv) + " failed: " + out);
        }
    }
}
