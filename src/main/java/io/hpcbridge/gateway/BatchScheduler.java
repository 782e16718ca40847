package io.hpcbridge.gateway;

import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * The scheduler-neutral port. Slurm and HTCondor are adapters; each builds its commands and parses their output in
 * pure, table-tested functions, and speaks to the login node only through a {@link RemoteShell}.
 */
public interface BatchScheduler {

    /** The scheduler's version string; also a cheap check that the scheduler answers. */
    String version(RemoteShell shell) throws RemoteException;

    /** Submits one attempt. Transport failures throw; answers of the scheduler come back as outcomes. */
    SubmitOutcome submit(RemoteShell shell, SubmitRequest request) throws RemoteException;

    /**
     * Every job that carries this identity, submitted at or after {@code since}, from the queue and accounting, newest
     * last. Used before any (re)submission so that a job submitted before a crash is adopted, never duplicated.
     */
    List<JobObservation> findByIdentity(RemoteShell shell, JobIdentity identity, Instant since) throws RemoteException;

    /**
     * One batched look at all tracked jobs: one queue query for all of them, then accounting only for those that left
     * the queue or ended there, in bounded chunks. Throws when any answer is missing or garbled, so that a bad poll
     * changes nothing.
     */
    PollResult poll(RemoteShell shell, Collection<TrackedJob> jobs) throws RemoteException;

    /** Asks the scheduler to cancel these jobs, in bounded batches. */
    void cancel(RemoteShell shell, Collection<String> jobIds) throws RemoteException;
}
