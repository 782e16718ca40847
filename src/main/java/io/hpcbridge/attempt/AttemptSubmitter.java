package io.hpcbridge.attempt;

import java.time.Instant;
import java.util.List;

import io.hpcbridge.api.v1alpha1.TaskAttempt;
import io.hpcbridge.cluster.ClusterSession;
import io.hpcbridge.cluster.SharedFilesystem;
import io.hpcbridge.gateway.JobIdentity;
import io.hpcbridge.gateway.JobObservation;
import io.hpcbridge.gateway.RemoteException;
import io.hpcbridge.gateway.ResourceRequest;
import io.hpcbridge.gateway.SubmitOutcome;
import io.hpcbridge.gateway.SubmitRequest;

/**
 * The remote half of a submission, in the only safe order: look for an existing job first (when an earlier try may
 * have reached the scheduler), check the request, claim the attempt's own work directory, write the files, submit.
 * Everything goes through the cluster's session.
 */
final class AttemptSubmitter {
    private AttemptSubmitter() {
    }

    static JobIdentity identity(TaskAttempt attempt) {
        return JobIdentity.of(attempt.getMetadata().getNamespace(), attempt.getMetadata().getName(), attempt.getMetadata().getUid());
    }

    /**
     * @param lookFirst true when an earlier try may have submitted (the intent was persisted by an earlier
     *                  reconcile): then an existing job is adopted and nothing new is submitted
     */
    static SubmitResult submit(ClusterSession session, TaskAttempt attempt, boolean lookFirst, Instant since) throws RemoteException {
        JobIdentity identity = identity(attempt);
        if (lookFirst) {
            List<JobObservation> existing = session.findByIdentity(identity, since);
            if (!existing.isEmpty()) {
                return new SubmitResult.Adopted(existing);
            }
        }
        ResourceRequest resources;
        try {
            resources = ResourceRequests.of(attempt.getSpec().getResources(), session.schedulerType());
        } catch (IllegalArgumentException e) {
            return new SubmitResult.Rejected(AttemptReasons.INVALID_SUBMISSION, e.getMessage());
        }
        List<String> problems = session.validate(resources);
        if (!problems.isEmpty()) {
            // The request cannot be expressed for this scheduler: nothing is uploaded, and trying again cannot help.
            return new SubmitResult.Rejected(AttemptReasons.INVALID_SUBMISSION, String.join("; ", problems));
        }
        JobFiles files = JobFiles.of(attempt);
        SharedFilesystem fs = session.files();
        if (fs.claim(files.workDir(), identity.token()) == SharedFilesystem.Claim.TAKEN) {
            return new SubmitResult.Rejected(AttemptReasons.WORK_DIR_CONFLICT, "work directory " + files.workDir()
                    + " already holds files of another attempt; they are kept as they are. Move them away to run this attempt.");
        }
        String script = attempt.getSpec().getScript();
        fs.write(files.userScript(), script, JobFiles.hasShebang(script) ? 0755 : 0644);
        fs.write(files.wrapper(), files.renderWrapper(attempt), 0755);
        SubmitOutcome outcome = session.submit(new SubmitRequest(identity, files.workDir(), files.wrapper(), files.stdout(),
                files.stderr(), resources, session.allowRequeue()));
        if (outcome instanceof SubmitOutcome.Submitted s) {
            return new SubmitResult.Submitted(s.jobId());
        }
        if (outcome instanceof SubmitOutcome.Rejected r) {
            return new SubmitResult.Rejected(AttemptReasons.SUBMIT_REJECTED, r.message());
        }
        if (outcome instanceof SubmitOutcome.TryLater t) {
            return new SubmitResult.Deferred(t.message());
        }
        // Unconfirmed: the job may exist; the next try looks it up before it would submit again.
        throw new RemoteException(((SubmitOutcome.Unconfirmed) outcome).message());
    }
}
