package io.hpcbridge.gateway;

import java.util.List;

/**
 * A login node as the scheduler adapters see it: run one command given as an argument vector, move small files.
 * Implementations quote every argument, so no caller ever builds a shell line from user strings.
 */
public interface RemoteShell {

    /** Runs argv[0] with the remaining arguments, each quoted for the remote shell, on behalf of {@code operation}. */
    CommandResult exec(RemoteOperation operation, List<String> argv) throws RemoteException;

    /** Writes a file (creating or replacing it) with the given permission bits, e.g. 0755. */
    void upload(String remotePath, byte[] content, int mode) throws RemoteException;

    /** The last {@code maxBytes} bytes of a file, or null when it does not exist. */
    byte[] readTail(String remotePath, int maxBytes) throws RemoteException;

    /** host:port of the login node behind this shell. */
    String endpoint();
}
