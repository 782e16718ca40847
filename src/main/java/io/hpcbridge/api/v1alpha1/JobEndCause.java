package io.hpcbridge.api.v1alpha1;

/**
 * How a job ended, in scheduler-neutral words: what retry policies read (status.endCause). Set by the operator from
 * the scheduler's own report; absent when no job ended (a refused submission, a lost job).
 */
public enum JobEndCause {
    /** The script exited by itself; status.exitCode says with what. */
    Exited,
    /** A signal ended the script; status.signal says which. */
    Signalled,
    TimeLimit,
    MemoryLimit,
    DiskLimit,
    NodeFailure,
    BootFailure,
    Preempted,
    Deadline,
    /** Cancelled by hpc-bridge, or by someone the scheduler does not name. */
    Cancelled,
    /** Removed by someone else: a person, an admin, a pool policy. */
    RemovedExternally,
    /** Any other end, a hold past heldTimeout included. */
    Other
}
