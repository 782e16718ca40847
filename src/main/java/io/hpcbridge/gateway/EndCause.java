package io.hpcbridge.gateway;

/**
 * How a job ended, in the port's words; one table ({@code attempt.EndCauses}) maps each to the public reason and to
 * the retry classification.
 */
public enum EndCause {
    /** The script exited by itself; the exit code says whether it succeeded. */
    EXITED,
    /** A signal ended the script. */
    SIGNALLED,
    /** The job reached its wall-time limit. */
    TIME_LIMIT,
    /** The job used more memory than it asked for. */
    MEMORY_LIMIT,
    /** The job used more scratch disk than it asked for. */
    DISK_LIMIT,
    /** A node the job ran on failed. */
    NODE_FAILURE,
    /** The nodes given to the job could not be booted. */
    BOOT_FAILURE,
    /** The scheduler took the resources back for other work and did not run the job again. */
    PREEMPTED,
    /** The job could not start before its deadline. */
    DEADLINE,
    /** Cancelled by this operator, or by someone the scheduler does not name. */
    CANCELLED,
    /** Removed by someone else (a person, an admin, a pool policy); the observation's detail says who when known. */
    REMOVED_EXTERNALLY,
    /** Any other end. */
    OTHER
}
