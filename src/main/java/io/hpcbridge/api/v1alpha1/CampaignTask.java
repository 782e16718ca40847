package io.hpcbridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
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

    @JsonPropertyDescription("Parameter sweep: named lists of values; one Task per combination of the cartesian product, each with its values as environment variables named by the keys. Generated names are <name>-<value>-<value>... (values made DNS-safe; indices when they are not usable).")
    private Map<String, List<String>> matrix = new LinkedHashMap<>();

    @Min(1)
    @JsonPropertyDescription("Run N copies of the task, named <name>-0 ... <name>-(N-1), with HPCB_SHARD_INDEX and HPCB_SHARD_COUNT in the environment.")
    private Integer shards;

    @JsonPropertyDescription("Names of tasks that must succeed before this one starts; a swept task stands for all the Tasks it generates.")
    private List<String> dependsOn = new ArrayList<>();

    @JsonPropertyDescription("Retry rules; unset fields come from spec.defaults.retryStrategy.")
    private RetryStrategy retryStrategy;

    @Pattern(Constants.DNS_LABEL_PATTERN)
    @JsonPropertyDescription("Name of the processing block (spec.processingBlocks) this task's outputs belong to.")
    private String processingBlock;

    public String getName() { return name; }
    public void setName(String name) { this.name = name; }
    public Map<String, List<String>> getMatrix() { return matrix; }
    public void setMatrix(Map<String, List<String>> matrix) { this.matrix = matrix == null ? new LinkedHashMap<>() : matrix; }
    public Integer getShards() { return shards; }
    public void setShards(Integer shards) { this.shards = shards; }
    public List<String> getDependsOn() { return dependsOn; }
    public void setDependsOn(List<String> dependsOn) { this.dependsOn = dependsOn == null ? new ArrayList<>() : dependsOn; }
    public RetryStrategy getRetryStrategy() { return retryStrategy; }
    public void setRetryStrategy(RetryStrategy retryStrategy) { this.retryStrategy = retryStrategy; }
    public String getProcessingBlock() { return processingBlock; }
    public void setProcessingBlock(String processingBlock) { this.processingBlock = processingBlock; }
}
