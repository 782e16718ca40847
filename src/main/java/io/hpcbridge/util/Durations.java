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
}
