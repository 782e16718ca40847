package io.hpcbridge.api.v1alpha1;

/** Condition types written by the operator, usable with kubectl wait --for=condition=TYPE. */
public final class ConditionTypes {
    /** kstatus: the desired state is reached (Campaign, Task and TaskAttempt succeeded, block complete, cluster reachable). */
    public static final String READY = "Ready";
    /** kstatus: the operator is working toward the desired state. Never True together with Stalled. */
    public static final String RECONCILING = "Reconciling";
    /** kstatus: the object cannot reach its desired state without a user's action (invalid spec, terminal failure, stop). */
    public static final String STALLED = "Stalled";
    public static final String REACHABLE = "Reachable";
    public static final String ACCEPTED = "Accepted";
    public static final String COMPLETED = "Completed";
    public static final String SUCCEEDED = "Succeeded";
    public static final String FAILED = "Failed";
    public static final String SUSPENDED = "Suspended";
    public static final String SUBMITTED = "Submitted";
    /** On a Campaign: whether its HpcCluster answers; while False, nothing is submitted and no phase changes. */
    public static final String CLUSTER_REACHABLE = "ClusterReachable";

    private ConditionTypes() {
    }
}
