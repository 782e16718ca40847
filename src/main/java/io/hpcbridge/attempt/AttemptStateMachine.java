package io.hpcbridge.attempt;

import java.time.Duration;
import java.time.Instant;

import io.hpcbridge.api.v1alpha1.AttemptPhase;
import io.hpcbridge.api.v1alpha1.ConditionTypes;
import io.hpcbridge.api.v1alpha1.TaskAttemptStatus;
import io.hpcbridge.cluster.JobView;
import io.hpcbridge.api.v1alpha1.HoldStatus;
import io.hpcbridge.api.v1alpha1.JobEndCause;
import io.hpcbridge.gateway.EndCause;
import io.hpcbridge.gateway.Hold;
import io.hpcbridge.gateway.JobObservation;
import io.hpcbridge.gateway.JobState;
import io.hpcbridge.status.Conditions;
import io.hpcbridge.status.Readiness;
import io.hpcbridge.status.StatusComparison;
import io.hpcbridge.status.Times;
import io.hpcbridge.util.Durations;

/**
 * The decision ladder for a submitted job, pure: queue → accounting → (grace period) → Lost. An end is final only
 * when accounting confirms it; a job that left the queue without a record is Settling, never done.
 */
public final class AttemptStateMachine {
    private AttemptStateMachine() {
    }

    /** The status after this view of the job; returns an equal status when the view teaches nothing new. */
    public static TaskAttemptStatus observe(TaskAttemptStatus current, JobView view, Duration lostGrace, Duration heldTimeout,
            long generation, Instant now) {
        TaskAttemptStatus next = StatusComparison.copy(current);
        next.setObservedGeneration(generation);
        AttemptPhase phase = current.getPhase();
        if (phase == null || phase.isTerminal() || phase == AttemptPhase.Pending || phase == AttemptPhase.Submitting) {
            return next;
        }
        switch (view.kind()) {
            case NOT_YET_POLLED -> {
                return next;
            }
            case MISSING -> {
                if (view.exitFileCode() != null) {
                    endFromExitFile(next, current.getJobId(), view.exitFileCode(), now);
                } else if (phase != AttemptPhase.Settling) {
                    next.setPhase(AttemptPhase.Settling);
                    next.setReason(AttemptReasons.LEFT_QUEUE);
                    next.setMessage("job " + current.getJobId() + " left the queue; waiting for accounting to confirm its end");
                    next.setSettlingSince(Times.format(view.asOf()));
                } else if (missingTooLong(view, lostGrace)) {
                    next.setPhase(AttemptPhase.Lost);
                    next.setReason(AttemptReasons.SCHEDULER_LOST);
                    next.setMessage("job " + current.getJobId() + " is in neither the queue nor accounting since "
                            + Times.format(view.missingSince()) + " (grace " + lostGrace.toMinutes() + "m)");
                    next.setFinishedAt(Times.format(now));
                }
            }
            case SEEN -> applyObservation(next, view.observation(), view.exitFileCode(), heldTimeout, now);
        }
        return withConditions(next, generation, now);
    }

    /**
     * Judged over an unbroken run of polls in which queue and accounting both answered and neither knew the job, never
     * by the wall clock: while polls fail or accounting is down, no attempt drifts into Lost.
     */
    private static boolean missingTooLong(JobView view, Duration grace) {
        return view.missingSince() != null && view.asOf() != null && !view.missingSince().plus(grace).isAfter(view.asOf());
    }

    /** The wrapper's exit-code file is the script's own word on how it ended; used when accounting has no record. */
    private static void endFromExitFile(TaskAttemptStatus next, String jobId, int code, Instant now) {
        next.setExitCode(code);
        next.setSignal(null);
        next.setFinishedAt(Times.format(now));
        next.setSettlingSince(null);
        next.setPhase(code == 0 ? AttemptPhase.Succeeded : AttemptPhase.Failed);
        next.setEndCause(JobEndCause.Exited);
        next.setReason(code == 0 ? AttemptReasons.COMPLETED : AttemptReasons.NON_ZERO_EXIT);
        next.setMessage("job " + jobId + " exited with code " + code + " (from the job's exit-code file; accounting had no record)");
    }

    private static void applyObservation(TaskAttemptStatus next, JobObservation o, Integer exitFileCode, Duration heldTimeout,
            Instant now) {
        next.setSchedulerState(o.nativeState());
        recordRestarts(next, o);
        if (o.startTime() != null && next.getStartedAt() == null) {
            next.setStartedAt(Times.format(o.startTime()));
        }
        JobState state = o.state();
        if (state == JobState.UNKNOWN) {
            return; // an unknown word is never an end, and not progress either
        }
        if (state != JobState.HELD) {
            next.setHold(null);
        }
        switch (state) {
            case QUEUED, RUNNING, SUSPENDED -> {
                AttemptPhase phase = state == JobState.QUEUED ? AttemptPhase.Queued : AttemptPhase.Running;
                next.setPhase(phase);
                next.setReason(phase == AttemptPhase.Running ? AttemptReasons.RUNNING : AttemptReasons.QUEUED);
                next.setMessage(o.detail() == null || o.detail().isBlank() || "None".equals(o.detail())
                        ? "job " + o.jobId() + " is " + o.nativeState()
                        : "job " + o.jobId() + " is " + o.nativeState() + " (" + o.detail() + ")");
                if (phase == AttemptPhase.Running && next.getStartedAt() == null) {
                    next.setStartedAt(Times.format(now));
                }
                next.setSettlingSince(null);
                return;
            }
            case HELD -> {
                applyHold(next, o, heldTimeout, now);
                return;
            }
            default -> {
            }
        }
        if (!o.fromHistory()) {
            if (exitFileCode != null) {
                endFromExitFile(next, o.jobId(), exitFileCode, now);
                return;
            }
            // The queue says it ended; only history (or the exit-code file) may say how.
            if (next.getPhase() != AttemptPhase.Settling) {
                next.setPhase(AttemptPhase.Settling);
                next.setReason(AttemptReasons.LEFT_QUEUE);
                next.setMessage("job " + o.jobId() + " ended (" + o.nativeState() + "); waiting for accounting to confirm");
                next.setSettlingSince(Times.format(now));
            }
            return;
        }
        // Accounting may briefly report 0:0 for a job that ended while it was down; the script's own exit-code file
        // is the better witness of its exit status (the state still comes from accounting).
        if (exitFileCode != null && (o.endCause() == EndCause.EXITED || o.endCause() == EndCause.SIGNALLED
                || o.endCause() == EndCause.OTHER)) {
            o = o.withExit(exitFileCode);
        }
        next.setExitCode(o.exitCode());
        next.setSignal(o.signal());
        next.setFinishedAt(Times.format(o.endTime() != null ? o.endTime() : now));
        next.setSettlingSince(null);
        EndCauses.Outcome outcome = EndCauses.outcome(o);
        next.setEndCause(outcome.cause());
        next.setPhase(outcome.phase());
        next.setReason(outcome.reason());
        next.setMessage(outcome.message());
    }

    /**
     * A held job: a resource limit ends the attempt now (its job is then removed by the reconciler, and the retry
     * policy may escalate); a person's hold waits for a release; any other hold waits up to {@code heldTimeout} from
     * when the job was held, then ends the attempt Failed with reason Held.
     */
    private static void applyHold(TaskAttemptStatus next, JobObservation o, Duration heldTimeout, Instant now) {
        Hold hold = o.hold();
        Hold.Kind kind = hold == null ? Hold.Kind.OTHER : hold.kind();
        String text = hold == null ? "" : describe(hold);
        Instant since = hold != null && hold.since() != null ? hold.since()
                : next.getHold() != null && Times.parse(next.getHold().getSince()) != null ? Times.parse(next.getHold().getSince()) : now;
        next.setSettlingSince(null);
        if (kind == Hold.Kind.LIMIT) {
            next.setPhase(AttemptPhase.Failed);
            next.setEndCause(EndCauses.apiCause(hold.limit()));
            next.setReason(EndCauses.reason(hold.limit()));
            next.setMessage("job " + o.jobId() + " was held for breaking a limit: " + text + "; the job is removed");
            next.setFinishedAt(Times.format(now));
            next.setHold(holdStatus(hold, since));
            return;
        }
        if (kind == Hold.Kind.OTHER && heldTimeout != null && !since.plus(heldTimeout).isAfter(now)) {
            next.setPhase(AttemptPhase.Failed);
            next.setEndCause(JobEndCause.Other);
            next.setReason(AttemptReasons.HELD);
            next.setMessage("job " + o.jobId() + " was held since " + Times.format(since) + ", longer than heldTimeout "
                    + Durations.format(heldTimeout) + ": " + text + "; the job is removed");
            next.setFinishedAt(Times.format(now));
            next.setHold(holdStatus(hold, since));
            return;
        }
        next.setPhase(AttemptPhase.Held);
        next.setReason(AttemptReasons.HELD);
        next.setMessage("job " + o.jobId() + " is held" + (text.isEmpty() ? "" : ": " + text)
                + (kind == Hold.Kind.USER ? " (waits for a release)"
                        : heldTimeout == null ? "" : " (fails after heldTimeout " + Durations.format(heldTimeout) + ")"));
        next.setHold(holdStatus(hold, since));
    }

    private static String describe(Hold hold) {
        String code = hold.code() == null ? "" : "code " + hold.code() + (hold.subcode() == null ? "" : "/" + hold.subcode());
        String reason = hold.reason() == null ? "" : hold.reason();
        return code.isEmpty() ? reason : reason.isEmpty() ? code : reason + " (" + code + ")";
    }

    private static HoldStatus holdStatus(Hold hold, Instant since) {
        return hold == null ? new HoldStatus(null, null, null, Times.format(since))
                : new HoldStatus(hold.code(), hold.subcode(), hold.reason(), Times.format(since));
    }

    /** Restarts are the adapter's word (a requeue, a restart after eviction); the status keeps the highest seen. */
    private static void recordRestarts(TaskAttemptStatus next, JobObservation o) {
        if (o.restarts() != null && o.restarts() > 0
                && (next.getRestartCount() == null || o.restarts() > next.getRestartCount())) {
            next.setRestartCount(o.restarts());
        }
        Instant known = Times.parse(next.getJobSubmitTime());
        if (o.submitTime() != null && (known == null || o.submitTime().isAfter(known))) {
            next.setJobSubmitTime(Times.format(o.submitTime()));
        }
    }

    /** Conditions every attempt carries: Submitted once a job id exists, Completed/Succeeded/Failed at the end. */
    public static TaskAttemptStatus withConditions(TaskAttemptStatus s, long generation, Instant now) {
        AttemptPhase p = s.getPhase() == null ? AttemptPhase.Pending : s.getPhase();
        var c = s.getConditions();
        c = Conditions.set(c, ConditionTypes.SUBMITTED, s.getJobId() != null, s.getJobId() != null ? AttemptReasons.SUBMITTED : p.name(),
                s.getJobId() != null ? "job " + s.getJobId() + " on " + s.getCluster() : s.getMessage(), generation, now);
        c = Conditions.set(c, ConditionTypes.COMPLETED, p.isTerminal(), p.isTerminal() ? s.getReason() : "NotFinished",
                p.isTerminal() ? s.getMessage() : "attempt is " + p, generation, now);
        c = Conditions.set(c, ConditionTypes.SUCCEEDED, p == AttemptPhase.Succeeded, s.getReason() == null ? p.name() : s.getReason(),
                s.getMessage(), generation, now);
        c = Conditions.set(c, ConditionTypes.FAILED, p == AttemptPhase.Failed || p == AttemptPhase.Lost || p == AttemptPhase.Cancelled,
                s.getReason() == null ? p.name() : s.getReason(), s.getMessage(), generation, now);
        s.setConditions(Readiness.apply(c, readiness(s, p), generation, now));
        return s;
    }

    /**
     * Ready, Reconciling and Stalled (kstatus): an attempt is one job, so it is Ready when the job succeeded, Stalled when
     * it ended any other way (a retry is a new attempt), and reconciling from Pending to Settling.
     */
    static Readiness.Summary readiness(TaskAttemptStatus s, AttemptPhase p) {
        String reason = s.getReason() == null || s.getReason().isBlank() ? p.name() : s.getReason();
        String message = s.getMessage() == null || s.getMessage().isBlank() ? "attempt is " + p : s.getMessage();
        return switch (p) {
            case Succeeded -> Readiness.Summary.ready(reason, message);
            case Failed, Cancelled, Lost -> Readiness.Summary.stalled(reason, message);
            case Pending, Submitting, Queued, Held, Running, Settling -> Readiness.Summary.reconciling(reason, message);
        };
    }
}
