package io.hpcbridge.gateway;

import io.hpcbridge.api.v1alpha1.Resources;

/**
 * Everything a scheduler needs to submit one attempt whose files are already uploaded.
 *
 * @param scriptPath the uploaded wrapper script that the scheduler runs
 * @param requeue    whether the scheduler may requeue the job itself (same job id) after preemption or node failure
 */
public record SubmitRequest(JobIdentity identity, String workDir, String scriptPath, String stdoutPath, String stderrPath,
        Resources resources, boolean requeue) {

    /** A job the scheduler must not requeue by itself. */
    public SubmitRequest(JobIdentity identity, String workDir, String scriptPath, String stdoutPath, String stderrPath,
            Resources resources) {
        this(identity, workDir, scriptPath, stdoutPath, stderrPath, resources, false);
    }
}
