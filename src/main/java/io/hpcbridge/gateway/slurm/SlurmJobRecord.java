package io.hpcbridge.gateway.slurm;

import io.hpcbridge.gateway.JobIdentity;
import io.hpcbridge.gateway.JobObservation;

/**
 * One parsed squeue or sacct line: the observation plus the job name and comment, which the port's observation does
 * not carry but ownership and the job-id reuse guard need.
 *
 * @param name    Slurm's job name (our identity's name)
 * @param comment Slurm's job comment (our identity token); empty when accounting does not store comments
 */
public record SlurmJobRecord(JobObservation observation, String name, String comment) {

    public String jobId() {
        return observation.jobId();
    }

    /** Named like one of this operator's jobs. */
    public boolean owned() {
        return name != null && name.startsWith(JobIdentity.NAME_PREFIX);
    }

    /**
     * Whether this line describes a job submitted with this identity. A Slurm job id can be reused (counter reset,
     * cluster rebuild), so the id alone proves nothing: the name must match, and the token too whenever Slurm shows a
     * comment (sacct leaves it empty unless AccountingStoreFlags=job_comment).
     */
    public boolean belongsTo(JobIdentity identity) {
        if (!identity.name().equals(name)) {
            return false;
        }
        return comment == null || comment.isEmpty() || comment.equals(identity.token());
    }
}
