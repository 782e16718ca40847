package io.hpcbridge.ssh;

import io.hpcbridge.gateway.RemoteShell;

/** One open connection to one login node. */
public interface LoginConnection extends RemoteShell, AutoCloseable {
    boolean isAlive();

    int channelsInUse();

    @Override
    void close();
}
