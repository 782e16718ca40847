package io.hpcbridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

public class ProcessingBlockStatus extends ObservedStatus {
    @JsonPropertyDescription("Open, Complete, Archived, Failed or Invalidated.")
    private BlockPhase phase;

    @JsonPropertyDescription("Tasks that belong to the block.")
    private Integer totalTasks;

    @JsonPropertyDescription("Tasks of the block that succeeded.")
    private Integer completedTasks;

    public BlockPhase getPhase() { return phase; }
    public void setPhase(BlockPhase phase) { this.phase = phase; }
    public Integer getTotalTasks() { return totalTasks; }
    public void setTotalTasks(Integer totalTasks) { this.totalTasks = totalTasks; }
    public Integer getCompletedTasks() { return completedTasks; }
    public void setCompletedTasks(Integer completedTasks) { this.completedTasks = completedTasks; }
}
