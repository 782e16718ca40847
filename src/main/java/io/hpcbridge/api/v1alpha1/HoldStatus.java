package io.hpcbridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Why the scheduler holds a job, as it says it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HoldStatus {
    @JsonPropertyDescription("The scheduler's hold code (HTCondor HoldReasonCode).")
    private Integer code;
    @JsonPropertyDescription("The scheduler's hold subcode (HTCondor HoldReasonSubCode).")
    private Integer subcode;
    @JsonPropertyDescription("The scheduler's hold reason (HTCondor HoldReason).")
    private String reason;
    @JsonPropertyDescription("When the job was held.")
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
