package io.hpcbridge.gateway;

import io.hpcbridge.api.v1alpha1.Resources;

/**
 * Everything a scheduler needs to submit one attempt whose files are already uploaded.
 *
 * @param scriptPath the uploaded wrapper script that the scheduler runs
 */
public record SubmitRequest(JobIdentity identity, String workDir, String scriptPath, String stdoutPath, String stderrPath,
        Resources resources) {
}
