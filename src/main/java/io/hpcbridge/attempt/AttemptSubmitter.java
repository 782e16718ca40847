package io.hpcbridge.attempt;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import io.hpcbridge.api.v1alpha1.TaskAttempt;
import io.hpcbridge.gateway.BatchScheduler;
import io.hpcbridge.gateway.CommandResult;
import io.hpcbridge.gateway.JobIdentity;
import io.hpcbridge.gateway.JobObservation;
import io.hpcbridge.gateway.RemoteException;
import io.hpcbridge.gateway.RemoteShell;
import io.hpcbridge.gateway.SubmitOutcome;
import io.hpcbridge.gateway.SubmitRequest;

/**
 * The remote half of a submission, in the only safe order: look for an existing job first (when an earlier try may
 * have reached the scheduler), claim the attempt's own work directory, upload the files, submit.
 */
final class AttemptSubmitter {
    /** Exit status of the work-directory claim when the directory belongs to something else. */
    static final int WORK_DIR_TAKEN = 45;

    /**
     * Creates the parent directories, then the attempt's directory, and claims it with the token. A directory that
     * exists with another token, or with files but no token, is someone else's evidence and is left untouched.
     */
    private static final String CLAIM_WORK_DIR = """
            mkdir -p -- "$(dirname -- "$1")" || exit 1
            mkdir -- "$1" 2>/dev/null
            if [ -f "$1/.hpcb-attempt" ]; then
              [ "$(cat -- "$1/.hpcb-attempt")" = "$2" ] || exit 45
            else
              [ -d "$1" ] || exit 1
              [ -z "$(ls -A -- "$1")" ] || exit 45
              printf '%s' "$2" > "$1/.hpcb-attempt" || exit 1
            fi
            """;

    private AttemptSubmitter() {
    }

    static JobIdentity identity(TaskAttempt attempt) {
        return JobIdentity.of(attempt.getMetadata().getNamespace(), attempt.getMetadata().getName(), attempt.getMetadata().getUid());
    }

    /**
     * @param lookFirst true when an earlier try may have submitted (the intent was persisted by an earlier
     *                  reconcile): then an existing job is adopted and nothing new is submitted
     */
    static SubmitResult submit(BatchScheduler scheduler, RemoteShell shell, TaskAttempt attempt, boolean lookFirst, Instant since,
            boolean allowRequeue)
            throws RemoteException {
        JobIdentity identity = identity(attempt);
        if (lookFirst) {
            List<JobObservation> existing = scheduler.findByIdentity(shell, identity, since);
            if (!existing.isEmpty()) {
                return new SubmitResult.Adopted(existing);
            }
        }
        JobFiles files = JobFiles.of(attempt);
        CommandResult claim = shell.exec(List.of("sh", "-c", CLAIM_WORK_DIR, "claim", files.workDir(), identity.token()));
        if (claim.exitStatus() == WORK_DIR_TAKEN) {
            return new SubmitResult.Rejected(AttemptReasons.WORK_DIR_CONFLICT, "work directory " + files.workDir()
                    + " already holds files of another attempt; they are kept as they are. Move them away to run this attempt.");
        }
        if (!claim.ok()) {
            throw new RemoteException("could not create work directory " + files.workDir() + ": " + claim.stderr().strip());
        }
        String script = attempt.getSpec().getScript();
        shell.upload(files.userScript(), script.getBytes(StandardCharsets.UTF_8), JobFiles.hasShebang(script) ? 0755 : 0644);
        shell.upload(files.wrapper(), files.renderWrapper(attempt).getBytes(StandardCharsets.UTF_8), 0755);
        SubmitOutcome outcome = scheduler.submit(shell, new SubmitRequest(identity, files.workDir(), files.wrapper(),
                files.stdout(), files.stderr(), attempt.getSpec().getResources(), allowRequeue));
        if (outcome instanceof SubmitOutcome.Submitted s) {
            return new SubmitResult.Submitted(s.jobId());
        }
        if (outcome instanceof SubmitOutcome.Rejected r) {
            return new SubmitResult.Rejected(AttemptReasons.SUBMIT_REJECTED, r.message());
        }
        return new SubmitResult.Deferred(((SubmitOutcome.TryLater) outcome).message());
    }
}
