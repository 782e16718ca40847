package io.hpcbridge.api.v1alpha1;

public enum BlockPhase {
    Open,
    Complete,
    Archived,
    Failed,
    Invalidated
}
