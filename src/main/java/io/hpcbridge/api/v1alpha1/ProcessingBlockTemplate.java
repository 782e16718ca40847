package io.hpcbridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A group of tasks whose outputs are registered and archived together. */
// Empty lists and unset fields are left out: a fresh spec must serialize to nothing, because the framework
// server-side-applies fresh objects (e.g. to add finalizers) and anything they carry would be forced onto the live object.
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class ProcessingBlockTemplate {
    @Required
    @Size(min = 1, max = 40)
    @Pattern(Constants.DNS_LABEL_PATTERN)
    @JsonPropertyDescription("Block name, unique in the campaign.")
    private String name;

    @JsonPropertyDescription("Output globs, relative to each attempt's work directory.")
    private List<String> outputs = new ArrayList<>();

    public String getName() { return name; }
    public void setName(String name) { this.name = name; }
    public List<String> getOutputs() { return outputs; }
    public void setOutputs(List<String> outputs) { this.outputs = outputs == null ? new ArrayList<>() : outputs; }
}
