package io.hpcbridge.util;

import java.math.BigDecimal;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Kubernetes memory quantities (512Mi, 4Gi, 1G, 1000000) as byte counts. */
public final class Quantities {
    private static final Pattern QUANTITY = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(Ki|Mi|Gi|Ti|Pi|Ei|k|K|M|G|T|P|E)?");
    private static final Map<String, BigDecimal> FACTORS = Map.ofEntries(
            Map.entry("", BigDecimal.ONE),
            Map.entry("Ki", BigDecimal.valueOf(1L << 10)), Map.entry("Mi", BigDecimal.valueOf(1L << 20)),
            Map.entry("Gi", BigDecimal.valueOf(1L << 30)), Map.entry("Ti", BigDecimal.valueOf(1L << 40)),
            Map.entry("Pi", BigDecimal.valueOf(1L << 50)), Map.entry("Ei", BigDecimal.valueOf(1L << 60)),
            Map.entry("k", BigDecimal.valueOf(1_000L)), Map.entry("K", BigDecimal.valueOf(1_000L)),
            Map.entry("M", BigDecimal.valueOf(1_000_000L)), Map.entry("G", BigDecimal.valueOf(1_000_000_000L)),
            Map.entry("T", BigDecimal.valueOf(1_000_000_000_000L)), Map.entry("P", BigDecimal.valueOf(1_000_000_000_000_000L)),
            Map.entry("E", BigDecimal.valueOf(1_000_000_000_000_000_000L)));

    private Quantities() {
    }

    /** Bytes, rounded up; throws IllegalArgumentException naming the text when it is not a memory quantity. */
    public static long bytes(String text) {
        Matcher m = text == null ? null : QUANTITY.matcher(text);
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a memory quantity such as 512Mi, 4Gi or 2G");
        }
        BigDecimal bytes = new BigDecimal(m.group(1)).multiply(FACTORS.get(m.group(2) == null ? "" : m.group(2)));
        try {
            return bytes.setScale(0, java.math.RoundingMode.CEILING).longValueExact();
        } catch (ArithmeticException e) {
            // Matches the pattern but does not fit in a long: callers catch IllegalArgumentException, not this.
            throw new IllegalArgumentException("'" + text + "' is too large a memory quantity");
        }
    }

    /**
     * Bytes as the tidiest exact binary quantity, at most Gi: 2147483648 -> "2Gi", 1610612736 -> "1536Mi",
     * 2048 -> "2Ki", 1000 -> "1000", 0 -> "0". {@code bytes(format(n)) == n} for every n >= 0.
     */
    public static String format(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("a memory quantity cannot be negative: " + bytes);
        }
        if (bytes == 0) {
            return "0";
        }
        for (String unit : new String[] {"Gi", "Mi", "Ki"}) {
            long factor = FACTORS.get(unit).longValueExact();
            if (bytes % factor == 0) {
                return bytes / factor + unit;
            }
        }
        return Long.toString(bytes);
    }
}
