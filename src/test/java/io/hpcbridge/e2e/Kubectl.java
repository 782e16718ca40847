package io.hpcbridge.e2e;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real kubectl against the local stack's API server (KUBECONFIG from {@link StackEnv}).
 * Output goes through temp files, so a chatty command can never block on a full pipe. Immutable:
 * {@link #inNamespace} and {@link #withTimeout} return new instances.
 */
public final class Kubectl {
    /** One finished kubectl call. */
    public record Result(List<String> command, int exitCode, String stdout, String stderr) {
        public boolean ok() {
            return exitCode == 0;
        }

        /** This result, or an AssertionError with the whole command and its output. */
        public Result orFail() {
            if (!ok()) {
                throw new AssertionError(this.toString());
            }
            return this;
        }

        @Override
        public String toString() {
            return String.join(" ", command) + " -> exit " + exitCode + "\nstdout: " + stdout + "\nstderr: " + stderr;
        }
    }

    private final String binary;
    private final Path kubeconfig;
    private final String namespace;
    private final Duration timeout;

    public Kubectl(String binary, Path kubeconfig, String namespace, Duration timeout) {
        this.binary = binary;
        this.kubeconfig = kubeconfig;
        this.namespace = namespace;
        this.timeout = timeout;
    }

    /** kubectl of the local stack, no namespace flag (kubeconfig's default), 60 s per call. */
    public static Kubectl fromStack() {
        StackEnv env = StackEnv.load();
        return new Kubectl(env.kubectl(), env.kubeconfig(), null, Duration.ofSeconds(60));
    }

    /** Adds {@code -n namespace} to every call. */
    public Kubectl inNamespace(String ns) {
        return new Kubectl(binary, kubeconfig, ns, timeout);
    }

    public Kubectl withTimeout(Duration t) {
        return new Kubectl(binary, kubeconfig, namespace, t);
    }

    public String namespace() {
        return namespace;
    }

    public Result run(String... args) {
        return runWithInput(null, args);
    }

    /** Runs kubectl with {@code stdin} (may be null) as its standard input. */
    public Result runWithInput(String stdin, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(binary);
        if (namespace != null) {
            cmd.add("-n");
            cmd.add(namespace);
        }
        cmd.addAll(Arrays.asList(args));
        Path out = null;
        Path err = null;
        Path in = null;
        try {
            out = Files.createTempFile("kubectl", ".out");
            err = Files.createTempFile("kubectl", ".err");
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().put("KUBECONFIG", kubeconfig.toString());
            if (stdin != null) {
                in = Files.createTempFile("kubectl", ".in");
                Files.writeString(in, stdin, StandardCharsets.UTF_8);
                pb.redirectInput(in.toFile());
            } else {
                pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            }
            Process p = pb.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                throw new AssertionError("timed out after " + timeout + ": " + String.join(" ", cmd)
                        + "\nstdout: " + Files.readString(out) + "\nstderr: " + Files.readString(err));
            }
            return new Result(List.copyOf(cmd), p.exitValue(), Files.readString(out), Files.readString(err));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + String.join(" ", cmd), e);
        } finally {
            delete(out);
            delete(err);
            delete(in);
        }
    }

    /** {@code kubectl apply -f file} (a file or a directory) plus any extra flags. */
    public Result apply(File file, String... flags) {
        return run(concat(new String[] {"apply", "-f", file.getPath()}, flags));
    }

    /** {@code kubectl apply -f -} with the given YAML or JSON on stdin, plus any extra flags. */
    public Result apply(String manifest, String... flags) {
        return runWithInput(manifest, concat(new String[] {"apply", "-f", "-"}, flags));
    }

    /** {@code kubectl get args...}, e.g. {@code get("campaign", "hello", "-o", "jsonpath={.status.phase}")}. */
    public Result get(String... args) {
        return run(concat(new String[] {"get"}, args));
    }

    public Result delete(String... args) {
        return run(concat(new String[] {"delete"}, args));
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static void delete(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // best effort: temp files only
            }
        }
    }
}
