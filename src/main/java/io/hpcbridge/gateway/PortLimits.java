package io.hpcbridge.gateway;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What every adapter shares: the checks of a request's common fields, the bound on scheduler messages carried into
 * statuses and events, chunking of id lists, and rounding of byte counts to a scheduler's unit. Pure functions.
 */
public final class PortLimits {
    /** Bound for scheduler messages carried into statuses and events. */
    public static final int MAX_MESSAGE_BYTES = 4096;
    /** Far beyond any real wall-time limit; guards the arithmetic and catches typos. */
    public static final long MAX_WALL_TIME_SECONDS = Duration.ofDays(3650).toSeconds();
    public static final long KIB = 1024L;
    public static final long MIB = 1024L * 1024;

    private PortLimits() {
    }

    /**
     * Problems of the fields every scheduler has, each naming its field: CPUs at least 1, memory, wall time and disk
     * positive (zero means "all the node's memory" or "no limit" to some schedulers, and must never be sent by
     * accident), wall time within {@link #MAX_WALL_TIME_SECONDS}, GPUs not negative.
     */
    public static List<String> commonProblems(ResourceRequest r) {
        List<String> problems = new ArrayList<>();
        if (r == null) {
            return problems;
        }
        if (r.cpus() != null && r.cpus() < 1) {
            problems.add("resources.cpus must be at least 1, got " + r.cpus());
        }
        if (r.memoryBytes() != null && r.memoryBytes() <= 0) {
            problems.add("resources.memory must be positive");
        }
        if (r.wallTime() != null) {
            long seconds = r.wallTime().toSeconds();
            if (seconds <= 0) {
                problems.add("resources.time must be positive");
            } else if (seconds > MAX_WALL_TIME_SECONDS) {
                problems.add("resources.time is too large: " + r.wallTime());
            }
        }
        if (r.gpus() != null && r.gpus() < 0) {
            problems.add("resources.gpus must not be negative, got " + r.gpus());
        }
        if (r.diskBytes() != null && r.diskBytes() <= 0) {
            problems.add("resources.disk must be positive");
        }
        return problems;
    }

    /** Bytes in whole units, rounded up so that a job never gets less than it asked for (1G = 953.67 MiB → 954). */
    public static long roundUp(long bytes, long unit) {
        return (bytes + unit - 1) / unit;
    }

    /** Splits into consecutive sublists of at most {@code size} elements. */
    public static <T> List<List<T>> chunks(List<T> items, int size) {
        List<List<T>> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i += size) {
            out.add(List.copyOf(items.subList(i, Math.min(items.size(), i + size))));
        }
        return out;
    }

    /** Trimmed and cut to at most {@link #MAX_MESSAGE_BYTES} UTF-8 bytes, never inside a character. */
    public static String bounded(String text) {
        String t = text == null ? "" : text.strip();
        if (t.getBytes(StandardCharsets.UTF_8).length <= MAX_MESSAGE_BYTES) {
            return t;
        }
        StringBuilder sb = new StringBuilder();
        int bytes = 0;
        int limit = MAX_MESSAGE_BYTES - 3; // room for the ellipsis
        for (int i = 0; i < t.length(); ) {
            int cp = t.codePointAt(i);
            int n = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + n > limit) {
                break;
            }
            sb.appendCodePoint(cp);
            bytes += n;
            i += Character.charCount(cp);
        }
        return sb.append('…').toString();
    }
}
