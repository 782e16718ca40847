package io.hpcbridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One failed attempt, as listed in a Campaign's status.recentFailures. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FailureRecord {
    @JsonPropertyDescription("The task's name in the campaign.")
    private String task;
    @JsonPropertyDescription("The TaskAttempt object.")
    private String attempt;
    @JsonPropertyDescription("Failed, Lost or Cancelled.")
    private AttemptPhase phase;
    @JsonPropertyDescription("Typed reason, e.g. NonZeroExit, Timeout, OutOfMemory, SchedulerLost.")
    private String reason;
    @JsonPropertyDescription("First line of the attempt's message, shortened.")
    private String message;
    private String finishedAt;

    public FailureRecord() {
    }

    public FailureRecord(String task, String attempt, AttemptPhase phase, String reason, String message, String finishedAt) {
        this.task = task;
        this.attempt = attempt;
        this.phase = phase;
        this.reason = reason;
        this.message = message;
        this.finishedAt = finishedAt;
    }

    public String getTask() { return task; }
    public void setTask(String task) { this.task = task; }
    public String getAttempt() { return attempt; }
    public void setAttempt(String attempt) { this.attempt = attempt; }
    public AttemptPhase getPhase() { return phase; }
    public void setPhase(AttemptPhase phase) { this.phase = phase; }
    public String getReason() { return reason; }
    public void setReason(String reason) { this.reason = reason; }
    public String getMessage() { return message; }
    public void setMessage(String message) { this.message = message; }
    public String getFinishedAt() { return finishedAt; }
    public void setFinishedAt(String finishedAt) { this.finishedAt = finishedAt; }
}
