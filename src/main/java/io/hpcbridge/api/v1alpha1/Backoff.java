package io.hpcbridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

/** Wait between attempts: duration * factor^(retry-1), at most cap. */
// Empty lists and unset fields are left out: a fresh spec must serialize to nothing, because the framework
// server-side-applies fresh objects (e.g. to add finalizers) and anything they carry would be forced onto the live object.
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class Backoff {
    @Pattern(Constants.DURATION_PATTERN)
    @JsonPropertyDescription("Wait before the first retry, e.g. 30s.")
    private String duration;

    @Min(1)
    @JsonPropertyDescription("Multiplier applied to the wait for each further retry.")
    private Integer factor;

    @Pattern(Constants.DURATION_PATTERN)
    @JsonPropertyDescription("Longest wait between two attempts.")
    private String cap;

    @Pattern(Constants.DURATION_PATTERN)
    @JsonPropertyDescription("No retry starts later than this after the first attempt failed.")
    private String maxDuration;

    public String getDuration() { return duration; }
    public void setDuration(String duration) { this.duration = duration; }
    public Integer getFactor() { return factor; }
    public void setFactor(Integer factor) { this.factor = factor; }
    public String getCap() { return cap; }
    public void setCap(String cap) { this.cap = cap; }
    public String getMaxDuration() { return maxDuration; }
    public void setMaxDuration(String maxDuration) { this.maxDuration = maxDuration; }
}
