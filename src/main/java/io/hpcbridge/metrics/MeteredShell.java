package io.hpcbridge.metrics;

import java.time.Duration;
import java.util.List;

import io.hpcbridge.gateway.CommandResult;
import io.hpcbridge.gateway.RemoteException;
import io.hpcbridge.gateway.RemoteOperation;
import io.hpcbridge.gateway.RemoteShell;

/**
 * Counts and times every command a cluster runs, by port operation and outcome, without the adapters knowing. The
 * label is the operation (submit, poll, history, ...), never a scheduler's program name, so the series are the same for
 * every scheduler.
 */
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
    public CommandResult exec(RemoteOperation operation, List<String> argv) throws RemoteException {
        long start = System.nanoTime();
        try {
            CommandResult r = delegate.exec(operation, argv);
            metrics.remoteCommand(cluster, operation, r.ok() ? "ok" : "nonzero", Duration.ofNanos(System.nanoTime() - start));
            return r;
        } catch (RemoteException e) {
            metrics.remoteCommand(cluster, operation, "error", Duration.ofNanos(System.nanoTime() - start));
            throw e;
        }
    }

    @Override
    public void upload(String remotePath, byte[] content, int mode) throws RemoteException {
        long start = System.nanoTime();
        try {
            delegate.upload(remotePath, content, mode);
            metrics.remoteCommand(cluster, RemoteOperation.FILES, "ok", Duration.ofNanos(System.nanoTime() - start));
        } catch (RemoteException e) {
            metrics.remoteCommand(cluster, RemoteOperation.FILES, "error", Duration.ofNanos(System.nanoTime() - start));
            throw e;
        }
    }

    @Override
    public byte[] readTail(String remotePath, int maxBytes) throws RemoteException {
        long start = System.nanoTime();
        try {
            byte[] tail = delegate.readTail(remotePath, maxBytes);
            metrics.remoteCommand(cluster, RemoteOperation.FILES, "ok", Duration.ofNanos(System.nanoTime() - start));
            return tail;
        } catch (RemoteException e) {
            metrics.remoteCommand(cluster, RemoteOperation.FILES, "error", Duration.ofNanos(System.nanoTime() - start));
            throw e;
        }
    }

    @Override
    public String endpoint() {
        return delegate.endpoint();
    }
}
