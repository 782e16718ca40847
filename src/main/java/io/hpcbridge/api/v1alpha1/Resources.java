package io.hpcbridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** What one attempt asks the scheduler for. Unset fields fall back to the campaign defaults, then to the site's. */
// Empty lists and unset fields are left out: a fresh spec must serialize to nothing, because the framework
// server-side-applies fresh objects (e.g. to add finalizers) and anything they carry would be forced onto the live object.
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class Resources {
    // Range and format are checked by the operator (Accepted=False naming the task), not by the schema: on older API
    // servers a schema error does not say which task it is about.
    @JsonPropertyDescription("CPUs for the job's single task (Slurm --cpus-per-task).")
    private Integer cpus;

    @JsonPropertyDescription("Memory for the job as a Kubernetes quantity, e.g. 512Mi or 4Gi.")
    private String memory;

    @JsonPropertyDescription("Wall-time limit as a duration, e.g. 30m, 2h, 1d12h.")
    private String time;

    @JsonPropertyDescription("Scheduler partition (queue).")
    private String partition;

    @JsonPropertyDescription("Accounting project to charge.")
    private String account;

    @JsonPropertyDescription("Quality of service.")
    private String qos;

    @JsonPropertyDescription("GPUs for the job.")
    private Integer gpus;

    public Integer getCpus() { return cpus; }
    public void setCpus(Integer cpus) { this.cpus = cpus; }
    public String getMemory() { return memory; }
    public void setMemory(String memory) { this.memory = memory; }
    public String getTime() { return time; }
    public void setTime(String time) { this.time = time; }
    public String getPartition() { return partition; }
    public void setPartition(String partition) { this.partition = partition; }
    public String getAccount() { return account; }
    public void setAccount(String account) { this.account = account; }
    public String getQos() { return qos; }
    public void setQos(String qos) { this.qos = qos; }
    public Integer getGpus() { return gpus; }
    public void setGpus(Integer gpus) { this.gpus = gpus; }
}
