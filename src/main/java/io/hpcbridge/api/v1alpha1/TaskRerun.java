package io.hpcbridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The rerun a Task is in: which request started it and from which attempt index it counts. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class TaskRerun {
    @JsonPropertyDescription("The request acted on: the task's hpcbridge.io/rerun value, or where a rerun came from (retry-failed, an upstream rerun).")
    private String token;

    @JsonPropertyDescription("The task's own hpcbridge.io/rerun value last acted on; kept across other reruns so that re-applying it does nothing.")
    private String request;

    @JsonPropertyDescription("Index of the first attempt of this run; earlier attempts are kept as evidence, and retries are counted from here.")
    private Integer firstAttempt;

    public TaskRerun() {
    }

    public TaskRerun(String token, Integer firstAttempt, String request) {
        this.token = token;
        this.firstAttempt = firstAttempt;
        this.request = request;
    }

    public String getToken() { return token; }
    public void setToken(String token) { this.token = token; }
    public String getRequest() { return request; }
    public void setRequest(String request) { this.request = request; }
    public Integer getFirstAttempt() { return firstAttempt; }
    public void setFirstAttempt(Integer firstAttempt) { this.firstAttempt = firstAttempt; }
}
