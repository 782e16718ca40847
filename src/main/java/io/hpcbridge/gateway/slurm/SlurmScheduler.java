package io.hpcbridge.gateway.slurm;

import io.hpcbridge.api.v1alpha1.SchedulerType;
import io.hpcbridge.gateway.BatchScheduler;
import io.hpcbridge.gateway.CommandResult;
import io.hpcbridge.gateway.JobIdentity;
import io.hpcbridge.gateway.JobObservation;
import io.hpcbridge.gateway.PollResult;
import io.hpcbridge.gateway.RemoteException;
import io.hpcbridge.gateway.RemoteOperation;
import io.hpcbridge.gateway.RemoteShell;
import io.hpcbridge.gateway.ResourceRequest;
import io.hpcbridge.gateway.SchedulerAdapter;
import io.hpcbridge.gateway.SubmitOutcome;
import io.hpcbridge.gateway.SubmitRequest;
import io.hpcbridge.gateway.TrackedJob;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The Slurm adapter. Every command comes from {@link SlurmCommands}, every answer is read by {@link SlurmOutput}; this
 * class only decides which commands to run and how to combine their answers.
 * <p>
 * Load rule: a poll is one squeue for all of the user's jobs plus, only for tracked jobs that left the queue or ended
 * there, sacct in chunks of {@link SlurmCommands#SACCT_CHUNK}. No command ever names a single job.
 * <p>
 * Stateless and thread-safe.
 */
@ApplicationScoped
@Unremovable
@SchedulerAdapter(SchedulerType.SLURM)
public class SlurmScheduler implements BatchScheduler {

    private static final Logger LOG = Logger.getLogger(SlurmScheduler.class);

    @Override
    public String version(RemoteShell shell) throws RemoteException {
        CommandResult r = shell.exec(RemoteOperation.VERSION, SlurmCommands.version());
        if (!r.ok()) {
            throw failed("sbatch --version", r);
        }
        return SlurmOutput.parseVersion(r.stdout());
    }

    @Override
    public List<String> validate(ResourceRequest request) {
        return SlurmCommands.problems(request);
    }

    /** One sbatch per request: sbatch takes one script. */
    @Override
    public List<SubmitOutcome> submit(RemoteShell shell, List<SubmitRequest> requests) {
        List<SubmitOutcome> outcomes = new ArrayList<>(requests.size());
        for (SubmitRequest request : requests) {
            outcomes.add(submitOne(shell, request));
        }
        return outcomes;
    }

    /**
     * Exit 0 with an id → Submitted. Exit 0 without one, or a lost channel → Unconfirmed: the job may exist, so the
     * caller must look it up by identity rather than submit again. Non-zero → TryLater or Rejected from sbatch's
     * message.
     */
    private static SubmitOutcome submitOne(RemoteShell shell, SubmitRequest request) {
        List<String> argv;
        try {
            argv = SlurmCommands.submit(request);
        } catch (IllegalArgumentException e) {
            return new SubmitOutcome.Rejected("invalid request: " + e.getMessage());
        }
        CommandResult r;
        try {
            r = shell.exec(RemoteOperation.SUBMIT, argv);
        } catch (RemoteException e) {
            return new SubmitOutcome.Unconfirmed("sbatch did not answer: " + e.getMessage());
        }
        if (!r.ok()) {
            return SlurmOutput.classifySubmitFailure(r.exitStatus(), r.stderr(), r.stdout());
        }
        Optional<String> id = SlurmOutput.parseSubmittedJobId(r.stdout());
        if (id.isEmpty()) {
            return new SubmitOutcome.Unconfirmed("sbatch succeeded but printed no job id: "
                    + SlurmOutput.bounded(r.stdout() + " " + r.stderr()));
        }
        return new SubmitOutcome.Submitted(id.get());
    }

    /**
     * Throws when squeue fails or any answer is garbled. When only sacct fails (slurmdbd down, accounting disabled),
     * the poll still succeeds with what the queue said: an accounting outage must not hide live status. The jobs that
     * needed accounting are then absent, or present with their queue state and {@code fromAccounting=false}.
     * <p>
     * squeue runs even with no tracked job, so that {@code liveOwnedJobs} is always current.
     */
    @Override
    public PollResult poll(RemoteShell shell, Collection<TrackedJob> jobs) throws RemoteException {
        CommandResult q = shell.exec(RemoteOperation.POLL, SlurmCommands.squeueAll());
        if (!q.ok()) {
            throw failed("squeue", q);
        }
        List<SlurmJobRecord> queue = SlurmOutput.parseSqueue(q.stdout(), ZoneOffset.UTC);
        int live = (int) queue.stream().filter(r -> r.owned() && !r.observation().ended()).count();

        Map<String, TrackedJob> tracked = new LinkedHashMap<>();
        for (TrackedJob t : jobs) {
            tracked.put(t.jobId(), t);
        }
        Map<String, JobObservation> result = new LinkedHashMap<>();
        for (SlurmJobRecord r : queue) {
            TrackedJob t = tracked.get(r.jobId());
            if (t != null && r.belongsTo(t.identity())) {
                result.put(r.jobId(), r.observation());
            }
        }
        List<String> needAccounting = tracked.keySet().stream()
                .filter(id -> !result.containsKey(id) || result.get(id).ended())
                .filter(SlurmCommands::isJobId)
                .toList();
        boolean accountingAnswered = true;
        for (List<String> command : SlurmCommands.sacctJobsChunked(needAccounting)) {
            CommandResult a = shell.exec(RemoteOperation.HISTORY, command);
            if (!a.ok()) {
                accountingAnswered = false;
                // slurmdbd is shared by every chunk: once it fails, the next chunks would only add load.
                LOG.warnf("sacct failed on %s (exit %d), using queue states only: %s", shell.endpoint(),
                        a.exitStatus(), SlurmOutput.bounded(a.stderr()));
                break;
            }
            for (SlurmJobRecord r : SlurmOutput.parseSacct(a.stdout(), ZoneOffset.UTC)) {
                TrackedJob t = tracked.get(r.jobId());
                if (t != null && r.belongsTo(t.identity())) {
                    result.merge(r.jobId(), r.observation(), SlurmScheduler::preferFinal);
                }
            }
        }
        result.replaceAll((id, o) -> withRestarts(o, tracked.get(id)));
        return new PollResult(Map.copyOf(result), live, accountingAnswered);
    }

    /**
     * Queue and accounting, both by name, merged by job id and filtered by the full identity. Unlike poll, a failing
     * sacct throws: "no job found" must never be concluded from a missing answer, or a job would be duplicated. Only a
     * cluster without accounting at all is answered from the queue alone.
     */
    @Override
    public List<JobObservation> findByIdentity(RemoteShell shell, JobIdentity identity, Instant since)
            throws RemoteException {
        Objects.requireNonNull(since, "since");
        CommandResult q = shell.exec(RemoteOperation.FIND, SlurmCommands.squeueByName(identity.name()));
        if (!q.ok()) {
            throw failed("squeue", q);
        }
        List<SlurmJobRecord> records = new ArrayList<>(SlurmOutput.parseSqueue(q.stdout(), ZoneOffset.UTC));
        CommandResult a = shell.exec(RemoteOperation.FIND, SlurmCommands.sacctByName(identity.name(), since));
        if (a.ok()) {
            records.addAll(SlurmOutput.parseSacct(a.stdout(), ZoneOffset.UTC));
        } else if (!accountingDisabled(a)) {
            throw failed("sacct", a);
        }
        Map<String, JobObservation> byId = new LinkedHashMap<>();
        for (SlurmJobRecord r : records) {
            if (r.belongsTo(identity)) {
                byId.merge(r.jobId(), r.observation(), SlurmScheduler::preferFinal);
            }
        }
        return byId.values().stream()
                .filter(o -> o.submitTime() == null || !o.submitTime().isBefore(since))
                .sorted(Comparator.comparing(JobObservation::submitTime, Comparator.nullsLast(Comparator.naturalOrder())))
                .toList();
    }

    /** Jobs that already ended or are unknown to Slurm count as cancelled; anything else throws. */
    @Override
    public void cancel(RemoteShell shell, Collection<String> jobIds) throws RemoteException {
        for (List<String> command : SlurmCommands.cancel(jobIds)) {
            CommandResult r = shell.exec(RemoteOperation.CANCEL, command);
            if (!r.ok() && !SlurmOutput.isBenignCancelFailure(r.stderr())) {
                throw failed("scancel", r);
            }
        }
    }

    /**
     * Restarts as Slurm shows them: a requeue keeps the job id and moves its submit time, so a submit time later than the
     * one on record (by more than a second) is one more restart. Slurm's own RestartCnt is only in squeue's long format
     * and not in sacct, so the submit time is the witness that both sources carry.
     */
    static JobObservation withRestarts(JobObservation o, TrackedJob tracked) {
        int known = tracked == null || tracked.knownRestarts() == null ? 0 : tracked.knownRestarts();
        Instant knownTime = tracked == null ? null : tracked.knownQueueTime();
        boolean requeued = knownTime != null && o.submitTime() != null && o.submitTime().isAfter(knownTime.plusSeconds(1));
        return o.withRestarts(known + (requeued ? 1 : 0));
    }

    /**
     * Of two records for one job id, the one to keep: a terminal accounting record is final; otherwise the queue (live)
     * wins, since accounting lags behind it; an accounting record stands in only where the queue has none.
     */
    private static JobObservation preferFinal(JobObservation existing, JobObservation incoming) {
        JobObservation acct = existing.fromHistory() ? existing : incoming;
        JobObservation other = acct == existing ? incoming : existing;
        if (acct.fromHistory() && !other.fromHistory()) {
            return acct.ended() ? acct : other;
        }
        // Same source twice (duplicate lines, e.g. after a requeue): keep the most recent submission.
        Instant a = existing.submitTime();
        Instant b = incoming.submitTime();
        return a != null && b != null && b.isBefore(a) ? existing : incoming;
    }

    private static boolean accountingDisabled(CommandResult r) {
        String text = (r.stderr() + " " + r.stdout()).toLowerCase(Locale.ROOT);
        return text.contains("accounting storage is disabled");
    }

    private static RemoteException failed(String command, CommandResult r) {
        String text = r.stderr() == null || r.stderr().isBlank() ? r.stdout() : r.stderr();
        return new RemoteException(command + " failed with exit status " + r.exitStatus() + ": " + SlurmOutput.bounded(text));
    }
}
