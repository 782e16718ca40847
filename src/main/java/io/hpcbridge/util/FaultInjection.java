package io.hpcbridge.util;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.jboss.logging.Logger;

/**
 * Test-only crash points. {@code HPCB_FAULT_HALT=after-intent:0.1,after-submit:0.3} halts the JVM at once (as a
 * SIGKILL would: no shutdown hooks, nothing flushed) with the given probability when a point is reached. Unset in
 * production, where every call is a map lookup that finds nothing.
 */
public final class FaultInjection {
    private static final Logger LOG = Logger.getLogger(FaultInjection.class);
    private static final Map<String, Double> POINTS = parse(System.getenv("HPCB_FAULT_HALT"));

    /** After the Submitting intent is persisted, before any remote call. */
    public static final String AFTER_INTENT = "after-intent";
    /** After the scheduler accepted the job, before its id is persisted. */
    public static final String AFTER_SUBMIT = "after-submit";
    /** After the job id is persisted. */
    public static final String AFTER_PERSIST = "after-persist";

    private FaultInjection() {
    }

    public static void point(String name) {
        Double p = POINTS.get(name);
        if (p != null && ThreadLocalRandom.current().nextDouble() < p) {
            LOG.errorf("fault injection: halting at %s", name);
            Runtime.getRuntime().halt(137);
        }
    }

    static Map<String, Double> parse(String spec) {
        Map<String, Double> points = new HashMap<>();
        if (spec == null || spec.isBlank()) {
            return points;
        }
        for (String part : spec.split(",")) {
            String[] kv = part.trim().split(":");
            points.put(kv[0], kv.length > 1 ? Double.parseDouble(kv[1]) : 1.0);
        }
        return points;
    }
}
