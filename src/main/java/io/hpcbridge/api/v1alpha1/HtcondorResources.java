package io.hpcbridge.api.v1alpha1;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

/** What only HTCondor understands, each a submit command. Ignored when the cluster runs Slurm. */
// Empty lists and unset fields are left out: a fresh spec must serialize to nothing, because the framework
// server-side-applies fresh objects (e.g. to add finalizers) and anything they carry would be forced onto the live object.
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class HtcondorResources {
    @Pattern("^[A-Za-z0-9_.@-]+$")
    @Size(max = 128)
    @JsonPropertyDescription("Accounting group to charge, e.g. group_physics.alice. HTCondor: accounting_group. Slurm: not used (see slurm.account).")
    private String accountingGroup;

    @Pattern(Constants.CLASSAD_EXPRESSION_PATTERN)
    @Size(max = 4096)
    @JsonPropertyDescription("ClassAd expression a machine must satisfy, on one line. HTCondor: requirements. Slurm: not used (see slurm.constraint).")
    private String requirements;

    @Pattern(Constants.CLASSAD_EXPRESSION_PATTERN)
    @Size(max = 4096)
    @JsonPropertyDescription("ClassAd expression ranking matching machines (higher is preferred), on one line. HTCondor: rank. Slurm: not used.")
    private String rank;

    @Size(max = 32)
    @JsonPropertyDescription("Custom attributes of the job ad, each written as MY.<name> = <value>; names are unique and must not start with HpcBridge (the operator's own). Slurm: not used.")
    private List<ClassAdAttribute> attributes = new ArrayList<>();

    public String getAccountingGroup() { return accountingGroup; }
    public void setAccountingGroup(String accountingGroup) { this.accountingGroup = accountingGroup; }
    public String getRequirements() { return requirements; }
    public void setRequirements(String requirements) { this.requirements = requirements; }
    public String getRank() { return rank; }
    public void setRank(String rank) { this.rank = rank; }
    public List<ClassAdAttribute> getAttributes() { return attributes; }
    public void setAttributes(List<ClassAdAttribute> attributes) { this.attributes = attributes == null ? new ArrayList<>() : attributes; }
}
