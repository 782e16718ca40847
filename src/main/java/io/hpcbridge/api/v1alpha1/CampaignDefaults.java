package io.hpcbridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

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
