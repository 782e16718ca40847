package io.hpcbridge.metrics;

import java.time.Duration;
import java.util.List;

import io.hpcbridge.gateway.CommandResult;
import io.hpcbridge.gateway.RemoteException;
import io.hpcbridge.gateway.RemoteShell;

/** Counts and times every command a cluster runs, by verb and outcome, without the adapters knowing. */
public final class MeteredShell implements RemoteShell {
    private final RemoteShell delegate;
    private final String cluster;
    private final OperatorMetrics metrics;

    public MeteredShell(RemoteShell delegate, String cluster, OperatorMetrics metrics) {
        this.delegate = delegate;
        this.cluster = cluster;
        this.metrics = metrics;
    }

    @Override
    public CommandResult exec(List<String> argv) throws RemoteException {
        long start = System.nanoTime();
        String verb = verb(argv);
        try {
            CommandResult r = delegate.exec(argv);
            metrics.remoteCommand(cluster, verb, r.ok() ? "ok" : "nonzero", Duration.ofNanos(System.nanoTime() - start));
            return r;
        } catch (RemoteException e) {
            metrics.remoteCommand(cluster, verb, "error", Duration.ofNanos(System.nanoTime() - start));
            throw e;
        }
    }

    @Override
    public void upload(String remotePath, byte[] content, int mode) throws RemoteException {
        long start = System.nanoTime();
        try {
            delegate.upload(remotePath, content, mode);
            metrics.remoteCommand(cluster, "upload", "ok", Duration.ofNanos(System.nanoTime() - start));
        } catch (RemoteException e) {
            metrics.remoteCommand(cluster, "upload", "error", Duration.ofNanos(System.nanoTime() - start));
            throw e;
        }
    }

    @Override
    public byte[] readTail(String remotePath, int maxBytes) throws RemoteException {
        long start = System.nanoTime();
        try {
            byte[] tail = delegate.readTail(remotePath, maxBytes);
            metrics.remoteCommand(cluster, "read", "ok", Duration.ofNanos(System.nanoTime() - start));
            return tail;
        } catch (RemoteException e) {
            metrics.remoteCommand(cluster, "read", "error", Duration.ofNanos(System.nanoTime() - start));
            throw e;
        }
    }

    @Override
    public String endpoint() {
        return delegate.endpoint();
    }

    /** The program that runs: past {@code env} and its VAR=value words. A bounded set of names, fit for a label. */
    static String verb(List<String> argv) {
        int i = 0;
        if (!argv.isEmpty() && argv.get(0).equals("env")) {
            i = 1;
            while (i < argv.size() && argv.get(i).contains("=")) {
                i++;
            }
        }
        if (i >= argv.size()) {
            return "other";
        }
        String program = argv.get(i).substring(argv.get(i).lastIndexOf('/') + 1);
        return switch (program) {
            case "sbatch", "squeue", "sacct", "scancel", "scontrol", "condor_submit", "condor_q", "condor_history", "condor_rm", "sh" -> program;
            default -> "other";
        };
    }
}
