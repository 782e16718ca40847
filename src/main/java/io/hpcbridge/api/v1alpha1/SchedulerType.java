package io.hpcbridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The batch scheduler behind a cluster's login nodes. */
public enum SchedulerType {
    @JsonProperty("slurm")
    SLURM,
    @JsonProperty("htcondor")
    HTCONDOR
}
