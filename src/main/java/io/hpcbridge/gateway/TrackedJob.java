package io.hpcbridge.gateway;

import java.time.Instant;

/** A job the operator follows: its id, the identity it was submitted with, and when. */
public record TrackedJob(String jobId, JobIdentity identity, Instant submittedAt) {
}
