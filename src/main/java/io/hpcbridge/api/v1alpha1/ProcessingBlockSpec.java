package io.hpcbridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** Copied by the operator from the Campaign's spec.processingBlocks. */
// Empty lists and unset fields are left out: a fresh spec must serialize to nothing, because the framework
// server-side-applies fresh objects (e.g. to add finalizers) and anything they carry would be forced onto the live object.
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class ProcessingBlockSpec {
    @Required
    @JsonPropertyDescription("Name of the owning Campaign.")
    private String campaign;

    @Required
    @JsonPropertyDescription("The block's name in the campaign.")
    private String blockName;

    @JsonPropertyDescription("Output globs, relative to each attempt's work directory.")
    private List<String> outputs = new ArrayList<>();

    public String getCampaign() { return campaign; }
    public void setCampaign(String campaign) { this.campaign = campaign; }
    public String getBlockName() { return blockName; }
    public void setBlockName(String blockName) { this.blockName = blockName; }
    public List<String> getOutputs() { return outputs; }
    public void setOutputs(List<String> outputs) { this.outputs = outputs == null ? new ArrayList<>() : outputs; }
}
