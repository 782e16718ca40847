package io.hpcbridge.metrics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metrics table of docs/operations.md (section "## Metrics"), read as the contract that tests hold the code and the
 * dashboard to: each documented Prometheus series name with the labels documented for it.
 */
public final class MetricsDoc {
    public static final Path FILE = Path.of("docs/operations.md");
    private static final Pattern TICKED = Pattern.compile("`([^`]+)`");

    private MetricsDoc() {
    }

    /** Series name (e.g. hpcb_polls_seconds_bucket) to its documented label names, in table order. */
    public static Map<String, Set<String>> read() {
        try {
            return parse(Files.readString(FILE));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, Set<String>> parse(String markdown) {
        int start = markdown.indexOf("\n## Metrics\n");
        if (start < 0) {
            throw new IllegalStateException("docs/operations.md has no '## Metrics' section");
        }
        int end = markdown.indexOf("\n## ", start + 1);
        String section = markdown.substring(start, end < 0 ? markdown.length() : end);
        Map<String, Set<String>> metrics = new LinkedHashMap<>();
        for (String line : section.split("\n")) {
            if (!line.startsWith("| `hpcb_")) {
                continue;
            }
            String[] cells = line.split("\\|");
            // cells[0] is empty (before the first '|'): 1 = names, 2 = type, 3 = labels, 4 = meaning.
            Set<String> labels = new LinkedHashSet<>();
            Matcher l = TICKED.matcher(cells[3]);
            while (l.find()) {
                labels.add(l.group(1));
            }
            Matcher n = TICKED.matcher(cells[1]);
            while (n.find()) {
                if (!n.group(1).matches("hpcb_[a-z_]+")) {
                    throw new IllegalStateException("not a full metric name in docs/operations.md: " + n.group(1));
                }
                if (metrics.put(n.group(1), labels) != null) {
                    throw new IllegalStateException("documented twice: " + n.group(1));
                }
            }
        }
        if (metrics.isEmpty()) {
            throw new IllegalStateException("no hpcb_ metric rows in the Metrics table of docs/operations.md");
        }
        return metrics;
    }
}
