package io.hpcbridge.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The packaged operator (target/quarkus-app/quarkus-run.jar) as a real separate process against the local stack,
 * so end-to-end tests exercise exactly what users run, and can kill it like a crash would.
 */
public final class OperatorProcess implements AutoCloseable {
    private static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");
    private static OperatorProcess shared;
    private static int started;

    private final Process process;
    private final Path log;

    private OperatorProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** One operator for all e2e tests of this JVM, stopped when the JVM exits. */
    public static synchronized OperatorProcess shared() {
        if (shared == null || !shared.process.isAlive()) {
            shared = start();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
        }
        return shared;
    }

    public static synchronized OperatorProcess start() {
        return start(java.util.Map.of());
    }

    /** Starts another operator process with extra environment, e.g. HPCB_FAULT_HALT for crash tests. */
    public static synchronized OperatorProcess start(java.util.Map<String, String> extraEnv) {
        // Short Lost grace is not set here: tests must see the production behaviour.
        OperatorProcess op = startNoWait(extraEnv);
        op.awaitLog("Installed features", Duration.ofSeconds(90));
        return op;
    }

    /**
     * Stops the shared operator if this JVM started one, so a test can run its own processes (only one operator may
     * run against the stack). A later {@link #shared()} starts a fresh one.
     */
    public static synchronized void stopShared() {
        if (shared != null) {
            shared.close();
            shared = null;
        }
    }

    /**
     * Starts an operator process without waiting for it to be ready: for fault-injected processes that may halt
     * themselves before (or while) printing their start-up lines. Use {@link #awaitLog} or {@link #awaitExit}.
     */
    public static synchronized OperatorProcess startNoWait(java.util.Map<String, String> extraEnv) {
        if (!Files.exists(JAR)) {
            throw new IllegalStateException(JAR + " is missing: the e2e tests run after 'mvn package'");
        }
        StackEnv env = StackEnv.load();
        try {
            Path dir = Files.createDirectories(Path.of("target/e2e-logs"));
            Path log = dir.resolve("operator-" + (++started) + ".log");
            ProcessBuilder pb = new ProcessBuilder(List.of(javaBinary(), "-jar", JAR.toString()))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            pb.environment().put("KUBECONFIG", env.kubeconfig().toString());
            pb.environment().putAll(extraEnv);
            return new OperatorProcess(pb.start(), log);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the operator", e);
        }
    }

    /**
     * Operator processes on this machine (command line runs quarkus-run.jar) that this JVM did not start, e.g. one
     * started by hack/operator.sh. Tests that need the stack to themselves check this first.
     */
    public static List<String> foreignOperators() {
        long self = ProcessHandle.current().pid();
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains("quarkus-run.jar")).orElse(false))
                .filter(p -> p.parent().map(pp -> pp.pid() != self).orElse(true))
                .map(p -> p.pid() + " " + p.info().commandLine().orElse(""))
                .toList();
    }

    /**
     * Waits up to two minutes for operator processes this JVM did not start to end (a previous test JVM may still be
     * stopping its own); fails when one still runs, since only one operator may run against the stack.
     */
    public static void awaitNoForeignOperators() {
        Instant end = Instant.now().plus(Duration.ofMinutes(2));
        while (!foreignOperators().isEmpty() && Instant.now().isBefore(end)) {
            sleep(2000);
        }
        List<String> others = foreignOperators();
        if (!others.isEmpty()) {
            throw new IllegalStateException("another operator process runs against the stack (only one may): stop it "
                    + "(hack/operator.sh stop) and rerun: " + others);
        }
    }

    /** Waits until the process has exited by itself; true when it did within the timeout. */
    public boolean awaitExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The exit status, or null while the process runs. */
    public Integer exitValue() {
        return process.isAlive() ? null : process.exitValue();
    }

    public long pid() {
        return process.pid();
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    public String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "";
        }
    }

    public void awaitLog(String fragment, Duration timeout) {
        Instant end = Instant.now().plus(timeout);
        while (Instant.now().isBefore(end)) {
            if (logText().contains(fragment)) {
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("operator exited with " + process.exitValue() + "; log:\n" + logText());
            }
            sleep(200);
        }
        throw new IllegalStateException("operator log has no '" + fragment + "' after " + timeout + "; log:\n" + logText());
    }

    /** SIGKILL: no shutdown hooks, no graceful close, as in a node crash. */
    public void kill() {
        process.destroyForcibly();
        waitExit();
    }

    @Override
    public void close() {
        process.destroy();
        waitExit();
    }

    private void waitExit() {
        try {
            process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
