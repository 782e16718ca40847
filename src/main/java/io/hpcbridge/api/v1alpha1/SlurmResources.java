package io.hpcbridge.api.v1alpha1;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

/** What only Slurm understands, each an sbatch option. Ignored when the cluster runs HTCondor. */
// Empty lists and unset fields are left out: a fresh spec must serialize to nothing, because the framework
// server-side-applies fresh objects (e.g. to add finalizers) and anything they carry would be forced onto the live object.
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class SlurmResources {
    @Pattern(Constants.SCHEDULER_NAME_PATTERN)
    @Size(max = 64)
    @JsonPropertyDescription("Partition (queue) to submit to. Slurm: --partition. HTCondor: not used.")
    private String partition;

    @Pattern(Constants.SCHEDULER_NAME_PATTERN)
    @Size(max = 64)
    @JsonPropertyDescription("Account to charge. Slurm: --account. HTCondor: not used (see htcondor.accountingGroup).")
    private String account;

    @Pattern(Constants.SCHEDULER_NAME_PATTERN)
    @Size(max = 64)
    @JsonPropertyDescription("Quality of service. Slurm: --qos. HTCondor: not used.")
    private String qos;

    @Pattern(Constants.SCHEDULER_NAME_PATTERN)
    @Size(max = 64)
    @JsonPropertyDescription("Reservation to run in. Slurm: --reservation. HTCondor: not used.")
    private String reservation;

    @Pattern(Constants.NO_WHITESPACE_PATTERN)
    @Size(max = 256)
    @JsonPropertyDescription("Node feature expression, e.g. skylake&ib, without whitespace. Slurm: --constraint. HTCondor: not used (see htcondor.requirements).")
    private String constraint;

    @JsonPropertyDescription("When true, the job's nodes are not shared with other jobs. Slurm: --exclusive. HTCondor: not used.")
    private Boolean exclusive;

    @Min(1)
    @JsonPropertyDescription("Nodes for the job. Slurm: --nodes. HTCondor: not used.")
    private Integer nodes;

    @Min(1)
    @JsonPropertyDescription("Tasks (MPI ranks) for the job; cpus is then per task. Slurm: --ntasks. HTCondor: not used.")
    private Integer ntasks;

    @Size(max = 16)
    @JsonPropertyDescription("Further sbatch options from an allow-list, each sent as --<name>=<value>; each name at most once. HTCondor: not used.")
    private List<SbatchOption> options = new ArrayList<>();

    public String getPartition() { return partition; }
    public void setPartition(String partition) { this.partition = partition; }
    public String getAccount() { return account; }
    public void setAccount(String account) { this.account = account; }
    public String getQos() { return qos; }
    public void setQos(String qos) { this.qos = qos; }
    public String getReservation() { return reservation; }
    public void setReservation(String reservation) { this.reservation = reservation; }
    public String getConstraint() { return constraint; }
    public void setConstraint(String constraint) { this.constraint = constraint; }
    public Boolean getExclusive() { return exclusive; }
    public void setExclusive(Boolean exclusive) { this.exclusive = exclusive; }
    public Integer getNodes() { return nodes; }
    public void setNodes(Integer nodes) { this.nodes = nodes; }
    public Integer getNtasks() { return ntasks; }
    public void setNtasks(Integer ntasks) { this.ntasks = ntasks; }
    public List<SbatchOption> getOptions() { return options; }
    public void setOptions(List<SbatchOption> options) { this.options = options == null ? new ArrayList<>() : options; }
}
