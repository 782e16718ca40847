package io.hpcbridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The sbatch options a user may add through {@code slurm.options}, serialized as the long option's name. An
 * allow-list: options the operator sets itself or that would change how it follows the job (job-name, comment,
 * output, error, chdir, requeue, parsable, wrap, array, dependency) are not in it.
 */
public enum SbatchOptionName {
    @JsonProperty("mail-type")
    MAIL_TYPE("mail-type"),
    @JsonProperty("mail-user")
    MAIL_USER("mail-user"),
    @JsonProperty("licenses")
    LICENSES("licenses"),
    @JsonProperty("hint")
    HINT("hint"),
    @JsonProperty("nice")
    NICE("nice"),
    @JsonProperty("begin")
    BEGIN("begin"),
    @JsonProperty("signal")
    SIGNAL("signal"),
    @JsonProperty("switches")
    SWITCHES("switches"),
    @JsonProperty("gres-flags")
    GRES_FLAGS("gres-flags"),
    @JsonProperty("cores-per-socket")
    CORES_PER_SOCKET("cores-per-socket"),
    @JsonProperty("threads-per-core")
    THREADS_PER_CORE("threads-per-core"),
    @JsonProperty("ntasks-per-node")
    NTASKS_PER_NODE("ntasks-per-node"),
    @JsonProperty("cpu-freq")
    CPU_FREQ("cpu-freq"),
    @JsonProperty("wckey")
    WCKEY("wckey"),
    @JsonProperty("network")
    NETWORK("network"),
    @JsonProperty("distribution")
    DISTRIBUTION("distribution"),
    @JsonProperty("mem-bind")
    MEM_BIND("mem-bind");

    private final String option;

    SbatchOptionName(String option) {
        this.option = option;
    }

    /** The sbatch long option's name without dashes, as in the API, e.g. {@code mail-type}. */
    public String option() {
        return option;
    }
}
