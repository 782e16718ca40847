package io.hpcbridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

public class TaskStatus extends ObservedStatus {
    @JsonPropertyDescription("Pending, Running, Retrying, Succeeded, Failed, Skipped or Cancelled.")
    private TaskPhase phase;

    @JsonPropertyDescription("How many TaskAttempts this task has had.")
    private Integer attempts;

    @JsonPropertyDescription("Name of the newest TaskAttempt.")
    private String currentAttempt;

    @JsonPropertyDescription("Why the task is in its phase, e.g. WaitingForDependencies, UpstreamFailed, NonZeroExit.")
    private String reason;

    @JsonPropertyDescription("Human-readable detail for reason.")
    private String message;

    @JsonPropertyDescription("Earliest time the next attempt may start, while Retrying.")
    private String nextAttemptAfter;

    @JsonPropertyDescription("The hpcbridge.io/rerun request last acted on (from spec.rerun.token).")
    private String lastRerun;

    private String startedAt;
    private String finishedAt;

    public TaskPhase getPhase() { return phase; }
    public void setPhase(TaskPhase phase) { this.phase = phase; }
    public Integer getAttempts() { return attempts; }
    public void setAttempts(Integer attempts) { this.attempts = attempts; }
    public String getCurrentAttempt() { return currentAttempt; }
    public void setCurrentAttempt(String currentAttempt) { this.currentAttempt = currentAttempt; }
    public String getReason() { return reason; }
    public void setReason(String reason) { this.reason = reason; }
    public String getMessage() { return message; }
    public void setMessage(String message) { this.message = message; }
    public String getNextAttemptAfter() { return nextAttemptAfter; }
    public void setNextAttemptAfter(String nextAttemptAfter) { this.nextAttemptAfter = nextAttemptAfter; }
    public String getLastRerun() { return lastRerun; }
    public void setLastRerun(String lastRerun) { this.lastRerun = lastRerun; }
    public String getStartedAt() { return startedAt; }
    public void setStartedAt(String startedAt) { this.startedAt = startedAt; }
    public String getFinishedAt() { return finishedAt; }
    public void setFinishedAt(String finishedAt) { this.finishedAt = finishedAt; }
}
