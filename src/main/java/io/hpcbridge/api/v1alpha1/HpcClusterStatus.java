package io.hpcbridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

public class HpcClusterStatus extends ObservedStatus {
    @JsonPropertyDescription("Pending, Ready, Unreachable or Paused.")
    private ClusterPhase phase;

    @JsonPropertyDescription("When the scheduler last answered a poll.")
    private String lastPollTime;

    @JsonPropertyDescription("The scheduler's version as it reports it.")
    private String schedulerVersion;

    @JsonPropertyDescription("Live jobs of this operator on the cluster at the last poll.")
    private Integer activeJobs;

    @JsonPropertyDescription("The login node in use, host:port.")
    private String activeLoginNode;

    public ClusterPhase getPhase() { return phase; }
    public void setPhase(ClusterPhase phase) { this.phase = phase; }
    public String getLastPollTime() { return lastPollTime; }
    public void setLastPollTime(String lastPollTime) { this.lastPollTime = lastPollTime; }
    public String getSchedulerVersion() { return schedulerVersion; }
    public void setSchedulerVersion(String schedulerVersion) { this.schedulerVersion = schedulerVersion; }
    public Integer getActiveJobs() { return activeJobs; }
    public void setActiveJobs(Integer activeJobs) { this.activeJobs = activeJobs; }
    public String getActiveLoginNode() { return activeLoginNode; }
    public void setActiveLoginNode(String activeLoginNode) { this.activeLoginNode = activeLoginNode; }
}
