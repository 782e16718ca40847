package io.hpcbridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One line of a Campaign's status.blockedBy: a reason why tasks wait, and how many tasks it holds. */
public class BlockedCount {
    @JsonPropertyDescription("e.g. WaitingForDependencies, ParallelismLimit, ClusterLimit, Suspended, ClusterUnreachable, BackoffUntil.")
    private String reason;

    @JsonPropertyDescription("How many tasks wait for this reason.")
    private int tasks;

    public BlockedCount() {
    }

    public BlockedCount(String reason, int tasks) {
        this.reason = reason;
        this.tasks = tasks;
    }

    public String getReason() { return reason; }
    public void setReason(String reason) { this.reason = reason; }
    public int getTasks() { return tasks; }
    public void setTasks(int tasks) { this.tasks = tasks; }
}
