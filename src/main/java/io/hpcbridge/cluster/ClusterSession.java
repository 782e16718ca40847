package io.hpcbridge.cluster;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

import io.hpcbridge.api.v1alpha1.SchedulerType;
import io.hpcbridge.gateway.BatchScheduler;
import io.hpcbridge.gateway.JobIdentity;
import io.hpcbridge.gateway.JobObservation;
import io.hpcbridge.gateway.PollResult;
import io.hpcbridge.gateway.RemoteException;
import io.hpcbridge.gateway.RemoteShell;
import io.hpcbridge.gateway.ResourceRequest;
import io.hpcbridge.gateway.SubmitOutcome;
import io.hpcbridge.gateway.SubmitRequest;
import io.hpcbridge.gateway.TrackedJob;
import io.hpcbridge.metrics.OperatorMetrics;
import io.hpcbridge.util.LogContext;
import io.hpcbridge.ssh.HostKeyException;
import io.hpcbridge.ssh.SshFailure;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/**
 * Everything the operator holds for one HpcCluster, and the only door to it: the shared shell to its login nodes, the
 * scheduler adapter, the shared filesystem, the jobs it follows and one poller that asks about all of them in one
 * batched query per interval. Reconcilers submit, look up, cancel and read files through this class and never touch
 * the shell or the adapter. Attempts whose view changed are reported to {@code onAttemptChanged}; nothing else is
 * reconciled because of a poll.
 */
public class ClusterSession implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ClusterSession.class);
    /** Failed polls in a row before the cluster is declared unreachable. */
    public static final int UNREACHABLE_AFTER = 3;
    /** spec.heldTimeout when the cluster does not set one. */
    public static final Duration DEFAULT_HELD_TIMEOUT = Duration.ofHours(4);

    /** A followed job, the attempt to wake when its view changes, and where its wrapper writes the exit code. */
    private record Follow(TrackedJob job, ResourceID attempt, String exitCodeFile) {
    }

    private final String key;
    private final BatchScheduler scheduler;
    private final RemoteShell shell;
    private final AutoCloseable shellCloser;
    private final Duration pollInterval;
    private final Clock clock;
    private final Consumer<ResourceID> onAttemptChanged;
    private final Consumer<String> onHealthChanged;
    private final OperatorMetrics metrics;
    private final Map<String, Follow> followed = new ConcurrentHashMap<>();
    private final Map<String, JobView> views = new ConcurrentHashMap<>();
    private final Set<String> cancelRequested = ConcurrentHashMap.newKeySet();
    /** When a cancel last went out for a job: a request repeated before {@link #cancelResend()} has passed is dropped. */
    private final Map<String, Instant> cancelSent = new ConcurrentHashMap<>();
    private volatile ClusterHealth health = ClusterHealth.initial();
    private ScheduledFuture<?> poller;
    private volatile boolean allowRequeue;
    private volatile Duration heldTimeout = DEFAULT_HELD_TIMEOUT;
    /** Jobs whose attempts have ended while the job still lives (e.g. held past its limit): removed, not followed. */
    private final Set<String> abandoned = ConcurrentHashMap.newKeySet();
    private final SharedFilesystem files;
    private final SchedulerType schedulerType;

    public ClusterSession(String key, SchedulerType schedulerType, BatchScheduler scheduler, RemoteShell shell, AutoCloseable shellCloser, Duration pollInterval,
            Clock clock, Consumer<ResourceID> onAttemptChanged, Consumer<String> onHealthChanged, OperatorMetrics metrics) {
        this.metrics = metrics;
        this.key = key;
        this.scheduler = scheduler;
        this.shell = shell;
        this.shellCloser = shellCloser;
        this.pollInterval = pollInterval;
        this.clock = clock;
        this.onAttemptChanged = onAttemptChanged;
        this.onHealthChanged = onHealthChanged;
        this.files = new SharedFilesystem(shell);
        this.schedulerType = schedulerType;
    }

    public synchronized void start(ScheduledExecutorService executor) {
        if (poller == null) {
            poller = executor.scheduleWithFixedDelay(this::pollSafely, 0, pollInterval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Problems of this request for this cluster's scheduler, each naming its field; empty when it can be submitted. */
    public List<String> validate(ResourceRequest request) {
        return scheduler.validate(request);
    }

    /** Submits one attempt whose files are in place; never throws (see {@link BatchScheduler#submit}). */
    public SubmitOutcome submit(SubmitRequest request) {
        List<SubmitOutcome> outcomes = scheduler.submit(shell, List.of(request));
        if (outcomes.size() != 1) {
            return new SubmitOutcome.Unconfirmed("the scheduler adapter answered " + outcomes.size() + " outcomes for one request");
        }
        return outcomes.get(0);
    }

    /** Every job carrying this identity, from queue and history; throws when either cannot answer. */
    public List<JobObservation> findByIdentity(JobIdentity identity, Instant since) throws RemoteException {
        return scheduler.findByIdentity(shell, identity, since);
    }

    /** Cancels these jobs now, not with the next poll: for jobs found by identity, whose ids are not followed. */
    public void cancelNow(Collection<String> jobIds) throws RemoteException {
        scheduler.cancel(shell, jobIds);
    }

    /** The filesystem shared by the login nodes and the jobs: work directories, exit-code files, stderr. */
    public SharedFilesystem files() {
        return files;
    }

    /** host:port of the login node in use. */
    public String endpoint() {
        return shell.endpoint();
    }

    /** How long a job held by the scheduler for an unknown reason may stay held (HpcCluster spec.heldTimeout). */
    /** The kind of scheduler behind this cluster. */
    public SchedulerType schedulerType() {
        return schedulerType;
    }

    public Duration heldTimeout() {
        return heldTimeout;
    }

    public void setHeldTimeout(Duration heldTimeout) {
        this.heldTimeout = heldTimeout;
    }

    public ClusterHealth health() {
        return health;
    }

    /** Whether jobs may be requeued by the scheduler itself (HpcCluster spec.allowRequeue). */
    public boolean allowRequeue() {
        return allowRequeue;
    }

    public void setAllowRequeue(boolean allowRequeue) {
        this.allowRequeue = allowRequeue;
    }

    public Duration pollInterval() {
        return pollInterval;
    }

    /** Follows a job from now on; idempotent. Its view starts as not yet polled unless already known. */
    public void follow(TrackedJob job, ResourceID attempt, String exitCodeFile) {
        Follow previous = followed.put(job.jobId(), new Follow(job, attempt, exitCodeFile));
        if (previous == null) {
            views.putIfAbsent(job.jobId(), JobView.notYetPolled());
        }
    }

    public void unfollow(String jobId) {
        followed.remove(jobId);
        views.remove(jobId);
        cancelRequested.remove(jobId);
        cancelSent.remove(jobId);
    }

    /**
     * Asks for the job to be cancelled with the next poll, batched with every other cancel: deleting a campaign of a
     * thousand jobs costs a few cancel commands, not a thousand. The job stays followed until a poll shows its end.
     */
    public void requestCancel(String jobId) {
        cancelRequested.add(jobId);
    }

    /**
     * The job's attempt has ended, but the job itself still lives (held past a limit, or past heldTimeout): it is removed
     * with the next poll's batched cancel and no longer followed. Asked again until a cancel goes out without error.
     */
    public void removeAbandoned(String jobId) {
        unfollow(jobId);
        abandoned.add(jobId);
    }

    public JobView view(String jobId) {
        return views.getOrDefault(jobId, JobView.notYetPolled());
    }

    public int followedJobs() {
        return followed.size();
    }

    private void pollSafely() {
        int slash = key.indexOf('/');
        try (LogContext log = LogContext.cluster(key.substring(0, Math.max(slash, 0)), key.substring(slash + 1))) {
            try {
                pollOnce();
            } catch (RuntimeException e) {
                LOG.errorf(e, "poll of cluster %s failed unexpectedly", key);
            }
        }
    }

    /** One batched poll. A failed or garbled poll changes no view: nothing is concluded from silence. */
    public void pollOnce() {
        long start = System.nanoTime();
        boolean ok = pollAndRecord();
        metrics.poll(key, ok, java.time.Duration.ofNanos(System.nanoTime() - start));
    }

    /** @return whether the poll succeeded */
    private boolean pollAndRecord() {
        List<Follow> snapshot = new ArrayList<>(followed.values());
        PollResult result;
        Map<String, Integer> exitCodes;
        String version = health.schedulerVersion();
        try {
            if (version == null) {
                version = scheduler.version(shell);
            }
            flushCancels();
            result = scheduler.poll(shell, snapshot.stream().map(Follow::job).toList());
            exitCodes = readExitCodes(snapshot, result);
        } catch (RemoteException e) {
            recordFailure(e);
            return false;
        }
        Instant now = clock.instant();
        for (Follow f : snapshot) {
            String jobId = f.job().jobId();
            JobObservation o = result.jobs().get(jobId);
            JobView after = (o != null ? JobView.seen(o, now) : JobView.missing(now))
                    .withExitFileCode(f.exitCodeFile() == null ? null : exitCodes.get(f.exitCodeFile()));
            JobView before = views.get(jobId);
            if (!followed.containsKey(jobId)) {
                continue;
            }
            if (after.kind() == JobView.Kind.MISSING) {
                Instant since = before != null && before.kind() == JobView.Kind.MISSING && before.missingSince() != null
                        ? before.missingSince() : now;
                after = (result.historyAnswered() ? JobView.missing(since, now) : JobView.missingUnconfirmed(now))
                        .withExitFileCode(after.exitFileCode());
            }
            views.put(jobId, after);
            // Only a change of meaning wakes the attempt; a refreshed time alone is kept for the Lost decision.
            if (before == null || !before.sameMeaning(after)) {
                onAttemptChanged.accept(f.attempt());
            }
        }
        ClusterHealth previous = health;
        health = new ClusterHealth(true, 0, now, null, null, version, result.liveOwnedJobs(), shell.endpoint());
        if (!Objects.equals(previous.reachable(), true) || !Objects.equals(previous.activeJobs(), result.liveOwnedJobs())
                || !Objects.equals(previous.activeLoginNode(), shell.endpoint()) || previous.schedulerVersion() == null) {
            onHealthChanged.accept(key);
        }
        return true;
    }

    /**
     * Sends the requested cancels in one command. A job whose cancel went out less than {@link #cancelResend()} ago is
     * left out: its attempt asks again every poll interval until a poll shows the end, and the scheduler needs a moment
     * to end a job, so without this every stop sent the cancel twice for the same jobs. A cancel that got lost is still
     * sent again after that time.
     */
    private void flushCancels() throws RemoteException {
        if (!abandoned.isEmpty()) {
            List<String> ids = List.copyOf(abandoned);
            scheduler.cancel(shell, ids);
            LOG.infof("cluster %s: removed %d job(s) whose attempts have ended", key, ids.size());
            ids.forEach(abandoned::remove);
        }
        if (cancelRequested.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        List<String> requested = new ArrayList<>(cancelRequested);
        List<String> ids = requested.stream()
                .filter(id -> cancelSent.getOrDefault(id, Instant.MIN).plus(cancelResend()).compareTo(now) <= 0)
                .toList();
        if (!ids.isEmpty()) {
            scheduler.cancel(shell, ids);
            LOG.infof("cluster %s: cancel requested for %d job(s)", key, ids.size());
            ids.forEach(id -> cancelSent.put(id, now));
        }
        // Only now: when the cancel failed, the requests stay for the next poll.
        requested.forEach(cancelRequested::remove);
    }

    /** How long after a cancel the same job's cancel may be sent again: three polls, at least 30 s. */
    Duration cancelResend() {
        Duration threePolls = pollInterval.multipliedBy(3);
        return threePolls.compareTo(CANCEL_RESEND_MIN) < 0 ? CANCEL_RESEND_MIN : threePolls;
    }

    private static final Duration CANCEL_RESEND_MIN = Duration.ofSeconds(30);

    /** Exit-code files of the jobs that are no longer live in the queue, in one batched command. */
    private Map<String, Integer> readExitCodes(List<Follow> snapshot, PollResult result) throws RemoteException {
        List<String> paths = snapshot.stream()
                .filter(f -> f.exitCodeFile() != null)
                .filter(f -> {
                    JobObservation o = result.jobs().get(f.job().jobId());
                    return o == null || o.ended();
                })
                .map(Follow::exitCodeFile)
                .toList();
        return paths.isEmpty() ? Map.of() : files.exitCodes(paths);
    }

    private void recordFailure(RemoteException e) {
        ClusterHealth previous = health;
        int failures = previous.consecutiveFailures() + 1;
        String reason = e instanceof SshFailure f ? f.reason() : "PollFailed";
        // A host key refusal is certain at once; anything else may be a blip until it repeats.
        Boolean reachable = failures >= UNREACHABLE_AFTER || e instanceof HostKeyException ? Boolean.FALSE : previous.reachable();
        health = new ClusterHealth(reachable, failures, previous.lastPollTime(), reason, e.getMessage(), previous.schedulerVersion(),
                previous.activeJobs(), shell.endpoint());
        LOG.warnf("poll %d of cluster %s failed: %s", failures, key, e.getMessage());
        if (!Objects.equals(previous.reachable(), health.reachable()) || !Objects.equals(previous.failureReason(), reason)) {
            onHealthChanged.accept(key);
        }
    }

    @Override
    public synchronized void close() {
        if (poller != null) {
            poller.cancel(false);
            poller = null;
        }
        try {
            shellCloser.close();
        } catch (Exception e) {
            LOG.debugf("closing shell of %s: %s", key, e.getMessage());
        }
    }
}
