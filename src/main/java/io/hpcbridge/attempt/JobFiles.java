package io.hpcbridge.attempt;

import java.util.List;

import io.hpcbridge.api.v1alpha1.EnvVar;
import io.hpcbridge.api.v1alpha1.TaskAttempt;
import io.hpcbridge.gateway.ShellQuote;

/**
 * The files of one attempt inside its own work directory, and the wrapper script the scheduler runs. The user's
 * script is uploaded unchanged as a separate file; the wrapper exports the environment (quoted), runs it, and writes
 * the exit code to a file so an end can be confirmed even when accounting is late.
 */
public record JobFiles(String workDir) {
    public String userScript() {
        return workDir + "/script";
    }

    public String wrapper() {
        return workDir + "/job.sh";
    }

    public String stdout() {
        return workDir + "/stdout";
    }

    public String stderr() {
        return workDir + "/stderr";
    }

    public String exitCodeFile() {
        return workDir + "/exitcode";
    }

    /** Holds the attempt's token: proves the directory is this attempt's and no other's. */
    public String marker() {
        return workDir + "/.hpcb-attempt";
    }

    public static JobFiles of(TaskAttempt attempt) {
        return new JobFiles(attempt.getSpec().getWorkDir());
    }

    /** True when the user's script names its own interpreter; otherwise it runs under bash. */
    static boolean hasShebang(String script) {
        return script.startsWith("#!");
    }

    /**
     * A script killed by signal N comes back to the wrapper as status 128+N, the shell's way of saying so. The wrapper
     * then ends by the same signal, so that the scheduler reports a signal (Slurm ExitCode 0:N, HTCondor ExitBySignal),
     * not an exit status. Only signals whose default action ends a process are raised again (never STOP or an ignored
     * one), without a core dump; anything else exits with the status.
     */
    static final String RERAISE_SIGNAL = """
            case "$rc" in
              129|130|131|132|134|135|136|137|138|139|140|141|142|143|152|153)
                ulimit -c 0 2>/dev/null; trap - "$((rc - 128))" 2>/dev/null; kill -s "$((rc - 128))" "$$" ;;
            esac
            """;

    public String renderWrapper(TaskAttempt attempt) {
        var spec = attempt.getSpec();
        StringBuilder b = new StringBuilder();
        b.append("#!/bin/bash\n");
        b.append("# Written by hpc-bridge for TaskAttempt ").append(attempt.getMetadata().getNamespace()).append('/')
                .append(attempt.getMetadata().getName()).append(". The task's own script is ./script.\n");
        b.append("cd ").append(ShellQuote.quote(workDir)).append(" || exit 97\n");
        List<EnvVar> env = List.of(
                new EnvVar("HPCB_NAMESPACE", attempt.getMetadata().getNamespace()),
                new EnvVar("HPCB_CAMPAIGN", spec.getCampaign()),
                new EnvVar("HPCB_TASK", spec.getTaskName()),
                new EnvVar("HPCB_ATTEMPT", String.valueOf(spec.getIndex())),
                new EnvVar("HPCB_WORK_DIR", workDir));
        for (EnvVar v : env) {
            b.append("export ").append(v.getName()).append('=').append(ShellQuote.quote(v.getValue())).append('\n');
        }
        for (EnvVar v : spec.getEnv()) {
            b.append("export ").append(v.getName()).append('=').append(ShellQuote.quote(v.getValue() == null ? "" : v.getValue())).append('\n');
        }
        b.append(hasShebang(spec.getScript()) ? "" : "/bin/bash ").append(ShellQuote.quote(userScript())).append('\n');
        b.append("rc=$?\n");
        String exitFile = ShellQuote.quote(exitCodeFile());
        b.append("printf '%s\\n' \"$rc\" > ").append(ShellQuote.quote(exitCodeFile() + ".part"))
                .append(" && /bin/mv -f ").append(ShellQuote.quote(exitCodeFile() + ".part")).append(' ').append(exitFile).append('\n');
        b.append(RERAISE_SIGNAL);
        b.append("exit \"$rc\"\n");
        return b.toString();
    }
}
