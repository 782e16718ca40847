package io.hpcbridge.gateway;

import java.time.Instant;

/**
 * Why a job is held, as the scheduler says it, and what the adapter makes of it.
 *
 * @param kind    how the operator treats the hold
 * @param limit   for {@link Kind#LIMIT}: the limit the job broke (TIME_LIMIT, MEMORY_LIMIT or DISK_LIMIT), else null
 * @param code    the scheduler's hold code, when it has one (HTCondor's HoldReasonCode)
 * @param subcode the scheduler's hold subcode, when it has one
 * @param reason  the scheduler's text, bounded
 * @param since   when the job entered the held state, when known
 */
public record Hold(Kind kind, EndCause limit, Integer code, Integer subcode, String reason, Instant since) {
    public enum Kind {
        /** A person's hold (or a job submitted on hold): it waits for a release, however long. */
        USER,
        /** The job broke a resource limit: the attempt ends now with {@link #limit()}, and the job is removed. */
        LIMIT,
        /** Any other hold (policy, infrastructure): waits up to the cluster's heldTimeout, then the attempt fails. */
        OTHER
    }

    public Hold {
        if (kind == Kind.LIMIT && limit == null) {
            throw new IllegalArgumentException("a LIMIT hold names the limit");
        }
    }
}
