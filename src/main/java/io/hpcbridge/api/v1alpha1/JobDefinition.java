package io.hpcbridge.api.v1alpha1;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * What runs: the script, its environment and its resources. The same three fields travel from the user's campaign
 * task to the resolved Task and then, frozen, to each TaskAttempt.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public abstract class JobDefinition {
    @Required
    @Size(min = 1, max = 262144)
    @JsonPropertyDescription("The batch script body. It is uploaded as a file, never pasted into a command line.")
    private String script;

    @JsonPropertyDescription("Environment variables exported before the script runs.")
    private List<EnvVar> env = new ArrayList<>();

    @JsonPropertyDescription("Resources; in a campaign task, unset fields come from spec.defaults.resources.")
    private Resources resources;

    public String getScript() { return script; }
    public void setScript(String script) { this.script = script; }
    public List<EnvVar> getEnv() { return env; }
    public void setEnv(List<EnvVar> env) { this.env = env == null ? new ArrayList<>() : env; }
    public Resources getResources() { return resources; }
    public void setResources(Resources resources) { this.resources = resources; }
}
