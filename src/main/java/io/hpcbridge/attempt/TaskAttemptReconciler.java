package io.hpcbridge.attempt;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.hpcbridge.api.v1alpha1.AttemptPhase;
import io.hpcbridge.api.v1alpha1.TaskAttempt;
import io.hpcbridge.api.v1alpha1.TaskAttemptStatus;
import io.hpcbridge.cluster.ClusterSession;
import io.hpcbridge.cluster.ClusterSessions;
import io.hpcbridge.cluster.SignalEventSource;
import io.hpcbridge.gateway.RemoteException;
import io.hpcbridge.gateway.TrackedJob;
import io.hpcbridge.status.StatusComparison;
import io.hpcbridge.status.StatusPatch;
import io.hpcbridge.status.Times;
import io.hpcbridge.util.FaultInjection;
import io.hpcbridge.metrics.OperatorMetrics;
import io.hpcbridge.api.v1alpha1.Constants;
import io.hpcbridge.cluster.JobView;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.hpcbridge.status.Events;
import io.hpcbridge.status.ReconcileErrors;
import io.hpcbridge.gateway.JobObservation;
import io.hpcbridge.util.LogContext;
import java.util.ArrayList;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;

/**
 * Submits each attempt exactly once and follows its job to a confirmed end. Decisions live in
 * {@link AttemptStateMachine}; this class fetches, calls and writes.
 */
// Not generation-aware: a cancel request (hpcbridge.io/cancel-requested) is an annotation.
@ControllerConfiguration(name = "taskattempt", finalizerName = Constants.ATTEMPT_FINALIZER, generationAwareEventProcessing = false)
public class TaskAttemptReconciler implements Reconciler<TaskAttempt>, Cleaner<TaskAttempt> {
    private static final Logger LOG = Logger.getLogger(TaskAttemptReconciler.class);
    /** How much of a failed job's stderr is copied into its status. */
    static final int STDERR_TAIL_BYTES = 4096;

    @Inject
    ClusterSessions sessions;

    @Inject
    OperatorMetrics metrics;

    @ConfigProperty(name = "hpcbridge.attempt.lost-grace", defaultValue = "10m")
    Duration lostGrace;

    @ConfigProperty(name = "hpcbridge.attempt.cancel-timeout", defaultValue = "5m")
    Duration cancelTimeout;

    Clock clock = Clock.systemUTC();

    @Override
    public List<EventSource<?, TaskAttempt>> prepareEventSources(EventSourceContext<TaskAttempt> context) {
        SignalEventSource<TaskAttempt> jobChanges = new SignalEventSource<>("job-changes");
        sessions.onAttemptChanged(jobChanges::signal);
        return List.of(jobChanges);
    }

    /** A failed reconcile is shown on the object as a Warning Event, not only in the log; JOSDK then retries. */
    @Override
    public ErrorStatusUpdateControl<TaskAttempt> updateErrorStatus(TaskAttempt resource, Context<TaskAttempt> context, Exception e) {
        ReconcileErrors.report(context.getClient(), resource, context.getRetryInfo(), e);
        return ErrorStatusUpdateControl.defaultErrorProcessing();
    }

    @Override
    public UpdateControl<TaskAttempt> reconcile(TaskAttempt attempt, Context<TaskAttempt> context) {
        try (LogContext log = LogContext.of(attempt)) {
            return reconcileInContext(attempt, context);
        }
    }

    private UpdateControl<TaskAttempt> reconcileInContext(TaskAttempt attempt, Context<TaskAttempt> context) {
        TaskAttemptStatus status = attempt.getStatus() == null ? new TaskAttemptStatus() : attempt.getStatus();
        AttemptPhase phase = status.getPhase() == null ? AttemptPhase.Pending : status.getPhase();
        String ns = attempt.getMetadata().getNamespace();
        String clusterName = attempt.getSpec().getClusterRef().getName();
        Optional<ClusterSession> session = sessions.find(ns, clusterName);

        if (phase.isTerminal()) {
            if (status.getJobId() != null) {
                session.ifPresent(s -> s.unfollow(status.getJobId()));
            }
            return UpdateControl.noUpdate();
        }
        String cancelWhy = cancelRequest(attempt);
        if (cancelWhy != null && phase == AttemptPhase.Pending) {
            return endCancelled(attempt, status, "cancelled by hpc-bridge before submission: " + cancelWhy);
        }
        if (session.isEmpty() || !Boolean.TRUE.equals(session.get().health().reachable())) {
            return waitForCluster(attempt, status, phase, clusterName, session);
        }
        ClusterSession s = session.get();
        if (cancelWhy != null && status.getJobId() == null) {
            // Submitting without a job id: a job may exist; it is found by identity and cancelled, never submitted.
            Optional<Boolean> gone = cancelByIdentity(attempt, s);
            if (gone.orElse(false)) {
                return endCancelled(attempt, status, "cancelled by hpc-bridge: " + cancelWhy + "; no live job carries this attempt's identity");
            }
            return UpdateControl.<TaskAttempt>noUpdate().rescheduleAfter(s.pollInterval());
        }
        if (phase == AttemptPhase.Pending || phase == AttemptPhase.Submitting) {
            return submit(attempt, context, s, phase == AttemptPhase.Submitting);
        }
        if (cancelWhy != null) {
            // Goes out batched with the next poll; asked again each poll interval until a poll sees the job end.
            s.requestCancel(status.getJobId());
            return follow(attempt, status, s, context).rescheduleAfter(s.pollInterval());
        }
        return follow(attempt, status, s, context);
    }

    /** The operator's own request to cancel this attempt's job (e.g. the campaign was stopped), or null. */
    static String cancelRequest(TaskAttempt attempt) {
        var annotations = attempt.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(Constants.ANNOTATION_CANCEL);
    }

    private UpdateControl<TaskAttempt> endCancelled(TaskAttempt attempt, TaskAttemptStatus status, String message) {
        Instant now = clock.instant();
        long generation = attempt.getMetadata().getGeneration();
        TaskAttemptStatus next = StatusComparison.copy(status);
        next.setPhase(AttemptPhase.Cancelled);
        next.setReason(AttemptReasons.CANCELLED);
        next.setMessage(message);
        next.setFinishedAt(Times.format(now));
        next.setObservedGeneration(generation);
        return write(attempt, status, AttemptStateMachine.withConditions(next, generation, now));
    }

    /**
     * A deleted attempt (directly, or through its Task or Campaign) keeps its finalizer until a poll confirms that its
     * job has ended; the cancel itself goes out batched with the cluster's next poll. After {@code cancelTimeout} the
     * finalizer is removed anyway, with a Warning event naming the job, so a dead cluster cannot block deletion forever.
     */
    @Override
    public DeleteControl cleanup(TaskAttempt attempt, Context<TaskAttempt> context) {
        try (LogContext log = LogContext.of(attempt)) {
            return cleanupInContext(attempt, context);
        }
    }

    private DeleteControl cleanupInContext(TaskAttempt attempt, Context<TaskAttempt> context) {
        DeleteControl control = cleanupRemote(attempt, context);
        if (control.isRemoveFinalizer()) {
            metrics.attemptPhase(attempt.getMetadata().getNamespace(), attempt.getMetadata().getName(), null);
        }
        return control;
    }

    private DeleteControl cleanupRemote(TaskAttempt attempt, Context<TaskAttempt> context) {
        TaskAttemptStatus status = attempt.getStatus() == null ? new TaskAttemptStatus() : attempt.getStatus();
        AttemptPhase phase = status.getPhase() == null ? AttemptPhase.Pending : status.getPhase();
        Optional<ClusterSession> session = sessions.find(attempt.getMetadata().getNamespace(), attempt.getSpec().getClusterRef().getName());
        String jobId = status.getJobId();
        if (phase.isTerminal() || phase == AttemptPhase.Pending) {
            if (jobId != null) {
                session.ifPresent(s -> s.unfollow(jobId));
            }
            return DeleteControl.defaultDelete();
        }
        Instant deletedAt = Times.parse(attempt.getMetadata().getDeletionTimestamp());
        if (deletedAt != null && deletedAt.plus(cancelTimeout).isBefore(clock.instant())) {
            String what = jobId == null ? "a job submitted for it may" : "job " + jobId + " may";
            Events.emit(context.getClient(), attempt, Events.WARNING, "CancelNotConfirmed", "deleted without a confirmed cancel after "
                    + cancelTimeout.toMinutes() + "m: " + what + " still be live on " + attempt.getSpec().getClusterRef().getName());
            if (jobId != null) {
                session.ifPresent(s -> s.unfollow(jobId));
            }
            return DeleteControl.defaultDelete();
        }
        if (session.isEmpty() || !Boolean.TRUE.equals(session.get().health().reachable())) {
            return DeleteControl.<TaskAttempt>noFinalizerRemoval().rescheduleAfter(Duration.ofSeconds(15));
        }
        ClusterSession s = session.get();
        if (jobId == null) {
            return cancelUnrecordedJobs(attempt, s);
        }
        JobView view = s.view(jobId);
        boolean ended = view.kind() == JobView.Kind.MISSING
                || (view.kind() == JobView.Kind.SEEN && view.observation().ended());
        if (ended) {
            s.unfollow(jobId);
            LOG.infof("attempt %s/%s deleted; job %s has ended", attempt.getMetadata().getNamespace(), attempt.getMetadata().getName(), jobId);
            return DeleteControl.defaultDelete();
        }
        s.follow(trackedJob(attempt), ResourceID.fromResource(attempt), JobFiles.of(attempt).exitCodeFile());
        s.requestCancel(jobId);
        return DeleteControl.<TaskAttempt>noFinalizerRemoval().rescheduleAfter(s.pollInterval());
    }

    /** Deleted while Submitting: a job may exist without its id on record; find it by identity and cancel it. */
    private DeleteControl cancelUnrecordedJobs(TaskAttempt attempt, ClusterSession s) {
        return cancelByIdentity(attempt, s).orElse(false) ? DeleteControl.defaultDelete()
                : DeleteControl.<TaskAttempt>noFinalizerRemoval().rescheduleAfter(s.pollInterval());
    }

    /**
     * Cancels every live job carrying the attempt's identity. True when none is live (nothing to wait for), false when
     * cancels went out, empty when the lookup failed (which concludes nothing).
     */
    private Optional<Boolean> cancelByIdentity(TaskAttempt attempt, ClusterSession s) {
        Instant since = Times.parse(attempt.getMetadata().getCreationTimestamp());
        try {
            List<String> live = s.findByIdentity(AttemptSubmitter.identity(attempt), since == null ? clock.instant() : since)
                    .stream().filter(j -> !j.ended()).map(JobObservation::jobId).toList();
            if (live.isEmpty()) {
                return Optional.of(true);
            }
            s.cancelNow(live);
            return Optional.of(false);
        } catch (RemoteException e) {
            LOG.warnf("cancel lookup for %s failed: %s", attempt.getMetadata().getName(), e.getMessage());
            return Optional.empty();
        }
    }

    /** Nothing is submitted and no phase changes while the cluster cannot be asked. */
    private UpdateControl<TaskAttempt> waitForCluster(TaskAttempt attempt, TaskAttemptStatus status, AttemptPhase phase,
            String clusterName, Optional<ClusterSession> session) {
        if (phase != AttemptPhase.Pending) {
            return UpdateControl.<TaskAttempt>noUpdate().rescheduleAfter(Duration.ofSeconds(15));
        }
        String why = session.isEmpty() ? "HpcCluster " + clusterName + " has no session (missing, paused or without credentials)"
                : "HpcCluster " + clusterName + " is not reachable yet";
        TaskAttemptStatus next = StatusComparison.copy(status);
        next.setPhase(AttemptPhase.Pending);
        next.setReason(AttemptReasons.CLUSTER_UNAVAILABLE);
        next.setMessage(why);
        return write(attempt, status, next).rescheduleAfter(Duration.ofSeconds(15));
    }

    private UpdateControl<TaskAttempt> submit(TaskAttempt attempt, Context<TaskAttempt> context, ClusterSession session,
            boolean resuming) {
        Instant now = clock.instant();
        long generation = attempt.getMetadata().getGeneration();
        TaskAttempt current = attempt;
        if (!resuming) {
            // Persist the intent before any remote call: after a crash, Submitting means "look before you submit".
            JobFiles files = JobFiles.of(attempt);
            metrics.statusWrite("TaskAttempt");
            current = PrimaryUpdateAndCacheUtils.updateStatusAndCacheResource(attempt, context, a -> {
                TaskAttemptStatus st = a.getStatus() == null ? new TaskAttemptStatus() : a.getStatus();
                st.setPhase(AttemptPhase.Submitting);
                st.setSubmissionToken(a.getMetadata().getUid());
                st.setCluster(a.getSpec().getClusterRef().getName());
                st.setStdoutPath(files.stdout());
                st.setStderrPath(files.stderr());
                st.setReason(AttemptReasons.SUBMITTED);
                st.setMessage("submitting to " + st.getCluster());
                st.setObservedGeneration(generation);
                a.setStatus(AttemptStateMachine.withConditions(st, generation, now));
                return a;
            });
        }
        if (!resuming) {
            FaultInjection.point(FaultInjection.AFTER_INTENT);
        }
        Instant since = Times.parse(attempt.getMetadata().getCreationTimestamp());
        SubmitResult result;
        try {
            result = AttemptSubmitter.submit(session, current, resuming, since == null ? now : since);
        } catch (RemoteException e) {
            // Outcome unknown: the next try looks the job up before it would submit again.
            metrics.submission(clusterKey(attempt), "unconfirmed");
            LOG.warnf("submission of %s/%s did not complete: %s", attempt.getMetadata().getNamespace(),
                    attempt.getMetadata().getName(), e.getMessage());
            TaskAttemptStatus next = StatusComparison.copy(current.getStatus());
            next.setReason(AttemptReasons.SUBMIT_DEFERRED);
            next.setMessage("submission not confirmed (" + e.getMessage() + "); the job is looked up before any new submission");
            return write(current, current.getStatus(), next).rescheduleAfter(jitter(Duration.ofSeconds(20)));
        }
        TaskAttemptStatus next = StatusComparison.copy(current.getStatus());
        next.setLoginNode(session.endpoint());
        if (result instanceof SubmitResult.Deferred d) {
            metrics.submission(clusterKey(attempt), "deferred");
            next.setReason(AttemptReasons.SUBMIT_DEFERRED);
            next.setMessage("scheduler asked to try later: " + d.message());
            return write(current, current.getStatus(), next).rescheduleAfter(jitter(Duration.ofSeconds(15)));
        }
        if (result instanceof SubmitResult.Rejected r) {
            metrics.submission(clusterKey(attempt), "rejected");
            next.setPhase(AttemptPhase.Failed);
            next.setReason(r.reason());
            next.setMessage(r.message());
            next.setFinishedAt(Times.format(now));
            return write(current, current.getStatus(), AttemptStateMachine.withConditions(next, generation, now));
        }
        if (result instanceof SubmitResult.Adopted a) {
            adopt(next, a.jobs(), "submitted before a restart", now);
            Events.emit(context.getClient(), current, Events.NORMAL, AttemptReasons.ADOPTED, next.getMessage());
        } else {
            String jobId = ((SubmitResult.Submitted) result).jobId();
            next.setJobId(jobId);
            next.setReason(AttemptReasons.SUBMITTED);
            next.setMessage("submitted as job " + jobId);
            next.setSubmittedAt(Times.format(now));
        }
        if (result instanceof SubmitResult.Submitted) {
            FaultInjection.point(FaultInjection.AFTER_SUBMIT);
        }
        next.setPhase(AttemptPhase.Queued);
        AttemptStateMachine.withConditions(next, generation, now);
        // The job id is stored before anything depends on it, and cached so the next reconcile cannot miss it.
        metrics.statusWrite("TaskAttempt");
        metrics.submission(clusterKey(attempt), result instanceof SubmitResult.Adopted ? "adopted" : "submitted");
        metrics.attemptPhase(attempt.getMetadata().getNamespace(), attempt.getMetadata().getName(), AttemptPhase.Queued);
        TaskAttempt stored = PrimaryUpdateAndCacheUtils.updateStatusAndCacheResource(current, context, x -> {
            x.setStatus(next);
            return x;
        });
        LOG.infof("attempt %s/%s: %s", stored.getMetadata().getNamespace(), stored.getMetadata().getName(), next.getMessage());
        FaultInjection.point(FaultInjection.AFTER_PERSIST);
        session.follow(trackedJob(stored), ResourceID.fromResource(stored), JobFiles.of(stored).exitCodeFile());
        return UpdateControl.noUpdate();
    }

    /** Follows the newest job carrying this attempt's identity; earlier ones are kept as history, not as failures. */
    private static void adopt(TaskAttemptStatus next, List<JobObservation> jobs, String why, Instant now) {
        JobObservation newest = jobs.get(jobs.size() - 1);
        List<String> history = new ArrayList<>(next.getPreviousJobIds() == null ? List.of() : next.getPreviousJobIds());
        if (next.getJobId() != null && !next.getJobId().equals(newest.jobId()) && !history.contains(next.getJobId())) {
            history.add(next.getJobId());
        }
        jobs.stream().map(JobObservation::jobId)
                .filter(id -> !id.equals(newest.jobId()) && !history.contains(id))
                .forEach(history::add);
        next.setPreviousJobIds(history.isEmpty() ? null : history);
        next.setJobId(newest.jobId());
        next.setPhase(AttemptPhase.Queued);
        next.setSettlingSince(null);
        next.setReason(AttemptReasons.ADOPTED);
        next.setMessage("adopted job " + newest.jobId() + " " + why
                + (history.isEmpty() ? "" : "; earlier job(s) with this attempt's identity: " + String.join(", ", history)));
        next.setSubmittedAt(Times.format(newest.submitTime() != null ? newest.submitTime() : now));
    }

    private UpdateControl<TaskAttempt> follow(TaskAttempt attempt, TaskAttemptStatus status, ClusterSession session,
            Context<TaskAttempt> context) {
        Instant now = clock.instant();
        session.follow(trackedJob(attempt), ResourceID.fromResource(attempt), JobFiles.of(attempt).exitCodeFile());
        JobView view = session.view(status.getJobId());
        TaskAttemptStatus next = AttemptStateMachine.observe(status, view, lostGrace, session.heldTimeout(),
                attempt.getMetadata().getGeneration(), now);
        if (next.getPhase() == AttemptPhase.Lost) {
            next = lookForSuccessor(attempt, status, next, session, now);
        }
        String cancelWhy = cancelRequest(attempt);
        if (next.getPhase() == AttemptPhase.Cancelled && cancelWhy != null) {
            next.setMessage("job " + next.getJobId() + " was cancelled by hpc-bridge: " + cancelWhy);
        }
        if (next.getPhase().isTerminal()) {
            if (view.kind() == JobView.Kind.SEEN && !view.observation().ended()) {
                // Ended by a hold (a broken limit, or held past heldTimeout): the job itself still sits in the queue.
                session.removeAbandoned(status.getJobId());
            } else {
                session.unfollow(status.getJobId());
            }
            if (next.getPhase() == AttemptPhase.Cancelled && cancelWhy != null) {
                Events.emit(context.getClient(), attempt, Events.NORMAL, "AttemptCancelled", next.getMessage());
            } else if (next.getPhase() != AttemptPhase.Succeeded) {
                String summary = next.getReason() + ": " + firstLine(next.getMessage());
                appendStderrTail(session, next);
                Events.emit(context.getClient(), attempt, Events.WARNING, "Attempt" + next.getPhase(), summary);
            }
        } else if (!next.getJobId().equals(status.getJobId())) {
            session.unfollow(status.getJobId());
            session.follow(new TrackedJob(next.getJobId(), AttemptSubmitter.identity(attempt), Times.parse(next.getSubmittedAt())),
                    ResourceID.fromResource(attempt), JobFiles.of(attempt).exitCodeFile());
            Events.emit(context.getClient(), attempt, Events.NORMAL, AttemptReasons.ADOPTED, next.getMessage());
        }
        UpdateControl<TaskAttempt> control = write(attempt, status, next);
        // Settling needs the clock to decide Lost, and Held to decide heldTimeout; everything else is driven by poll
        // events (a hold that does not change changes no view, so no poll would wake the attempt).
        return next.getPhase() == AttemptPhase.Settling || next.getPhase() == AttemptPhase.Held
                ? control.rescheduleAfter(session.pollInterval()) : control;
    }

    /**
     * Before calling a job lost, asks the cluster once for any job carrying the attempt's identity: a job resubmitted
     * by hand or by a site tool under another id is adopted, not mistaken for a loss. A failed lookup concludes
     * nothing: the attempt stays Settling.
     */
    private TaskAttemptStatus lookForSuccessor(TaskAttempt attempt, TaskAttemptStatus before, TaskAttemptStatus lost,
            ClusterSession session, Instant now) {
        Instant since = Times.parse(attempt.getMetadata().getCreationTimestamp());
        try {
            List<JobObservation> jobs = session.findByIdentity(AttemptSubmitter.identity(attempt), since == null ? now : since);
            List<JobObservation> others = jobs.stream().filter(j -> !j.jobId().equals(before.getJobId())).toList();
            if (others.isEmpty()) {
                return lost;
            }
            TaskAttemptStatus adopted = StatusComparison.copy(before);
            adopt(adopted, others, "found under another id after job " + before.getJobId() + " vanished", now);
            return AttemptStateMachine.withConditions(adopted, attempt.getMetadata().getGeneration(), now);
        } catch (RemoteException e) {
            LOG.warnf("lookup before declaring %s lost failed: %s", attempt.getMetadata().getName(), e.getMessage());
            return before;
        }
    }

    private static String firstLine(String s) {
        int nl = s == null ? -1 : s.indexOf('\n');
        return s == null ? "" : nl < 0 ? s : s.substring(0, nl);
    }

    private static void appendStderrTail(ClusterSession session, TaskAttemptStatus next) {
        try {
            String tail = session.files().tail(next.getStderrPath(), STDERR_TAIL_BYTES);
            if (tail != null && !tail.isBlank()) {
                next.setMessage(next.getMessage() + "; stderr ends with:\n" + tail.strip());
            }
        } catch (RemoteException e) {
            next.setMessage(next.getMessage() + "; stderr could not be read: " + e.getMessage());
        }
    }

    private static String clusterKey(TaskAttempt attempt) {
        return ClusterSessions.key(attempt.getMetadata().getNamespace(), attempt.getSpec().getClusterRef().getName());
    }

    private static TrackedJob trackedJob(TaskAttempt attempt) {
        TaskAttemptStatus s = attempt.getStatus();
        return new TrackedJob(s.getJobId(), AttemptSubmitter.identity(attempt), Times.parse(s.getSubmittedAt()),
                Times.parse(s.getJobSubmitTime()), s.getRestartCount());
    }

    private UpdateControl<TaskAttempt> write(TaskAttempt attempt, TaskAttemptStatus before, TaskAttemptStatus next) {
        metrics.attemptPhase(attempt.getMetadata().getNamespace(), attempt.getMetadata().getName(), next.getPhase());
        if (StatusComparison.same(before, next)) {
            return UpdateControl.noUpdate();
        }
        metrics.statusWrite("TaskAttempt");
        if (next.getPhase() == AttemptPhase.Lost && before.getPhase() != AttemptPhase.Lost) {
            metrics.lost(clusterKey(attempt));
        }
        TaskAttempt patch = StatusPatch.of(attempt, next, TaskAttempt::new);
        return UpdateControl.patchStatus(patch);
    }

    private static Duration jitter(Duration base) {
        return base.plusMillis(ThreadLocalRandom.current().nextLong(base.toMillis() / 2 + 1));
    }
}
