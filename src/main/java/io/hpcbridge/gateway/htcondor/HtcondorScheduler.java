package io.hpcbridge.gateway.htcondor;

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
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The HTCondor adapter. Every command comes from {@link HtcondorCommands}, every submit file from
 * {@link HtcondorSubmitDescription}, every answer is read by {@link HtcondorOutput} and {@link HtcondorStates}; this
 * class only decides which commands to run and how to combine their answers.
 * <p>
 * Load rule: a poll is one condor_q for all jobs of this installation ({@code HpcBridgeInstance}) plus, only for
 * tracked jobs that left the queue or ended there, condor_history in chunks of {@link HtcondorCommands#HISTORY_CHUNK}.
 * <p>
 * Stateless and thread-safe.
 */
@ApplicationScoped
@Unremovable
@SchedulerAdapter(SchedulerType.HTCONDOR)
public class HtcondorScheduler implements BatchScheduler {

    private static final Logger LOG = Logger.getLogger(HtcondorScheduler.class);

    /** Clock skew allowed between this operator and the schedd when filtering by QDate. */
    static final Duration SKEW = Duration.ofDays(1);

    private final String installation;

    /**
     * @param installation this operator installation's name, written into every job as {@code HpcBridgeInstance}; a
     *                     plain word (no quotes, backslashes, whitespace or control characters)
     */
    @Inject
    public HtcondorScheduler(@ConfigProperty(name = "hpcbridge.installation", defaultValue = "hpc-bridge") String installation) {
        this.installation = HtcondorCommands.requireWord("hpcbridge.installation", installation);
    }

    public String installation() {
        return installation;
    }

    @Override
    public String version(RemoteShell shell) throws RemoteException {
        CommandResult r = shell.exec(RemoteOperation.VERSION, HtcondorCommands.version());
        if (!r.ok()) {
            throw failed("condor_version", r);
        }
        return HtcondorOutput.parseVersion(r.stdout());
    }

    @Override
    public List<String> validate(ResourceRequest request) {
        return HtcondorCommands.problems(request);
    }

    /**
     * Invalid requests are Rejected without touching the shell. The others are submitted in as few condor_submit calls
     * as possible: one per run of consecutive requests of one {@link HtcondorSubmitDescription#shape}, normally one for
     * the whole batch. Each call uploads its description ({@code job.sub} in the first request's work directory) and
     * runs {@code condor_submit -terse} on it.
     */
    @Override
    public List<SubmitOutcome> submit(RemoteShell shell, List<SubmitRequest> requests) {
        SubmitOutcome[] outcomes = new SubmitOutcome[requests.size()];
        List<Integer> group = new ArrayList<>();
        List<String> groupShape = null;
        for (int i = 0; i < requests.size(); i++) {
            SubmitRequest request = requests.get(i);
            List<String> problems = HtcondorSubmitDescription.problems(request, installation);
            if (!problems.isEmpty()) {
                outcomes[i] = new SubmitOutcome.Rejected(HtcondorOutput.bounded("invalid request: " + String.join("; ", problems)));
                continue;
            }
            List<String> shape = HtcondorSubmitDescription.shape(request);
            if (!group.isEmpty() && !shape.equals(groupShape)) {
                submitGroup(shell, requests, group, outcomes);
                group = new ArrayList<>();
            }
            group.add(i);
            groupShape = shape;
        }
        if (!group.isEmpty()) {
            submitGroup(shell, requests, group, outcomes);
        }
        return List.copyOf(Arrays.asList(outcomes));
    }

    /**
     * Exit 0 with exactly one id per request → Submitted, in order. Exit 0 with anything else, a lost channel, or
     * "Failed to commit" → Unconfirmed for all: the cluster may exist, so the caller looks the identities up before
     * submitting again. Any other non-zero exit → TryLater (schedd unreachable) or Rejected, for all.
     */
    private void submitGroup(RemoteShell shell, List<SubmitRequest> requests, List<Integer> indexes, SubmitOutcome[] outcomes) {
        List<SubmitRequest> batch = indexes.stream().map(requests::get).toList();
        SubmitOutcome all;
        String path = HtcondorSubmitDescription.path(batch);
        String description;
        try {
            description = HtcondorSubmitDescription.render(batch, installation);
        } catch (IllegalArgumentException e) {
            fill(outcomes, indexes, new SubmitOutcome.Rejected(HtcondorOutput.bounded("invalid request: " + e.getMessage())));
            return;
        }
        try {
            shell.upload(path, description.getBytes(StandardCharsets.UTF_8), 0644);
        } catch (RemoteException e) {
            // Nothing was given to condor_submit yet.
            fill(outcomes, indexes, new SubmitOutcome.TryLater(HtcondorOutput.bounded("could not upload " + path + ": "
                    + e.getMessage())));
            return;
        }
        CommandResult r;
        try {
            r = shell.exec(RemoteOperation.SUBMIT, HtcondorCommands.submit(path));
        } catch (RemoteException e) {
            fill(outcomes, indexes, new SubmitOutcome.Unconfirmed(HtcondorOutput.bounded("condor_submit did not answer: "
                    + e.getMessage())));
            return;
        }
        if (!r.ok()) {
            all = HtcondorOutput.classifySubmitFailure(r.exitStatus(), r.stderr(), r.stdout());
            fill(outcomes, indexes, all);
            return;
        }
        List<String> ids;
        try {
            ids = HtcondorOutput.parseTerse(r.stdout());
        } catch (RemoteException e) {
            ids = List.of();
        }
        if (ids.size() != batch.size()) {
            fill(outcomes, indexes, new SubmitOutcome.Unconfirmed(HtcondorOutput.bounded("condor_submit succeeded but printed "
                    + ids.size() + " job ids for " + batch.size() + " jobs: " + r.stdout() + " " + r.stderr())));
            return;
        }
        for (int k = 0; k < indexes.size(); k++) {
            outcomes[indexes.get(k)] = new SubmitOutcome.Submitted(ids.get(k));
        }
    }

    /**
     * Throws when condor_q fails or its answer is garbled. When only condor_history fails or is garbled, the poll still
     * succeeds with what the queue said and {@code historyAnswered=false}: a history outage must not hide live status.
     * <p>
     * condor_q runs even with no tracked job, so that {@code liveOwnedJobs} is always current.
     */
    @Override
    public PollResult poll(RemoteShell shell, Collection<TrackedJob> jobs) throws RemoteException {
        CommandResult q = shell.exec(RemoteOperation.POLL, HtcondorCommands.queueAll(installation));
        List<HtcondorJobAd> queue = queueAnswer(q);
        int live = (int) queue.stream().filter(ad -> !ad.ended()).count();

        Map<String, TrackedJob> tracked = new LinkedHashMap<>();
        for (TrackedJob t : jobs) {
            tracked.put(t.jobId(), t);
        }
        Map<String, JobObservation> result = new LinkedHashMap<>();
        for (HtcondorJobAd ad : queue) {
            TrackedJob t = tracked.get(ad.jobId());
            if (t != null && ad.belongsTo(t.identity())) {
                result.put(ad.jobId(), HtcondorStates.observation(ad, false));
            }
        }
        List<String> needHistory = tracked.keySet().stream()
                .filter(id -> !result.containsKey(id) || result.get(id).ended())
                .filter(HtcondorCommands::isJobId)
                .toList();
        boolean historyAnswered = true;
        for (List<String> command : HtcondorCommands.historyChunked(installation, needHistory)) {
            CommandResult h = shell.exec(RemoteOperation.HISTORY, command);
            List<HtcondorJobAd> ads;
            try {
                if (!h.ok()) {
                    throw failed("condor_history", h);
                }
                ads = HtcondorOutput.parseAds(h.stdout(), "condor_history");
            } catch (RemoteException e) {
                // The history file is shared by every chunk: once it fails, the next chunks would only add load.
                historyAnswered = false;
                LOG.warnf("condor_history failed on %s, using queue states only: %s", shell.endpoint(), e.getMessage());
                break;
            }
            for (HtcondorJobAd ad : ads) {
                TrackedJob t = tracked.get(ad.jobId());
                if (t != null && ad.belongsTo(t.identity())) {
                    // Newest record first: after an id reuse the older record of the same token cannot exist.
                    result.merge(ad.jobId(), HtcondorStates.observation(ad, true), HtcondorScheduler::preferFinal);
                }
            }
        }
        return new PollResult(Map.copyOf(result), live, historyAnswered);
    }

    /**
     * Queue and history, both by identity (token and name), merged by job id: a history record is final for an ended
     * job, the queue wins for a live one. Jobs queued more than a day (clock skew) before {@code since} are left out;
     * the rest are sorted by QDate, oldest first. Throws when either source fails or is garbled: "no job" must never
     * be concluded from a missing answer, or a job would be duplicated.
     */
    @Override
    public List<JobObservation> findByIdentity(RemoteShell shell, JobIdentity identity, Instant since) throws RemoteException {
        Objects.requireNonNull(since, "since");
        List<String> queueCommand;
        List<String> historyCommand;
        try {
            queueCommand = HtcondorCommands.queueByIdentity(identity);
            historyCommand = HtcondorCommands.historyByIdentity(identity);
        } catch (IllegalArgumentException e) {
            throw new RemoteException("cannot look this identity up in HTCondor: " + e.getMessage(), e);
        }
        CommandResult q = shell.exec(RemoteOperation.FIND, queueCommand);
        List<HtcondorJobAd> queue = queueAnswer(q);
        CommandResult h = shell.exec(RemoteOperation.FIND, historyCommand);
        if (!h.ok()) {
            throw failed("condor_history", h);
        }
        List<HtcondorJobAd> history = HtcondorOutput.parseAds(h.stdout(), "condor_history");

        Map<String, JobObservation> byId = new LinkedHashMap<>();
        for (HtcondorJobAd ad : queue) {
            if (ad.belongsTo(identity)) {
                byId.merge(ad.jobId(), HtcondorStates.observation(ad, false), HtcondorScheduler::preferFinal);
            }
        }
        for (HtcondorJobAd ad : history) {
            if (ad.belongsTo(identity)) {
                byId.merge(ad.jobId(), HtcondorStates.observation(ad, true), HtcondorScheduler::preferFinal);
            }
        }
        Instant from = since.minus(SKEW);
        return byId.values().stream()
                .filter(o -> o.submitTime() == null || !o.submitTime().isBefore(from))
                .sorted(Comparator.comparing(JobObservation::submitTime, Comparator.nullsLast(Comparator.naturalOrder())))
                .toList();
    }

    /**
     * {@code condor_rm -reason <CANCEL_REASON>} in chunks of {@link HtcondorCommands#RM_CHUNK}. Jobs not found (already
     * left the queue) or already marked for removal count as done; any other failure throws.
     */
    @Override
    public void cancel(RemoteShell shell, Collection<String> jobIds) throws RemoteException {
        List<List<String>> commands;
        try {
            commands = HtcondorCommands.cancel(jobIds);
        } catch (IllegalArgumentException e) {
            throw new RemoteException("cannot cancel: " + e.getMessage(), e);
        }
        for (List<String> command : commands) {
            CommandResult r = shell.exec(RemoteOperation.CANCEL, command);
            String problem = HtcondorOutput.cancelProblem(r.exitStatus(), r.stdout(), r.stderr());
            if (problem != null) {
                throw new RemoteException("condor_rm failed: " + problem);
            }
        }
    }

    /** condor_q's answer: non-zero exit, a "Failed to fetch ads" or garbled JSON throw. */
    private static List<HtcondorJobAd> queueAnswer(CommandResult q) throws RemoteException {
        if (!q.ok() || (q.stderr() != null && q.stderr().contains("Failed to fetch ads"))) {
            throw failed("condor_q", q);
        }
        return HtcondorOutput.parseAds(q.stdout(), "condor_q");
    }

    /**
     * Of two records for one job id, the one to keep: an ended history record is final; otherwise the queue (live)
     * wins; a history record stands in only where the queue has none. Of two records from one source, the first.
     */
    static JobObservation preferFinal(JobObservation existing, JobObservation incoming) {
        if (existing.fromHistory() == incoming.fromHistory()) {
            return existing;
        }
        JobObservation history = existing.fromHistory() ? existing : incoming;
        JobObservation queue = history == existing ? incoming : existing;
        return history.ended() ? history : queue;
    }

    private static void fill(SubmitOutcome[] outcomes, List<Integer> indexes, SubmitOutcome outcome) {
        for (int i : indexes) {
            outcomes[i] = outcome;
        }
    }

    private static RemoteException failed(String command, CommandResult r) {
        String text = r.stderr() == null || r.stderr().isBlank() ? r.stdout() : r.stderr();
        return new RemoteException(command + " failed with exit status " + r.exitStatus() + ": " + HtcondorOutput.bounded(text));
    }
}
