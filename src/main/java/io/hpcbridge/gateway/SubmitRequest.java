package io.hpcbridge.gateway;

/**
 * Everything a scheduler needs to submit one attempt whose files are already in its work directory.
 *
 * @param scriptPath   the uploaded wrapper script that the scheduler runs
 * @param allowRestart whether the scheduler may run the job again by itself (same job id) after preemption or node
 *                     failure; otherwise one attempt is one execution and retries belong to the operator
 */
public record SubmitRequest(JobIdentity identity, String workDir, String scriptPath, String stdoutPath, String stderrPath,
        ResourceRequest resources, boolean allowRestart) {
}
