package io.hpcbridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** One node of a campaign's DAG, as the user writes it. */
// Empty lists and unset fields are left out: a fresh spec must serialize to nothing, because the framework
// server-side-applies fresh objects (e.g. to add finalizers) and anything they carry would be forced onto the live object.
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class CampaignTask extends JobDefinition {
    @Required
    @Size(min = 1, max = 40)
    @Pattern(Constants.DNS_LABEL_PATTERN)
    @JsonPropertyDescription("Task name: lower-case letters, digits and '-', unique in the campaign.")
    private String name;

    @JsonPropertyDescription("Names of tasks that must succeed before this one starts.")
    private List<String> dependsOn = new ArrayList<>();

    @JsonPropertyDescription("Retry rules; unset fields come from spec.defaults.retryStrategy.")
    private RetryStrategy retryStrategy;

    @Pattern(Constants.DNS_LABEL_PATTERN)
    @JsonPropertyDescription("Name of the processing block (spec.processingBlocks) this task's outputs belong to.")
    private String processingBlock;

    public String getName() { return name; }
    public void setName(String name) { this.name = name; }
    public List<String> getDependsOn() { return dependsOn; }
    public void setDependsOn(List<String> dependsOn) { this.dependsOn = dependsOn == null ? new ArrayList<>() : dependsOn; }
    public RetryStrategy getRetryStrategy() { return retryStrategy; }
    public void setRetryStrategy(RetryStrategy retryStrategy) { this.retryStrategy = retryStrategy; }
    public String getProcessingBlock() { return processingBlock; }
    public void setProcessingBlock(String processingBlock) { this.processingBlock = processingBlock; }
}
