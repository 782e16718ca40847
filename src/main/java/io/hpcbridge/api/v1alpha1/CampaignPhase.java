package io.hpcbridge.api.v1alpha1;

public enum CampaignPhase {
    Pending,
    Running,
    Suspended,
    Succeeded,
    Failed,
    Stopped;

    public boolean isTerminal() {
        return this == Succeeded || this == Failed || this == Stopped;
    }
}
