package io.hpcbridge.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Stops and starts single components of the local stack (hack/stack-ctl.sh), for outage tests. */
final class StackControl {
    private static final Path STACK_CTL = Path.of("hack/stack-ctl.sh");

    private StackControl() {
    }

    static void stop(String component) throws IOException, InterruptedException {
        sh(STACK_CTL + " stop " + component);
    }

    static void start(String component) throws IOException, InterruptedException {
        sh(STACK_CTL + " start " + component);
    }

    /** Starts the component unless stack-ctl reports it running: tests leave the stack whole whatever happened. */
    static void ensureRunning(String component) throws IOException, InterruptedException {
        if (!sh(STACK_CTL + " status " + component + " || true").contains("running")) {
            start(component);
        }
    }

    static String sh(String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + command + "\n" + out);
        }
        if (p.exitValue() != 0) {
            throw new AssertionError(command + " -> exit " + p.exitValue() + "\n" + out);
        }
        return out;
    }
}
