package io.hpcbridge.gateway;

/** An observation's state in one word for tables: {@code QUEUED}, {@code HELD}, or {@code ENDED:<cause>}. */
public final class Observed {
    private Observed() {
    }

    public static String of(JobObservation o) {
        return o.state() == JobState.ENDED ? "ENDED:" + o.endCause() : o.state().name();
    }
}
