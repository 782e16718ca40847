package io.hpcbridge.api.v1alpha1;

public enum ClusterPhase {
    /** Not yet connected. */
    Pending,
    /** A login node answers and the scheduler responds. */
    Ready,
    /** No login node could be used; nothing changes on attempts while this lasts. */
    Unreachable,
    /** spec.paused: no submissions and no polls. */
    Paused
}
