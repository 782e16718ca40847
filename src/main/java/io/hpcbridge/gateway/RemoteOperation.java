package io.hpcbridge.gateway;

import java.util.Locale;

/**
 * What a remote command is for, in the port's words. Metrics are labelled with these, never with a scheduler's program
 * names, so dashboards read the same for every scheduler.
 */
public enum RemoteOperation {
    /** The scheduler's version: also the cheap check that it answers. */
    VERSION,
    SUBMIT,
    /** The one batched query of the live queue. */
    POLL,
    /** Accounting or history, for jobs that left the queue. */
    HISTORY,
    /** Looking a job up by identity before a (re)submission, a cancel without a job id, or a loss. */
    FIND,
    CANCEL,
    /** The work directory on the shared filesystem: claim, upload, exit-code files, stderr tails. */
    FILES;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
