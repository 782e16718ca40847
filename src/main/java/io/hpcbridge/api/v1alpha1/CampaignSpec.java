package io.hpcbridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

// Empty lists and unset fields are left out: a fresh spec must serialize to nothing, because the framework
// server-side-applies fresh objects (e.g. to add finalizers) and anything they carry would be forced onto the live object.
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class CampaignSpec {
    @Required
    @JsonPropertyDescription("The HpcCluster, in this namespace, that runs the campaign.")
    private NameReference clusterRef;

    @Min(1)
    @JsonPropertyDescription("Most attempts of this campaign that may be live at once (queued, held, running or settling). Unlimited when omitted.")
    private Integer parallelism;

    @JsonPropertyDescription("When true, nothing new is submitted; live jobs are still followed to their end.")
    private Boolean suspend;

    @JsonPropertyDescription("When true, every live job of the campaign is cancelled (batched), unfinished tasks end Cancelled and the campaign ends Stopped once every cancel is confirmed. To continue afterwards, set it to false and annotate the campaign with hpcbridge.io/retry-failed.")
    private Boolean stop;

    @JsonPropertyDescription("Resources and retry rules for tasks that do not set their own.")
    private CampaignDefaults defaults;

    @Required
    @Size(min = 1, max = 10000)
    @JsonPropertyDescription("The tasks, a DAG through dependsOn.")
    private List<CampaignTask> tasks = new ArrayList<>();

    @JsonPropertyDescription("Processing blocks that tasks may name.")
    private List<ProcessingBlockTemplate> processingBlocks = new ArrayList<>();

    public NameReference getClusterRef() { return clusterRef; }
    public void setClusterRef(NameReference clusterRef) { this.clusterRef = clusterRef; }
    public Integer getParallelism() { return parallelism; }
    public void setParallelism(Integer parallelism) { this.parallelism = parallelism; }
    public Boolean getSuspend() { return suspend; }
    public void setSuspend(Boolean suspend) { this.suspend = suspend; }
    public Boolean getStop() { return stop; }
    public void setStop(Boolean stop) { this.stop = stop; }
    public CampaignDefaults getDefaults() { return defaults; }
    public void setDefaults(CampaignDefaults defaults) { this.defaults = defaults; }
    public List<CampaignTask> getTasks() { return tasks; }
    public void setTasks(List<CampaignTask> tasks) { this.tasks = tasks == null ? new ArrayList<>() : tasks; }
    public List<ProcessingBlockTemplate> getProcessingBlocks() { return processingBlocks; }
    public void setProcessingBlocks(List<ProcessingBlockTemplate> processingBlocks) {
        this.processingBlocks = processingBlocks == null ? new ArrayList<>() : processingBlocks;
    }

    @JsonIgnore
    public boolean isSuspended() {
        return Boolean.TRUE.equals(suspend);
    }

    @JsonIgnore
    public boolean isStopped() {
        return Boolean.TRUE.equals(stop);
    }
}
