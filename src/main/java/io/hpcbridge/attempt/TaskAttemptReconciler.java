package io.hpcbridge.attempt;

import java.nio.charset.StandardCharsets;
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
import io.hpcbridge.status.Times;
import io.hpcbridge.util.FaultInjection;
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
@ControllerConfiguration(name = "taskattempt")
public class TaskAttemptReconciler implements Reconciler<TaskAttempt> {
    private static final Logger LOG = Logger.getLogger(TaskAttemptReconciler.class);
    /** How much of a failed job's stderr is copied into its status. */
    static final int STDERR_TAIL_BYTES = 4096;

    @Inject
    ClusterSessions sessions;

    @ConfigProperty(name = "hpcbridge.attempt.lost-grace", defaultValue = "10m")
    Duration lostGrace;

    Clock clock = Clock.systemUTC();

    @Override
    public List<EventSource<?, TaskAttempt>> prepareEventSources(EventSourceContext<TaskAttempt> context) {
        SignalEventSource<TaskAttempt> jobChanges = new SignalEventSource<>("job-changes");
        sessions.onAttemptChanged(jobChanges::signal);
        return List.of(jobChanges);
    }

    @Override
    public UpdateControl<TaskAttempt> reconcile(TaskAttempt attempt, Context<TaskAttempt> context) {
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
        if (session.isEmpty() || !Boolean.TRUE.equals(session.get().health().reachable())) {
            return waitForCluster(attempt, status, phase, clusterName, session);
        }
        ClusterSession s = session.get();
        if (phase == AttemptPhase.Pending || phase == AttemptPhase.Submitting) {
            return submit(attempt, context, s, phase == AttemptPhase.Submitting);
        }
        return follow(attempt, status, s);
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
            result = AttemptSubmitter.submit(session.scheduler(), session.shell(), current, resuming, since == null ? now : since);
        } catch (RemoteException e) {
            // Outcome unknown: the next try looks the job up before it would submit again.
            LOG.warnf("submission of %s/%s did not complete: %s", attempt.getMetadata().getNamespace(),
                    attempt.getMetadata().getName(), e.getMessage());
            TaskAttemptStatus next = StatusComparison.copy(current.getStatus());
            next.setReason(AttemptReasons.SUBMIT_DEFERRED);
            next.setMessage("submission not confirmed (" + e.getMessage() + "); the job is looked up before any new submission");
            return write(current, current.getStatus(), next).rescheduleAfter(jitter(Duration.ofSeconds(20)));
        }
        TaskAttemptStatus next = StatusComparison.copy(current.getStatus());
        next.setLoginNode(session.shell().endpoint());
        if (result instanceof SubmitResult.Deferred d) {
            next.setReason(AttemptReasons.SUBMIT_DEFERRED);
            next.setMessage("scheduler asked to try later: " + d.message());
            return write(current, current.getStatus(), next).rescheduleAfter(jitter(Duration.ofSeconds(15)));
        }
        if (result instanceof SubmitResult.Rejected r) {
            next.setPhase(AttemptPhase.Failed);
            next.setReason(r.reason());
            next.setMessage(r.message());
            next.setFinishedAt(Times.format(now));
            return write(current, current.getStatus(), AttemptStateMachine.withConditions(next, generation, now));
        }
        if (result instanceof SubmitResult.Adopted a) {
            next.setJobId(a.job().jobId());
            next.setReason(AttemptReasons.ADOPTED);
            next.setMessage("adopted job " + a.job().jobId() + " submitted before a restart"
                    + (a.candidates() > 1 ? " (newest of " + a.candidates() + " jobs carrying this attempt's identity)" : ""));
            next.setSubmittedAt(Times.format(a.job().submitTime() != null ? a.job().submitTime() : now));
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
        TaskAttempt stored = PrimaryUpdateAndCacheUtils.updateStatusAndCacheResource(current, context, x -> {
            x.setStatus(next);
            return x;
        });
        LOG.infof("attempt %s/%s: %s", stored.getMetadata().getNamespace(), stored.getMetadata().getName(), next.getMessage());
        FaultInjection.point(FaultInjection.AFTER_PERSIST);
        session.follow(trackedJob(stored), ResourceID.fromResource(stored));
        return UpdateControl.noUpdate();
    }

    private UpdateControl<TaskAttempt> follow(TaskAttempt attempt, TaskAttemptStatus status, ClusterSession session) {
        Instant now = clock.instant();
        session.follow(trackedJob(attempt), ResourceID.fromResource(attempt));
        TaskAttemptStatus next = AttemptStateMachine.observe(status, session.view(status.getJobId()), lostGrace,
                attempt.getMetadata().getGeneration(), now);
        if (next.getPhase().isTerminal()) {
            session.unfollow(status.getJobId());
            if (next.getPhase() != AttemptPhase.Succeeded) {
                appendStderrTail(session, next);
            }
        }
        UpdateControl<TaskAttempt> control = write(attempt, status, next);
        // Settling needs the clock to decide Lost; everything else is driven by poll events.
        return next.getPhase() == AttemptPhase.Settling ? control.rescheduleAfter(session.pollInterval()) : control;
    }

    private static void appendStderrTail(ClusterSession session, TaskAttemptStatus next) {
        try {
            byte[] tail = session.shell().readTail(next.getStderrPath(), STDERR_TAIL_BYTES);
            if (tail != null && tail.length > 0) {
                next.setMessage(next.getMessage() + "; stderr ends with:\n" + new String(tail, StandardCharsets.UTF_8).strip());
            }
        } catch (RemoteException e) {
            next.setMessage(next.getMessage() + "; stderr could not be read: " + e.getMessage());
        }
    }

    private static TrackedJob trackedJob(TaskAttempt attempt) {
        TaskAttemptStatus s = attempt.getStatus();
        return new TrackedJob(s.getJobId(), AttemptSubmitter.identity(attempt), Times.parse(s.getSubmittedAt()));
    }

    private static UpdateControl<TaskAttempt> write(TaskAttempt attempt, TaskAttemptStatus before, TaskAttemptStatus next) {
        if (StatusComparison.same(before, next)) {
            return UpdateControl.noUpdate();
        }
        TaskAttempt patch = new TaskAttempt();
        patch.setMetadata(attempt.getMetadata());
        patch.setStatus(next);
        return UpdateControl.patchStatus(patch);
    }

    private static Duration jitter(Duration base) {
        return base.plusMillis(ThreadLocalRandom.current().nextLong(base.toMillis() / 2 + 1));
    }
}
