package io.hpcbridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;

// Empty lists and unset fields are left out: a fresh spec must serialize to nothing, because the framework
// server-side-applies fresh objects (e.g. to add finalizers) and anything they carry would be forced onto the live object.
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class RetryStrategy {
    @Min(0)
    @JsonPropertyDescription("Retries after the first attempt; 0 when omitted.")
    private Integer limit;

    @JsonPropertyDescription("Which failures are retried; OnFailure when omitted.")
    private RetryPolicy retryPolicy;

    @JsonPropertyDescription("Wait between attempts.")
    private Backoff backoff;

    @JsonPropertyDescription("Ask for more after a resource failure: memory after OutOfMemory, time after Timeout.")
    private Escalation escalate;

    public Escalation getEscalate() { return escalate; }
    public void setEscalate(Escalation escalate) { this.escalate = escalate; }
    public Integer getLimit() { return limit; }
    public void setLimit(Integer limit) { this.limit = limit; }
    public RetryPolicy getRetryPolicy() { return retryPolicy; }
    public void setRetryPolicy(RetryPolicy retryPolicy) { this.retryPolicy = retryPolicy; }
    public Backoff getBackoff() { return backoff; }
    public void setBackoff(Backoff backoff) { this.backoff = backoff; }
}
