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
    /** Prefix of this node's settings in the stack env: HPCB_SSH_ (Slurm) or HPCB_CONDOR_SSH_ (HTCondor). */
    private final String prefix;
    private final String knownHosts;
    private final String cmdlog;

    public LoginNode(StackEnv env) {
        this(env, "HPCB_SSH_", "HPCB_KNOWN_HOSTS", "HPCB_CMDLOG");
    }

    private LoginNode(StackEnv env, String prefix, String knownHosts, String cmdlog) {
        this.env = env;
        this.prefix = prefix;
        this.knownHosts = knownHosts;
        this.cmdlog = cmdlog;
    }

    /** The Slurm login node. */
    public static LoginNode fromStack() {
        return new LoginNode(StackEnv.load());
    }

    /** The HTCondor pool's login node (an sshd inside the pool's chroot, so its condor_* commands are the real ones). */
    public static LoginNode htcondor() {
        return new LoginNode(StackEnv.load(), "HPCB_CONDOR_SSH_", "HPCB_CONDOR_KNOWN_HOSTS", "HPCB_CONDOR_CMDLOG");
    }

    /** Runs a shell command line as the login user. Test code only: the operator never builds command lines. */
    public Result exec(String commandLine) {
        List<String> argv = List.of("ssh", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes",
                "-o", "UserKnownHostsFile=" + env.require(knownHosts), "-i", env.require("HPCB_SSH_KEY"),
                "-p", env.require(prefix + "PORT"), env.require(prefix + "USER") + "@" + env.require(prefix + "HOST"),
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
        // The HTCondor node's log is inside its chroot: read at the same path as the login user sees it.
        String path = env.require(cmdlog);
        if (cmdlog.equals("HPCB_CONDOR_CMDLOG")) {
            path = path.substring(env.require("HPCB_CONDOR_ROOT").length());
        }
        Result r = exec("cat " + path + " 2>/dev/null || true");
        return r.stdout().lines().toList();
    }

    /** sacct's State|ExitCode of one allocation, e.g. {@code FAILED|3:0}. */
    public String sacctStateAndExit(String jobId) {
        return exec("sacct -X -n -P -j " + jobId + " -o State,ExitCode").stdout().strip();
    }
}
