package io.hpcbridge.campaign;

/** Why a campaign spec cannot be accepted: a CamelCase reason for conditions and a message naming the culprits. */
public record PlanProblem(String reason, String message) {
    public static final String DEPENDENCY_CYCLE = "DependencyCycle";
    public static final String UNKNOWN_DEPENDENCY = "UnknownDependency";
    public static final String DUPLICATE_TASK_NAME = "DuplicateTaskName";
    public static final String UNKNOWN_PROCESSING_BLOCK = "UnknownProcessingBlock";
    public static final String DUPLICATE_PROCESSING_BLOCK = "DuplicateProcessingBlock";
    public static final String INVALID_RESOURCES = "InvalidResources";
    /** A retryStrategy that cannot be applied: escalation factors below 1, unparsable maxima or backoff durations. */
    public static final String INVALID_RETRY_STRATEGY = "InvalidRetryStrategy";
    /** A matrix or shards that cannot be expanded. */
    public static final String INVALID_SWEEP = "InvalidSweep";
    /** The campaign expands to more Tasks than hpcbridge.campaign.max-tasks allows. */
    public static final String SWEEP_TOO_LARGE = "SweepTooLarge";
    public static final String INVALID_TASK = "InvalidTask";
    public static final String INVALID_NAME = "InvalidName";
}
