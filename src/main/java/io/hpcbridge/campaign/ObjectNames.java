package io.hpcbridge.campaign;

/** Names of the objects and remote directories the operator creates; one place so tests never guess them. */
public final class ObjectNames {
    private ObjectNames() {
    }

    public static String task(String campaign, String taskName) {
        return campaign + "-" + taskName;
    }

    public static String attempt(String taskObjectName, int index) {
        return taskObjectName + "-" + index;
    }

    public static String processingBlock(String campaign, String blockName) {
        return campaign + "-" + blockName;
    }

    /** {@code <workRoot>/<namespace>/<campaign>/<task>/<index>}: one directory per attempt, never reused. */
    public static String workDir(String workRoot, String namespace, String campaign, String taskName, int index) {
        String root = workRoot.endsWith("/") ? workRoot.substring(0, workRoot.length() - 1) : workRoot;
        return root + "/" + namespace + "/" + campaign + "/" + taskName + "/" + index;
    }
}
