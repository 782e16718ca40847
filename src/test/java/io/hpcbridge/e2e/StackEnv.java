package io.hpcbridge.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The local stack's settings (KUBECONFIG, KUBECTL, HPCB_SSH_*, ...), as written by hack/stack-up.sh to
 * {@code $HPCB_STATE/env}. Process environment variables win over the file, so a sourced shell or CI can override.
 *
 * <p>The file is found at system property {@code hpcb.stack.env}, else {@code $HPCB_STATE/env}, else
 * {@code /var/tmp/hpcb-stack/env}.
 */
public final class StackEnv {
    public static final Path DEFAULT_FILE = Path.of("/var/tmp/hpcb-stack/env");

    private final Path file;
    private final Map<String, String> fromFile;
    private final Map<String, String> environment;

    StackEnv(Path file, Map<String, String> fromFile, Map<String, String> environment) {
        this.file = file;
        this.fromFile = Collections.unmodifiableMap(fromFile);
        this.environment = environment;
    }

    /** The stack env of this machine; the file may be missing, then only the process environment counts. */
    public static StackEnv load() {
        Path file = locate();
        return new StackEnv(file, Files.isRegularFile(file) ? parse(file) : Map.of(), System.getenv());
    }

    static Path locate() {
        String prop = System.getProperty("hpcb.stack.env");
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop);
        }
        String state = System.getenv("HPCB_STATE");
        return state != null && !state.isBlank() ? Path.of(state, "env") : DEFAULT_FILE;
    }

    /** Parses {@code KEY=VALUE} and {@code export KEY=VALUE} lines; blank lines and # comments are skipped. */
    public static Map<String, String> parse(Path file) {
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Map<String, String> parse(String text) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String raw : text.split("\\R")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("export ")) {
                line = line.substring("export ".length()).strip();
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            values.put(line.substring(0, eq).strip(), unquote(line.substring(eq + 1).strip()));
        }
        return values;
    }

    private static String unquote(String v) {
        if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
            return v.substring(1, v.length() - 1);
        }
        return v;
    }

    public Path file() {
        return file;
    }

    public Optional<String> get(String key) {
        String v = environment.get(key);
        if (v == null || v.isEmpty()) {
            v = fromFile.get(key);
        }
        return Optional.ofNullable(v).filter(s -> !s.isEmpty());
    }

    public String require(String key) {
        return get(key).orElseThrow(() -> new IllegalStateException(
                key + " is not set and not in " + file + ": start the stack with hack/stack-up.sh"));
    }

    /** Values from the file only (the process environment is not included). */
    public Map<String, String> fileValues() {
        return fromFile;
    }

    public String kubectl() {
        return get("KUBECTL").orElse("kubectl");
    }

    public Path kubeconfig() {
        return Path.of(require("KUBECONFIG"));
    }
}
