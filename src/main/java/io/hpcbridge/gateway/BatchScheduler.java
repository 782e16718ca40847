package io.hpcbridge.gateway;

import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * The scheduler-neutral port. Slurm and HTCondor are adapters, each in its own package, registered with
 * {@link SchedulerAdapter}; each builds its commands and parses their output in pure, table-tested functions, and
 * speaks to the login node only through a {@link RemoteShell}. Every adapter passes the same contract suite.
 */
public interface BatchScheduler {

    /** The scheduler's version string; also a cheap check that the scheduler answers. */
    String version(RemoteShell shell) throws RemoteException;

    /**
     * What is wrong with this request for this scheduler, each problem naming its field (e.g.
     * {@code resources.cpus must be at least 1}); empty when it can be submitted. Pure: asked when a campaign is
     * accepted, so a bad value is refused before anything is uploaded, and again before each submission.
     */
    List<String> validate(ResourceRequest request);

    /**
     * Submits a batch of attempts (a batch of one is fine) and returns one outcome per request, in the same order.
     * Never throws: a request whose fate is unknown (lost channel, ambiguous answer) is
     * {@link SubmitOutcome.Unconfirmed}, and is looked up by identity before it is ever submitted again.
     */
    List<SubmitOutcome> submit(RemoteShell shell, List<SubmitRequest> requests);

    /**
     * Every job that carries this identity, submitted at or after {@code since}, from the queue and history, oldest
     * first. Used before any (re)submission so that a job submitted before a crash is adopted, never duplicated. Throws
     * when either source cannot answer: "no job" must never be concluded from a missing answer.
     */
    List<JobObservation> findByIdentity(RemoteShell shell, JobIdentity identity, Instant since) throws RemoteException;

    /**
     * One batched look at all tracked jobs: one queue query per login node for all of them, then history only for
     * those that left the queue or ended there, in bounded chunks. Throws when the queue's answer is missing or
     * garbled, so that a bad poll changes nothing.
     */
    PollResult poll(RemoteShell shell, Collection<TrackedJob> jobs) throws RemoteException;

    /**
     * Asks the scheduler to end these jobs, in bounded batches. Jobs that are already gone or already ending count as
     * done; the end itself is confirmed by a later poll.
     */
    void cancel(RemoteShell shell, Collection<String> jobIds) throws RemoteException;
}
