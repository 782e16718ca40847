package io.hpcbridge.gateway;

import java.time.Instant;

/**
 * One job as the scheduler described it in one poll.
 *
 * @param rawState   the scheduler's own word, e.g. {@code CANCELLED by 1001}
 * @param exitCode   exit status when the script exited normally, else null
 * @param signal     the signal that killed the script, else null
 * @param detail     the scheduler's reason or remark, e.g. a pending reason or who cancelled
 * @param fromAccounting true when the record comes from accounting (final for terminal states), false from the queue
 */
public record JobObservation(String jobId, String name, RemoteState state, String rawState, Integer exitCode, Integer signal,
        String detail, Instant submitTime, Instant startTime, Instant endTime, boolean fromAccounting) {
}
