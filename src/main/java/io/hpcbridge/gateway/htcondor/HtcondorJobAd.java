package io.hpcbridge.gateway.htcondor;

import io.hpcbridge.gateway.JobIdentity;

import java.time.Instant;

/**
 * One job ad from condor_q or condor_history, with the attributes of {@link HtcondorCommands#ATTRIBUTES}. A value is
 * null when the ad lacks the attribute, when it is {@code undefined}, or when it is an unevaluated expression
 * ({@code "\/Expr(...)\/"}); times of 0 are null too (HTCondor's "not yet").
 *
 * @param jobId     {@code ClusterId.ProcId}
 * @param jobStatus HTCondor's JobStatus, always present
 * @param instance  HpcBridgeInstance: the installation that submitted it
 * @param attempt   HpcBridgeAttempt: the identity token
 * @param name      HpcBridgeName: the identity name
 */
public record HtcondorJobAd(String jobId, int jobStatus, Integer lastJobStatus, String globalJobId, Instant enteredCurrentStatus,
        Instant qDate, Instant jobStartDate, Instant jobCurrentStartDate, Instant completionDate, Integer numJobStarts,
        Integer numHolds, Integer holdReasonCode, Integer holdReasonSubCode, String holdReason, Integer lastHoldReasonCode,
        Integer lastHoldReasonSubCode, String lastHoldReason, Integer exitCode, Boolean exitBySignal, Integer exitSignal,
        String removeReason, Integer vacateReasonCode, String vacateReason, String instance, String attempt, String name) {

    /**
     * Whether this ad describes the job submitted with this identity. Job ids restart at 1 after the schedd's spool is
     * wiped, so the id alone proves nothing: the token must match (and the name, when the ad carries one).
     */
    public boolean belongsTo(JobIdentity identity) {
        return identity != null && identity.token() != null && identity.token().equals(attempt)
                && (name == null || name.equals(identity.name()));
    }

    /** Removed (3) or completed (4): over, even while the ad is still in the queue. */
    public boolean ended() {
        return jobStatus == HtcondorStates.REMOVED || jobStatus == HtcondorStates.COMPLETED;
    }
}
