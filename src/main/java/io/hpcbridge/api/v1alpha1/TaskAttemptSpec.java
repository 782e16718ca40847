package io.hpcbridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/** Frozen at creation: exactly what this attempt submits. */
// Empty lists and unset fields are left out: a fresh spec must serialize to nothing, because the framework
// server-side-applies fresh objects (e.g. to add finalizers) and anything they carry would be forced onto the live object.
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class TaskAttemptSpec extends JobDefinition {
    @Required
    @JsonPropertyDescription("Name of the Campaign.")
    private String campaign;

    @Required
    @JsonPropertyDescription("Name of the owning Task object.")
    private String task;

    @Required
    @JsonPropertyDescription("The task's name in the campaign.")
    private String taskName;

    @Required
    @JsonPropertyDescription("The HpcCluster that runs this attempt.")
    private NameReference clusterRef;

    @Required
    @Min(1)
    @JsonPropertyDescription("1 for the first attempt of the task, then 2, 3, ...")
    private Integer index;

    @Required
    @JsonPropertyDescription("This attempt's own remote work directory; nothing of another attempt is ever written there.")
    private String workDir;

    @Required
    @JsonPropertyDescription("sha256 of what is submitted: script, environment and resources.")
    private String configHash;

    public String getCampaign() { return campaign; }
    public void setCampaign(String campaign) { this.campaign = campaign; }
    public String getTask() { return task; }
    public void setTask(String task) { this.task = task; }
    public String getTaskName() { return taskName; }
    public void setTaskName(String taskName) { this.taskName = taskName; }
    public NameReference getClusterRef() { return clusterRef; }
    public void setClusterRef(NameReference clusterRef) { this.clusterRef = clusterRef; }
    public Integer getIndex() { return index; }
    public void setIndex(Integer index) { this.index = index; }
    public String getWorkDir() { return workDir; }
    public void setWorkDir(String workDir) { this.workDir = workDir; }
    public String getConfigHash() { return configHash; }
    public void setConfigHash(String configHash) { this.configHash = configHash; }
}
