package io.hpcbridge.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The local stack's login node, reached with the system ssh client and the stack's key, host key verified. Tests use
 * it to check what really happened on the cluster (sacct, files, the command log), independent of the operator.
 */
public final class LoginNode {
    public record Result(int exitCode, String stdout, String stderr) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    private final StackEnv env;

    public LoginNode(StackEnv env) {
        this.env = env;
    }

    public static LoginNode fromStack() {
        return new LoginNode(StackEnv.load());
    }

    /** Runs a shell command line as the login user. Test code only: the operator never builds command lines. */
    public Result exec(String commandLine) {
        List<String> argv = List.of("ssh", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes",
                "-o", "UserKnownHostsFile=" + env.require("HPCB_KNOWN_HOSTS"), "-i", env.require("HPCB_SSH_KEY"),
                "-p", env.require("HPCB_SSH_PORT"), env.require("HPCB_SSH_USER") + "@" + env.require("HPCB_SSH_HOST"),
                commandLine);
        try {
            Path out = Files.createTempFile("ssh-out", ".txt");
            Path err = Files.createTempFile("ssh-err", ".txt");
            Process p = new ProcessBuilder(argv).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("ssh timed out: " + commandLine);
            }
            Result r = new Result(p.exitValue(), Files.readString(out), Files.readString(err));
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            return r;
        } catch (IOException e) {
            throw new IllegalStateException("ssh failed: " + commandLine, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Lines of the counting shim's log: one per scheduler command the login user ran. */
    public List<String> commandLog() {
        Result r = exec("cat " + env.require("HPCB_CMDLOG") + " 2>/dev/null || true");
        return r.stdout().lines().toList();
    }

    /** sacct's State|ExitCode of one allocation, e.g. {@code FAILED|3:0}. */
    public String sacctStateAndExit(String jobId) {
        return exec("sacct -X -n -P -j " + jobId + " -o State,ExitCode").stdout().strip();
    }
}
