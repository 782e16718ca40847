package io.hpcbridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

public class CampaignStatus extends ObservedStatus {
    @JsonPropertyDescription("Pending, Running, Suspended, Succeeded, Failed or Stopped.")
    private CampaignPhase phase;

    @JsonPropertyDescription("Tasks per phase.")
    private TaskCounts tasks;

    @JsonPropertyDescription("When the first attempt was created.")
    private String startedAt;

    @JsonPropertyDescription("When the campaign reached a terminal phase.")
    private String finishedAt;

    public CampaignPhase getPhase() { return phase; }
    public void setPhase(CampaignPhase phase) { this.phase = phase; }
    public TaskCounts getTasks() { return tasks; }
    public void setTasks(TaskCounts tasks) { this.tasks = tasks; }
    public String getStartedAt() { return startedAt; }
    public void setStartedAt(String startedAt) { this.startedAt = startedAt; }
    public String getFinishedAt() { return finishedAt; }
    public void setFinishedAt(String finishedAt) { this.finishedAt = finishedAt; }
}
