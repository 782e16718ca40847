package io.hpcbridge.attempt;

import java.time.Duration;
import java.time.Instant;

import io.hpcbridge.api.v1alpha1.AttemptPhase;
import io.hpcbridge.api.v1alpha1.ConditionTypes;
import io.hpcbridge.api.v1alpha1.TaskAttemptStatus;
import io.hpcbridge.cluster.JobView;
import io.hpcbridge.gateway.JobObservation;
import io.hpcbridge.gateway.RemoteState;
import io.hpcbridge.status.Conditions;
import io.hpcbridge.status.Readiness;
import io.hpcbridge.status.StatusComparison;
import io.hpcbridge.status.Times;

/**
 * The decision ladder for a submitted job, pure: queue → accounting → (grace period) → Lost. An end is final only
 * when accounting confirms it; a job that left the queue without a record is Settling, never done.
 */
public final class AttemptStateMachine {
    private AttemptStateMachine() {
    }

    /** The status after this view of the job; returns an equal status when the view teaches nothing new. */
    public static TaskAttemptStatus observe(TaskAttemptStatus current, JobView view, Duration lostGrace, long generation, Instant now) {
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
            case SEEN -> applyObservation(next, view.observation(), view.exitFileCode(), now);
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
        next.setReason(code == 0 ? AttemptReasons.COMPLETED : AttemptReasons.NON_ZERO_EXIT);
        next.setMessage("job " + jobId + " exited with code " + code + " (from the job's exit-code file; accounting had no record)");
    }

    private static void applyObservation(TaskAttemptStatus next, JobObservation o, Integer exitFileCode, Instant now) {
        next.setSchedulerState(o.rawState());
        countRequeue(next, o);
        if (o.startTime() != null && next.getStartedAt() == null) {
            next.setStartedAt(Times.format(o.startTime()));
        }
        RemoteState state = o.state();
        if (state == RemoteState.UNKNOWN) {
            return; // an unknown word is never an end, and not progress either
        }
        if (!state.isTerminal()) {
            AttemptPhase phase = state == RemoteState.RUNNING ? AttemptPhase.Running : AttemptPhase.Queued;
            next.setPhase(phase);
            next.setReason(phase == AttemptPhase.Running ? AttemptReasons.RUNNING : AttemptReasons.QUEUED);
            next.setMessage(o.detail() == null || o.detail().isBlank() || "None".equals(o.detail())
                    ? "job " + o.jobId() + " is " + o.rawState()
                    : "job " + o.jobId() + " is " + o.rawState() + " (" + o.detail() + ")");
            if (phase == AttemptPhase.Running && next.getStartedAt() == null) {
                next.setStartedAt(Times.format(now));
            }
            next.setSettlingSince(null);
            return;
        }
        if (!o.fromAccounting()) {
            if (exitFileCode != null) {
                endFromExitFile(next, o.jobId(), exitFileCode, now);
                return;
            }
            // The queue says it ended; only accounting (or the exit-code file) may say how.
            if (next.getPhase() != AttemptPhase.Settling) {
                next.setPhase(AttemptPhase.Settling);
                next.setReason(AttemptReasons.LEFT_QUEUE);
                next.setMessage("job " + o.jobId() + " ended (" + o.rawState() + "); waiting for accounting to confirm");
                next.setSettlingSince(Times.format(now));
            }
            return;
        }
        // Accounting may briefly report 0:0 for a job that ended while it was down; the script's own exit-code file
        // is the better witness of its exit status (the state still comes from accounting).
        if (exitFileCode != null && (o.state() == RemoteState.FAILED || o.state() == RemoteState.COMPLETED)) {
            o = new JobObservation(o.jobId(), o.name(), exitFileCode == 0 ? o.state() : RemoteState.FAILED, o.rawState(),
                    exitFileCode, null, o.detail(), o.submitTime(), o.startTime(), o.endTime(), true);
        }
        next.setExitCode(o.exitCode());
        next.setSignal(o.signal());
        next.setFinishedAt(Times.format(o.endTime() != null ? o.endTime() : now));
        next.setSettlingSince(null);
        Outcome outcome = outcome(o);
        next.setPhase(outcome.phase());
        next.setReason(outcome.reason());
        next.setMessage(outcome.message());
    }

    /** A scheduler requeue keeps the job id and moves its submit time; it stays in this attempt and is counted. */
    private static void countRequeue(TaskAttemptStatus next, JobObservation o) {
        if (o.submitTime() == null) {
            return;
        }
        Instant known = Times.parse(next.getJobSubmitTime());
        if (known != null && o.submitTime().isAfter(known.plusSeconds(1))) {
            next.setRestartCount((next.getRestartCount() == null ? 0 : next.getRestartCount()) + 1);
        }
        if (known == null || o.submitTime().isAfter(known)) {
            next.setJobSubmitTime(Times.format(o.submitTime()));
        }
    }

    record Outcome(AttemptPhase phase, String reason, String message) {
    }

    /** Maps a confirmed end to phase and typed reason. Success needs COMPLETED and exit code 0. */
    static Outcome outcome(JobObservation o) {
        String job = "job " + o.jobId();
        Integer exit = o.exitCode();
        Integer signal = o.signal();
        return switch (o.state()) {
            case COMPLETED -> exit != null && exit == 0 && (signal == null || signal == 0)
                    ? new Outcome(AttemptPhase.Succeeded, AttemptReasons.COMPLETED, job + " completed with exit code 0")
                    : failedByExit(job, exit, signal);
            case FAILED -> failedByExit(job, exit, signal);
            case CANCELLED -> new Outcome(AttemptPhase.Cancelled, AttemptReasons.CANCELLED,
                    job + " was cancelled on the cluster" + (o.detail() != null && !o.detail().isBlank() ? " (" + o.detail() + ")" : "")
                            + ", not by hpc-bridge");
            case TIMEOUT -> new Outcome(AttemptPhase.Failed, AttemptReasons.TIMEOUT, job + " reached its time limit");
            case OUT_OF_MEMORY -> new Outcome(AttemptPhase.Failed, AttemptReasons.OUT_OF_MEMORY, job + " ran out of memory");
            case NODE_FAIL -> new Outcome(AttemptPhase.Failed, AttemptReasons.NODE_FAIL, job + " lost a node");
            case BOOT_FAIL -> new Outcome(AttemptPhase.Failed, AttemptReasons.BOOT_FAIL, job + " could not boot its node");
            case PREEMPTED -> new Outcome(AttemptPhase.Failed, AttemptReasons.PREEMPTED, job + " was preempted");
            case DEADLINE -> new Outcome(AttemptPhase.Failed, AttemptReasons.DEADLINE, job + " passed its deadline");
            default -> throw new IllegalArgumentException("not an end: " + o.state());
        };
    }

    private static Outcome failedByExit(String job, Integer exit, Integer signal) {
        if (signal != null && signal > 0) {
            return new Outcome(AttemptPhase.Failed, AttemptReasons.SIGNAL, job + " was killed by signal " + signal);
        }
        return new Outcome(AttemptPhase.Failed, AttemptReasons.NON_ZERO_EXIT,
                job + " exited with code " + (exit == null ? "unknown" : exit));
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
