package io.hpcbridge.ssh;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jboss.logging.Logger;

import io.hpcbridge.gateway.CommandResult;
import io.hpcbridge.gateway.RemoteException;
import io.hpcbridge.gateway.RemoteOperation;
import io.hpcbridge.gateway.RemoteShell;

/**
 * The one shell a cluster uses: a single reused connection to the first login node that answers, failing over to the
 * next when it dies. New connections to any login node are rate limited, so an outage never turns into a storm of
 * connection attempts that gets the account banned.
 */
public class LoginNodeShell implements RemoteShell, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LoginNodeShell.class);

    /** Opens a connection; replaceable in tests. */
    @FunctionalInterface
    public interface Connector {
        LoginConnection open(Endpoint endpoint) throws RemoteException;
    }

    public record Endpoint(String host, int port) {
        @Override
        public String toString() {
            return host + ":" + port;
        }
    }

    private final List<Endpoint> endpoints;
    private final Connector connector;
    private final SshSettings settings;
    private final Clock clock;
    private final Map<Endpoint, Instant> lastConnectAttempt = new HashMap<>();
    private final Map<Endpoint, RemoteException> lastFailure = new HashMap<>();
    private final Map<Endpoint, Integer> failuresInARow = new HashMap<>();
    /** The longest wait between two connection attempts to one login node. */
    // Two minutes: a long outage still costs a login node only ~30 attempts an hour, and recovery after it
    // is noticed within two minutes (five made a two-minute outage take as long again to recover from).
    static final java.time.Duration MAX_BACKOFF = java.time.Duration.ofMinutes(2);
    private LoginConnection current;
    private int preferred;

    public LoginNodeShell(List<Endpoint> endpoints, Connector connector, SshSettings settings, Clock clock) {
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("a cluster needs at least one login node");
        }
        this.endpoints = List.copyOf(endpoints);
        this.connector = connector;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public CommandResult exec(RemoteOperation operation, List<String> argv) throws RemoteException {
        LoginConnection c = connection();
        try {
            return c.exec(operation, argv);
        } catch (RemoteException e) {
            dropIfDead(c);
            throw e;
        }
    }

    @Override
    public void upload(String remotePath, byte[] content, int mode) throws RemoteException {
        LoginConnection c = connection();
        try {
            c.upload(remotePath, content, mode);
        } catch (RemoteException e) {
            dropIfDead(c);
            throw e;
        }
    }

    @Override
    public byte[] readTail(String remotePath, int maxBytes) throws RemoteException {
        LoginConnection c = connection();
        try {
            return c.readTail(remotePath, maxBytes);
        } catch (RemoteException e) {
            dropIfDead(c);
            throw e;
        }
    }

    public synchronized int openConnections() {
        return current != null && current.isAlive() ? 1 : 0;
    }

    public synchronized int channelsInUse() {
        return current == null ? 0 : current.channelsInUse();
    }

    /** The login node in use, or null when none is connected. */
    @Override
    public synchronized String endpoint() {
        return current == null ? null : current.endpoint();
    }

    /** Returns the live connection, connecting (within the rate limit) when there is none. */
    synchronized LoginConnection connection() throws RemoteException {
        if (current != null && current.isAlive()) {
            return current;
        }
        if (current != null) {
            current.close();
            current = null;
        }
        RemoteException failure = null;
        Instant now = clock.instant();
        for (int i = 0; i < endpoints.size(); i++) {
            int index = (preferred + i) % endpoints.size();
            Endpoint endpoint = endpoints.get(index);
            Instant last = lastConnectAttempt.get(endpoint);
            java.time.Duration wait = backoff(failuresInARow.getOrDefault(endpoint, 0));
            if (last != null && last.plus(wait).isAfter(now)) {
                // Waiting out the rate limit; the reason stays what the last real attempt found.
                RemoteException previous = lastFailure.get(endpoint);
                if (failure == null || previous instanceof HostKeyException) {
                    failure = previous != null ? previous : new RemoteException("not reconnecting to " + endpoint + " before "
                            + last.plus(wait) + " (connection rate limit)");
                }
                continue;
            }
            lastConnectAttempt.put(endpoint, now);
            try {
                current = connector.open(endpoint);
                lastFailure.remove(endpoint);
                failuresInARow.remove(endpoint);
                preferred = index;
                LOG.infof("connected to login node %s", endpoint);
                return current;
            } catch (HostKeyException e) {
                LOG.warnf("login node %s refused: %s", endpoint, e.getMessage());
                lastFailure.put(endpoint, e);
                failuresInARow.merge(endpoint, 1, Integer::sum);
                failure = e;
            } catch (RemoteException e) {
                LOG.warnf("login node %s unavailable: %s", endpoint, e.getMessage());
                lastFailure.put(endpoint, e);
                failuresInARow.merge(endpoint, 1, Integer::sum);
                if (!(failure instanceof HostKeyException)) {
                    failure = e;
                }
            }
        }
        throw failure;
    }

    /**
     * At least {@code connectionInterval} between attempts; after each failure in a row the wait doubles, up to
     * {@link #MAX_BACKOFF}, so a long outage costs a login node a handful of connection attempts, not thousands.
     */
    java.time.Duration backoff(int failures) {
        java.time.Duration wait = settings.connectionInterval();
        for (int i = 1; i < failures && wait.compareTo(MAX_BACKOFF) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait;
    }

    private synchronized void dropIfDead(LoginConnection c) {
        if (c == current && !c.isAlive()) {
            c.close();
            current = null;
        }
    }

    @Override
    public synchronized void close() {
        if (current != null) {
            current.close();
            current = null;
        }
    }
}
