package io.hpcbridge.api.v1alpha1;

/** Group, version, label, annotation and finalizer names shared by the API and the operator. */
public final class Constants {
    public static final String GROUP = "hpcbridge.io";
    public static final String VERSION = "v1alpha1";
    public static final String API_VERSION = GROUP + "/" + VERSION;
    public static final String CATEGORY = "hpcbridge";

    /** Labels the operator puts on the objects it creates, so they can be listed per campaign and task. */
    public static final String LABEL_CAMPAIGN = GROUP + "/campaign";
    public static final String LABEL_TASK = GROUP + "/task";
    public static final String LABEL_MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String MANAGED_BY = "hpc-bridge";

    /** On a Task, set by the user: a new value asks for one new attempt of the task (acted on once per value). */
    public static final String ANNOTATION_RERUN = GROUP + "/rerun";
    /** On a Task, with {@link #ANNOTATION_RERUN}: "true" also reruns every task downstream of it. */
    public static final String ANNOTATION_RERUN_DOWNSTREAM = GROUP + "/rerun-downstream";
    /** On a Campaign, set by the user: a new value reruns its Failed, Lost and Cancelled tasks and their Skipped downstream. */
    public static final String ANNOTATION_RETRY_FAILED = GROUP + "/retry-failed";
    /** On a Task, written by the operator: why a task that is ready to run has no attempt yet (e.g. ParallelismLimit). */
    public static final String ANNOTATION_HELD = GROUP + "/held";
    /** On a TaskAttempt, written by the operator: its job is to be cancelled; the value says why. */
    public static final String ANNOTATION_CANCEL = GROUP + "/cancel-requested";

    /** Finalizer on TaskAttempts whose remote job may still be live. */
    public static final String ATTEMPT_FINALIZER = GROUP + "/cancel-remote-job";

    /** A DNS-1123 label: task and block names become parts of object names. */
    public static final String DNS_LABEL_PATTERN = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";
    /** Durations such as 30s, 90m, 1h30m, 2d. */
    public static final String DURATION_PATTERN = "^([0-9]+(s|m|h|d))+$";
    /** A non-negative Kubernetes memory quantity such as 512Mi, 4G or 1000000. */
    public static final String MEMORY_PATTERN = "^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|K|M|G|T|P|E)?$";
    /** A plain scheduler name (partition, account, QOS, reservation): no whitespace, no shell or option syntax. */
    public static final String SCHEDULER_NAME_PATTERN = "^[A-Za-z0-9][A-Za-z0-9_.+@:-]*$";
    /** At least one character, none of them whitespace or a control character. */
    public static final String NO_WHITESPACE_PATTERN = "^[^\\s\\x00-\\x1f\\x7f]+$";
    /** Non-empty text without control characters (tabs included). */
    public static final String NO_CONTROL_PATTERN = "^[^\\x00-\\x1f\\x7f]+$";
    /** A non-empty ClassAd expression on one line: no newline, carriage return or NUL. */
    public static final String CLASSAD_EXPRESSION_PATTERN = "^[^\\x00\\n\\r]+$";
    /** A POSIX shell variable name. */
    public static final String ENV_NAME_PATTERN = "^[A-Za-z_][A-Za-z0-9_]*$";

    private Constants() {
    }
}
