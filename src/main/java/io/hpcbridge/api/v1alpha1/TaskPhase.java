package io.hpcbridge.api.v1alpha1;

public enum TaskPhase {
    Pending,
    Running,
    Retrying,
    Succeeded,
    Failed,
    Skipped,
    Cancelled;

    public boolean isTerminal() {
        return this == Succeeded || this == Failed || this == Skipped || this == Cancelled;
    }
}
