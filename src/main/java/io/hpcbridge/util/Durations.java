package io.hpcbridge.util;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as users write them in manifests: 45s, 30m, 1h30m, 2d. */
public final class Durations {
    private static final Pattern WHOLE = Pattern.compile("([0-9]+(s|m|h|d))+");
    private static final Pattern PART = Pattern.compile("([0-9]+)(s|m|h|d)");

    private Durations() {
    }

    /** Parses a duration; throws IllegalArgumentException naming the text when it is not one. */
    public static Duration parse(String text) {
        if (text == null || !WHOLE.matcher(text).matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration such as 30s, 90m, 1h30m or 2d");
        }
        Duration total = Duration.ZERO;
        Matcher m = PART.matcher(text);
        try {
            while (m.find()) {
                long n = Long.parseLong(m.group(1));
                total = total.plus(switch (m.group(2)) {
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                });
            }
        } catch (ArithmeticException | NumberFormatException e) {
            // Matches the pattern but does not fit: callers catch IllegalArgumentException, not these.
            throw new IllegalArgumentException("'" + text + "' is too long a duration");
        }
        return total;
    }

    public static Duration parseOr(String text, Duration fallback) {
        return text == null || text.isBlank() ? fallback : parse(text);
    }

    /**
     * A duration in the form {@link #parse} reads, largest units first and zero parts left out: 2m, 1h30m, 1d12h, 45s,
     * 0s. Fractions of a second are rounded up. {@code parse(format(d)) == d} for every whole-second d >= 0.
     */
    public static String format(Duration duration) {
        if (duration == null || duration.isNegative()) {
            throw new IllegalArgumentException("cannot format duration " + duration);
        }
        long seconds = duration.getSeconds() + (duration.getNano() > 0 ? 1 : 0);
        if (seconds == 0) {
            return "0s";
        }
        StringBuilder text = new StringBuilder();
        long[] sizes = {86_400, 3_600, 60, 1};
        String[] units = {"d", "h", "m", "s"};
        for (int i = 0; i < sizes.length; i++) {
            long n = seconds / sizes[i];
            seconds %= sizes[i];
            if (n > 0) {
                text.append(n).append(units[i]);
            }
        }
        return text.toString();
    }
}
