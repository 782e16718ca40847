package io.hpcbridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

public class TaskAttemptStatus extends ObservedStatus {
    @JsonPropertyDescription("Pending, Submitting, Queued, Held, Running, Settling, Succeeded, Failed, Cancelled or Lost.")
    private AttemptPhase phase;

    @JsonPropertyDescription("Token persisted before the submission; the remote job carries it so a restart adopts rather than resubmits.")
    private String submissionToken;

    @JsonPropertyDescription("The scheduler's job id.")
    private String jobId;

    @JsonPropertyDescription("The HpcCluster the job was submitted to.")
    private String cluster;

    @JsonPropertyDescription("The login node the job was submitted through, host:port.")
    private String loginNode;

    private String submittedAt;
    private String startedAt;
    private String finishedAt;

    @JsonPropertyDescription("Exit status of the batch script, when it exited normally.")
    private Integer exitCode;

    @JsonPropertyDescription("Signal that ended the batch script, when one did.")
    private Integer signal;

    @JsonPropertyDescription("The scheduler's own word for the job's state, as last seen.")
    private String schedulerState;

    @JsonPropertyDescription("How the job ended, in scheduler-neutral words (Exited, Signalled, TimeLimit, MemoryLimit, DiskLimit, NodeFailure, BootFailure, Preempted, Deadline, Cancelled, RemovedExternally, Other): what retry policies read. Absent when no job ended (a refused submission, a lost job).")
    private JobEndCause endCause;

    @JsonPropertyDescription("Why the attempt is in its phase, e.g. NonZeroExit, Timeout, SubmitRejected.")
    private String reason;

    @JsonPropertyDescription("Human-readable detail for reason.")
    private String message;

    @JsonPropertyDescription("When the job was first found to have left the queue without a confirmed end.")
    private String settlingSince;

    @JsonPropertyDescription("Earlier job ids that carried this attempt's identity (e.g. resubmitted by hand), oldest first.")
    private java.util.List<String> previousJobIds;

    @JsonPropertyDescription("Times the scheduler restarted the job within this attempt: a Slurm requeue under the same job id, an HTCondor restart after eviction or a failed reconnect.")
    private Integer restartCount;

    @JsonPropertyDescription("Set while the scheduler holds the job: HTCondor's HoldReasonCode, HoldReasonSubCode and HoldReason.")
    // Nullable in the schema: when a server-side apply leaves out a map this manager owned, the API server removes its
    // children and may store the emptied map as null (kubernetes/kubernetes#104694), which a non-nullable object refuses;
    // every status write of a released job then failed. Left out of the JSON when cleared.
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @io.fabric8.generator.annotation.Nullable
    private HoldStatus hold;

    @JsonPropertyDescription("When the scheduler last queued the job, as it reports it; a later time for the same job id is a restart.")
    private String jobSubmitTime;

    @JsonPropertyDescription("Remote path of the job's standard output.")
    private String stdoutPath;

    @JsonPropertyDescription("Remote path of the job's standard error.")
    private String stderrPath;

    public AttemptPhase getPhase() { return phase; }
    public void setPhase(AttemptPhase phase) { this.phase = phase; }
    public String getSubmissionToken() { return submissionToken; }
    public void setSubmissionToken(String submissionToken) { this.submissionToken = submissionToken; }
    public String getJobId() { return jobId; }
    public void setJobId(String jobId) { this.jobId = jobId; }
    public String getCluster() { return cluster; }
    public void setCluster(String cluster) { this.cluster = cluster; }
    public String getLoginNode() { return loginNode; }
    public void setLoginNode(String loginNode) { this.loginNode = loginNode; }
    public String getSubmittedAt() { return submittedAt; }
    public void setSubmittedAt(String submittedAt) { this.submittedAt = submittedAt; }
    public String getStartedAt() { return startedAt; }
    public void setStartedAt(String startedAt) { this.startedAt = startedAt; }
    public String getFinishedAt() { return finishedAt; }
    public void setFinishedAt(String finishedAt) { this.finishedAt = finishedAt; }
    public Integer getExitCode() { return exitCode; }
    public void setExitCode(Integer exitCode) { this.exitCode = exitCode; }
    public Integer getSignal() { return signal; }
    public void setSignal(Integer signal) { this.signal = signal; }
    public String getSchedulerState() { return schedulerState; }
    public void setSchedulerState(String schedulerState) { this.schedulerState = schedulerState; }
    public JobEndCause getEndCause() { return endCause; }
    public void setEndCause(JobEndCause endCause) { this.endCause = endCause; }
    public String getReason() { return reason; }
    public void setReason(String reason) { this.reason = reason; }
    public String getMessage() { return message; }
    public void setMessage(String message) { this.message = message; }
    public String getSettlingSince() { return settlingSince; }
    public void setSettlingSince(String settlingSince) { this.settlingSince = settlingSince; }
    public java.util.List<String> getPreviousJobIds() { return previousJobIds; }
    public void setPreviousJobIds(java.util.List<String> previousJobIds) { this.previousJobIds = previousJobIds; }
    public Integer getRestartCount() { return restartCount; }
    public void setRestartCount(Integer restartCount) { this.restartCount = restartCount; }
    public HoldStatus getHold() { return hold; }
    public void setHold(HoldStatus hold) { this.hold = hold; }
    public String getJobSubmitTime() { return jobSubmitTime; }
    public void setJobSubmitTime(String jobSubmitTime) { this.jobSubmitTime = jobSubmitTime; }
    public String getStdoutPath() { return stdoutPath; }
    public void setStdoutPath(String stdoutPath) { this.stdoutPath = stdoutPath; }
    public String getStderrPath() { return stderrPath; }
    public void setStderrPath(String stderrPath) { this.stderrPath = stderrPath; }
}
