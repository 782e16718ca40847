package io.hpcbridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** How many of a campaign's Tasks are in each phase. */
public class TaskCounts {
    @JsonPropertyDescription("All tasks of the campaign.")
    private int total;
    private int pending;
    private int running;
    private int retrying;
    private int succeeded;
    private int failed;
    private int skipped;
    private int cancelled;

    public int getTotal() { return total; }
    public void setTotal(int total) { this.total = total; }
    public int getPending() { return pending; }
    public void setPending(int pending) { this.pending = pending; }
    public int getRunning() { return running; }
    public void setRunning(int running) { this.running = running; }
    public int getRetrying() { return retrying; }
    public void setRetrying(int retrying) { this.retrying = retrying; }
    public int getSucceeded() { return succeeded; }
    public void setSucceeded(int succeeded) { this.succeeded = succeeded; }
    public int getFailed() { return failed; }
    public void setFailed(int failed) { this.failed = failed; }
    public int getSkipped() { return skipped; }
    public void setSkipped(int skipped) { this.skipped = skipped; }
    public int getCancelled() { return cancelled; }
    public void setCancelled(int cancelled) { this.cancelled = cancelled; }

    /** Adds one task in the given phase; a task without a phase yet counts as Pending. */
    public void add(TaskPhase phase) {
        total++;
        switch (phase == null ? TaskPhase.Pending : phase) {
            case Pending -> pending++;
            case Running -> running++;
            case Retrying -> retrying++;
            case Succeeded -> succeeded++;
            case Failed -> failed++;
            case Skipped -> skipped++;
            case Cancelled -> cancelled++;
        }
    }
}
