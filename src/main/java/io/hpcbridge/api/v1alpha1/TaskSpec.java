package io.hpcbridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** A campaign task resolved against the campaign's defaults. Written by the operator only. */
// Empty lists and unset fields are left out: a fresh spec must serialize to nothing, because the framework
// server-side-applies fresh objects (e.g. to add finalizers) and anything they carry would be forced onto the live object.
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class TaskSpec extends JobDefinition {
    @Required
    @JsonPropertyDescription("Name of the owning Campaign.")
    private String campaign;

    @Required
    @JsonPropertyDescription("The task's name in the campaign.")
    private String taskName;

    @Required
    @JsonPropertyDescription("The HpcCluster that runs this task.")
    private NameReference clusterRef;

    @JsonPropertyDescription("Campaign task names that must succeed first.")
    private List<String> dependsOn = new ArrayList<>();

    @JsonPropertyDescription("Retry rules after applying the campaign defaults.")
    private RetryStrategy retryStrategy;

    @JsonPropertyDescription("Processing block of this task, if any.")
    private String processingBlock;

    public String getCampaign() { return campaign; }
    public void setCampaign(String campaign) { this.campaign = campaign; }
    public String getTaskName() { return taskName; }
    public void setTaskName(String taskName) { this.taskName = taskName; }
    public NameReference getClusterRef() { return clusterRef; }
    public void setClusterRef(NameReference clusterRef) { this.clusterRef = clusterRef; }
    public List<String> getDependsOn() { return dependsOn; }
    public void setDependsOn(List<String> dependsOn) { this.dependsOn = dependsOn == null ? new ArrayList<>() : dependsOn; }
    public RetryStrategy getRetryStrategy() { return retryStrategy; }
    public void setRetryStrategy(RetryStrategy retryStrategy) { this.retryStrategy = retryStrategy; }
    public String getProcessingBlock() { return processingBlock; }
    public void setProcessingBlock(String processingBlock) { this.processingBlock = processingBlock; }
}
