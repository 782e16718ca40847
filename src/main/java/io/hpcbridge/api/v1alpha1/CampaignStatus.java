package io.hpcbridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

public class CampaignStatus extends ObservedStatus {
    @JsonPropertyDescription("Pending, Running, Suspended, Stopping, Succeeded, Failed or Stopped.")
    private CampaignPhase phase;

    @JsonPropertyDescription("Tasks per phase.")
    private TaskCounts tasks;

    @JsonPropertyDescription("Why tasks that are not running wait, with how many tasks each, most first: WaitingForDependencies, ParallelismLimit, ClusterLimit, Suspended, ClusterUnreachable, BackoffUntil, ...")
    private java.util.List<BlockedCount> blockedBy = new java.util.ArrayList<>();

    @JsonPropertyDescription("The most recent attempt failures (at most 20), newest first; every attempt keeps its own status.")
    private java.util.List<FailureRecord> recentFailures = new java.util.ArrayList<>();

    @JsonPropertyDescription("The hpcbridge.io/retry-failed value last acted on.")
    private String lastRetryFailed;

    @JsonPropertyDescription("When the first attempt was created.")
    private String startedAt;

    @JsonPropertyDescription("When the campaign reached a terminal phase.")
    private String finishedAt;

    public CampaignPhase getPhase() { return phase; }
    public void setPhase(CampaignPhase phase) { this.phase = phase; }
    public TaskCounts getTasks() { return tasks; }
    public void setTasks(TaskCounts tasks) { this.tasks = tasks; }
    // A list, not a map: the 1.20 API server's server-side apply turns an empty map into null and then rejects it.
    public java.util.List<BlockedCount> getBlockedBy() { return blockedBy; }
    public void setBlockedBy(java.util.List<BlockedCount> blockedBy) { this.blockedBy = blockedBy == null ? new java.util.ArrayList<>() : blockedBy; }
    public java.util.List<FailureRecord> getRecentFailures() { return recentFailures; }
    public void setRecentFailures(java.util.List<FailureRecord> recentFailures) { this.recentFailures = recentFailures == null ? new java.util.ArrayList<>() : recentFailures; }
    public String getLastRetryFailed() { return lastRetryFailed; }
    public void setLastRetryFailed(String lastRetryFailed) { this.lastRetryFailed = lastRetryFailed; }
    public String getStartedAt() { return startedAt; }
    public void setStartedAt(String startedAt) { this.startedAt = startedAt; }
    public String getFinishedAt() { return finishedAt; }
    public void setFinishedAt(String finishedAt) { this.finishedAt = finishedAt; }
}
