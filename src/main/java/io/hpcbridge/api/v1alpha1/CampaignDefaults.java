package io.hpcbridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

// Empty lists and unset fields are left out: a fresh spec must serialize to nothing, because the framework
// server-side-applies fresh objects (e.g. to add finalizers) and anything they carry would be forced onto the live object.
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class CampaignDefaults {
    @JsonPropertyDescription("Resources for tasks that do not set them.")
    private Resources resources;

    @JsonPropertyDescription("Retry rules for tasks that do not set them.")
    private RetryStrategy retryStrategy;

    public Resources getResources() { return resources; }
    public void setResources(Resources resources) { this.resources = resources; }
    public RetryStrategy getRetryStrategy() { return retryStrategy; }
    public void setRetryStrategy(RetryStrategy retryStrategy) { this.retryStrategy = retryStrategy; }
}
