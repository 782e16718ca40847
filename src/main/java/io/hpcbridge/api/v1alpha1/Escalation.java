package io.hpcbridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;

/**
 * Resource escalation between attempts: after an OutOfMemory end the next attempt asks for memory * memoryFactor, after
 * a Timeout for time * timeFactor, never more than the maximum. The resolved values are frozen in each TaskAttempt.
 */
// Empty lists and unset fields are left out: a fresh spec must serialize to nothing, because the framework
// server-side-applies fresh objects (e.g. to add finalizers) and anything they carry would be forced onto the live object.
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class Escalation {
    @JsonPropertyDescription("Multiplier for memory after an attempt ran out of memory, e.g. 2 or 1.5; at least 1.")
    private Double memoryFactor;

    @Pattern(Constants.MEMORY_PATTERN)
    @JsonPropertyDescription("Most memory any attempt may ask for, e.g. 64Gi.")
    private String maxMemory;

    @JsonPropertyDescription("Multiplier for the time limit after an attempt timed out, e.g. 2; at least 1.")
    private Double timeFactor;

    @Pattern(Constants.DURATION_PATTERN)
    @JsonPropertyDescription("Longest time limit any attempt may ask for, e.g. 48h.")
    private String maxTime;

    public Double getMemoryFactor() { return memoryFactor; }
    public void setMemoryFactor(Double memoryFactor) { this.memoryFactor = memoryFactor; }
    public String getMaxMemory() { return maxMemory; }
    public void setMaxMemory(String maxMemory) { this.maxMemory = maxMemory; }
    public Double getTimeFactor() { return timeFactor; }
    public void setTimeFactor(Double timeFactor) { this.timeFactor = timeFactor; }
    public String getMaxTime() { return maxTime; }
    public void setMaxTime(String maxTime) { this.maxTime = maxTime; }
}
