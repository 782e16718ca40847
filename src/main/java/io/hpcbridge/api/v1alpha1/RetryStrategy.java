package io.hpcbridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;

public class RetryStrategy {
    @Min(0)
    @JsonPropertyDescription("Retries after the first attempt; 0 when omitted.")
    private Integer limit;

    @JsonPropertyDescription("Which failures are retried; OnFailure when omitted.")
    private RetryPolicy retryPolicy;

    @JsonPropertyDescription("Wait between attempts.")
    private Backoff backoff;

    public Integer getLimit() { return limit; }
    public void setLimit(Integer limit) { this.limit = limit; }
    public RetryPolicy getRetryPolicy() { return retryPolicy; }
    public void setRetryPolicy(RetryPolicy retryPolicy) { this.retryPolicy = retryPolicy; }
    public Backoff getBackoff() { return backoff; }
    public void setBackoff(Backoff backoff) { this.backoff = backoff; }
}
