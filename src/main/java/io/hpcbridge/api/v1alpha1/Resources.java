package io.hpcbridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

/**
 * What one attempt asks the scheduler for. Unset fields fall back to the campaign defaults, then to the site's. The
 * common fields mean the same on every scheduler; {@code slurm} and {@code htcondor} hold what only one scheduler
 * understands, and the section for the other scheduler is ignored, so one manifest runs on either.
 */
// Empty lists and unset fields are left out: a fresh spec must serialize to nothing, because the framework
// server-side-applies fresh objects (e.g. to add finalizers) and anything they carry would be forced onto the live object.
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class Resources {
    // Format and range are checked by the schema (kubectl apply names the field's path); what a pattern cannot say
    // (a zero quantity or duration) is checked by the operator (CampaignPlan: Accepted=False naming the task).
    @Min(1)
    @JsonPropertyDescription("CPUs for the job's single task. Slurm: --cpus-per-task. HTCondor: request_cpus.")
    private Integer cpus;

    @Pattern(Constants.MEMORY_PATTERN)
    @JsonPropertyDescription("Memory for the job as a Kubernetes quantity, e.g. 512Mi or 4Gi; must be positive. Slurm: --mem in MiB, rounded up. HTCondor: request_memory in MiB, rounded up.")
    private String memory;

    @Pattern(Constants.DURATION_PATTERN)
    @JsonPropertyDescription("Wall-time limit as a duration, e.g. 30m, 2h, 1d12h; must be positive. Slurm: --time. HTCondor: allowed_job_duration in seconds (a job over it is held and its attempt ends Failed, reason Timeout).")
    private String time;

    @Min(0)
    @JsonPropertyDescription("GPUs for the job. Slurm: --gres=gpu:N (nothing for 0). HTCondor: request_gpus.")
    private Integer gpus;

    @Pattern(Constants.MEMORY_PATTERN)
    @JsonPropertyDescription("Scratch disk for the job as a Kubernetes quantity, e.g. 10Gi; must be positive. Slurm: --tmp in MiB, rounded up. HTCondor: request_disk in KiB, rounded up.")
    private String disk;

    @JsonPropertyDescription("Settings only Slurm understands; ignored when the cluster runs HTCondor.")
    private SlurmResources slurm;

    @JsonPropertyDescription("Settings only HTCondor understands; ignored when the cluster runs Slurm.")
    private HtcondorResources htcondor;

    public Integer getCpus() { return cpus; }
    public void setCpus(Integer cpus) { this.cpus = cpus; }
    public String getMemory() { return memory; }
    public void setMemory(String memory) { this.memory = memory; }
    public String getTime() { return time; }
    public void setTime(String time) { this.time = time; }
    public Integer getGpus() { return gpus; }
    public void setGpus(Integer gpus) { this.gpus = gpus; }
    public String getDisk() { return disk; }
    public void setDisk(String disk) { this.disk = disk; }
    public SlurmResources getSlurm() { return slurm; }
    public void setSlurm(SlurmResources slurm) { this.slurm = slurm; }
    public HtcondorResources getHtcondor() { return htcondor; }
    public void setHtcondor(HtcondorResources htcondor) { this.htcondor = htcondor; }
}
