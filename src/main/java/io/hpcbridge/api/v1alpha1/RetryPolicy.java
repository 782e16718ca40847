package io.hpcbridge.api.v1alpha1;

/** Which failures of an attempt are worth another attempt. */
public enum RetryPolicy {
    /** Never retry. */
    Never,
    /** Retry any failure. */
    OnFailure,
    /** Retry a non-zero exit of the user's script. */
    OnApplicationError,
    /** Retry node failure, boot failure, preemption and lost jobs. */
    OnInfrastructure,
    /** Retry time-outs and out-of-memory kills. */
    OnResource,
    /** Retry every end that is not success, cancellations included. */
    Always
}
