package io.hpcbridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

// Empty lists and unset fields are left out: a fresh spec must serialize to nothing, because the framework
// server-side-applies fresh objects (e.g. to add finalizers) and anything they carry would be forced onto the live object.
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class HpcClusterSpec {
    @Required
    @JsonPropertyDescription("The batch scheduler: slurm or htcondor.")
    private SchedulerType scheduler;

    @Required
    @Size(min = 1, max = 16)
    @JsonPropertyDescription("Login nodes to submit through, tried in order when one is down.")
    private List<LoginNode> loginNodes = new ArrayList<>();

    @Required
    @Pattern("^[a-z_][a-z0-9_.-]*[$]?$")
    @JsonPropertyDescription("Account name on the login nodes.")
    private String user;

    @Required
    @JsonPropertyDescription("Secret with keys ssh-privatekey and known_hosts. Host keys are always verified.")
    private NameReference credentialsSecretRef;

    @Required
    @Pattern("^/[^\\x00]*$")
    @JsonPropertyDescription("Absolute remote directory under which every attempt gets its own work directory.")
    private String workRoot;

    @Default("30s")
    @Pattern(Constants.DURATION_PATTERN)
    @JsonPropertyDescription("How often the scheduler is asked, in one batched query, about all live jobs.")
    private String pollInterval;

    @Default("15s")
    @Pattern(Constants.DURATION_PATTERN)
    @JsonPropertyDescription("At most one new SSH connection per login node per this interval, so outages never become connection storms.")
    private String connectionInterval;

    @JsonPropertyDescription("When true, jobs are submitted so that the scheduler may requeue them itself after preemption or node failure (same job id, same attempt, counted in status.restartCount). Default false: the operator's retry rules decide.")
    private Boolean allowRequeue;

    @io.fabric8.generator.annotation.Min(1)
    @JsonPropertyDescription("Most live attempts (queued, held, running or settling) of all campaigns together on this cluster; ready tasks beyond it wait with reason ClusterLimit, shared fairly between campaigns. Unlimited when omitted.")
    private Integer maxActiveJobs;

    @JsonPropertyDescription("When true, nothing is submitted and nothing is polled.")
    private Boolean paused;

    @Default("4h")
    @Pattern(Constants.DURATION_PATTERN)
    @JsonPropertyDescription("How long a job may stay held (HTCondor hold other than a user's hold or a memory/disk/time limit) before its attempt ends Failed with reason Held.")
    private String heldTimeout;

    public SchedulerType getScheduler() { return scheduler; }
    public void setScheduler(SchedulerType scheduler) { this.scheduler = scheduler; }
    public List<LoginNode> getLoginNodes() { return loginNodes; }
    public void setLoginNodes(List<LoginNode> loginNodes) { this.loginNodes = loginNodes; }
    public String getUser() { return user; }
    public void setUser(String user) { this.user = user; }
    public NameReference getCredentialsSecretRef() { return credentialsSecretRef; }
    public void setCredentialsSecretRef(NameReference credentialsSecretRef) { this.credentialsSecretRef = credentialsSecretRef; }
    public String getWorkRoot() { return workRoot; }
    public void setWorkRoot(String workRoot) { this.workRoot = workRoot; }
    public String getPollInterval() { return pollInterval; }
    public void setPollInterval(String pollInterval) { this.pollInterval = pollInterval; }
    public String getConnectionInterval() { return connectionInterval; }
    public void setConnectionInterval(String connectionInterval) { this.connectionInterval = connectionInterval; }
    public Integer getMaxActiveJobs() { return maxActiveJobs; }
    public void setMaxActiveJobs(Integer maxActiveJobs) { this.maxActiveJobs = maxActiveJobs; }
    public Boolean getAllowRequeue() { return allowRequeue; }
    public void setAllowRequeue(Boolean allowRequeue) { this.allowRequeue = allowRequeue; }
    public Boolean getPaused() { return paused; }
    public void setPaused(Boolean paused) { this.paused = paused; }
    public String getHeldTimeout() { return heldTimeout; }
    public void setHeldTimeout(String heldTimeout) { this.heldTimeout = heldTimeout; }

    /**
     * Whether the cluster is paused, unset meaning no. Not named isPaused: Jackson would take an is-getter for the
     * property "paused", and its @JsonIgnore would hide spec.paused from the JSON and from the generated CRD.
     */
    @JsonIgnore
    public boolean pausedOrFalse() {
        return Boolean.TRUE.equals(paused);
    }
}
