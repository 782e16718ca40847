package io.hpcbridge.api.v1alpha1;

public enum CampaignPhase {
    Pending,
    Running,
    Suspended,
    /** spec.stop is set and cancels are not all confirmed yet. */
    Stopping,
    Succeeded,
    Failed,
    Stopped;

    public boolean isTerminal() {
        return this == Succeeded || this == Failed || this == Stopped;
    }
}
