package io.hpcbridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** One further sbatch option, sent as {@code --<name>=<value>}. */
// Empty lists and unset fields are left out: a fresh spec must serialize to nothing, because the framework
// server-side-applies fresh objects (e.g. to add finalizers) and anything they carry would be forced onto the live object.
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class SbatchOption {
    @Required
    @JsonPropertyDescription("The sbatch long option without its leading dashes, from an allow-list. Options the operator sets itself (job name, comment, output, error, working directory, requeue, dependencies, arrays) are not allowed.")
    private SbatchOptionName name;

    @Required
    @Pattern(Constants.NO_CONTROL_PATTERN)
    @Size(max = 256)
    @JsonPropertyDescription("The option's value. Slurm: passed to sbatch as one argument, --<name>=<value>.")
    private String value;

    public SbatchOption() {
    }

    public SbatchOption(SbatchOptionName name, String value) {
        this.name = name;
        this.value = value;
    }

    public SbatchOptionName getName() { return name; }
    public void setName(SbatchOptionName name) { this.name = name; }
    public String getValue() { return value; }
    public void setValue(String value) { this.value = value; }
}
