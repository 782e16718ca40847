package io.hpcbridge.metrics;

import io.hpcbridge.gateway.RemoteException;
import io.hpcbridge.ssh.LoginConnection;
import io.hpcbridge.ssh.LoginNodeShell;
import io.hpcbridge.ssh.SshFailure;

/** Counts every SSH connection try by outcome: {@code ok}, the {@link SshFailure} reason, or {@code error}. */
public final class MeteredConnector implements LoginNodeShell.Connector {
    private final LoginNodeShell.Connector delegate;
    private final String cluster;
    private final OperatorMetrics metrics;

    public MeteredConnector(LoginNodeShell.Connector delegate, String cluster, OperatorMetrics metrics) {
        this.delegate = delegate;
        this.cluster = cluster;
        this.metrics = metrics;
    }

    @Override
    public LoginConnection open(LoginNodeShell.Endpoint endpoint) throws RemoteException {
        try {
            LoginConnection c = delegate.open(endpoint);
            metrics.sshConnect(cluster, "ok");
            return c;
        } catch (SshFailure e) {
            metrics.sshConnect(cluster, e.reason());
            throw e;
        } catch (RemoteException e) {
            metrics.sshConnect(cluster, "error");
            throw e;
        }
    }
}
