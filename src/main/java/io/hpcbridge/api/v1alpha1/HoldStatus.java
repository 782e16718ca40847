package io.hpcbridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Why and since when the scheduler holds an attempt's job; HTCondor's hold attributes of the job ad. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class HoldStatus {
    @JsonPropertyDescription("HTCondor's HoldReasonCode, e.g. 1 (held by a user), 34 (memory limit), 46 (allowed_job_duration exceeded).")
    private Integer code;

    @JsonPropertyDescription("HTCondor's HoldReasonSubCode.")
    private Integer subcode;

    @JsonPropertyDescription("HTCondor's HoldReason: the hold in words.")
    private String reason;

    @JsonPropertyDescription("When the job was first seen held (RFC 3339), the start of the cluster's heldTimeout.")
    private String since;

    public HoldStatus() {
    }

    public HoldStatus(Integer code, Integer subcode, String reason, String since) {
        this.code = code;
        this.subcode = subcode;
        this.reason = reason;
        this.since = since;
    }

    public Integer getCode() { return code; }
    public void setCode(Integer code) { this.code = code; }
    public Integer getSubcode() { return subcode; }
    public void setSubcode(Integer subcode) { this.subcode = subcode; }
    public String getReason() { return reason; }
    public void setReason(String reason) { this.reason = reason; }
    public String getSince() { return since; }
    public void setSince(String since) { this.since = since; }
}
