package io.hpcbridge.campaign;

/** Why a campaign spec cannot be accepted: a CamelCase reason for conditions and a message naming the culprits. */
public record PlanProblem(String reason, String message) {
    public static final String DEPENDENCY_CYCLE = "DependencyCycle";
    public static final String UNKNOWN_DEPENDENCY = "UnknownDependency";
    public static final String DUPLICATE_TASK_NAME = "DuplicateTaskName";
    public static final String UNKNOWN_PROCESSING_BLOCK = "UnknownProcessingBlock";
    public static final String DUPLICATE_PROCESSING_BLOCK = "DuplicateProcessingBlock";
    public static final String INVALID_RESOURCES = "InvalidResources";
    public static final String INVALID_TASK = "InvalidTask";
    public static final String INVALID_NAME = "InvalidName";
}
