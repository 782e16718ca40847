package io.hpcbridge.ssh;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import io.hpcbridge.gateway.CommandResult;
import io.hpcbridge.gateway.RemoteException;
import io.hpcbridge.gateway.RemoteOperation;
import io.hpcbridge.gateway.RemoteShell;
import io.hpcbridge.gateway.ShellQuote;
import net.schmizz.sshj.DefaultConfig;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.transport.TransportException;
import net.schmizz.sshj.userauth.keyprovider.KeyProvider;

/**
 * One authenticated SSH connection to one login node, shared by all commands and transfers through a bounded number
 * of concurrent channels.
 */
public class SshConnection implements LoginConnection {
    /** Output beyond this is cut: scheduler answers are small, and a runaway command must not exhaust memory. */
    static final int MAX_OUTPUT_BYTES = 16 * 1024 * 1024;

    private final SSHClient client;
    private final String endpoint;
    private final Semaphore channels;
    private final int maxChannels;
    private final Duration commandTimeout;

    private SshConnection(SSHClient client, String endpoint, int maxChannels, Duration commandTimeout) {
        this.client = client;
        this.endpoint = endpoint;
        this.channels = new Semaphore(maxChannels, true);
        this.maxChannels = maxChannels;
        this.commandTimeout = commandTimeout;
    }

    /** Connects, verifies the host key against known_hosts and authenticates with the private key. */
    public static SshConnection open(String host, int port, SshCredentials credentials, SshSettings settings)
            throws RemoteException {
        String endpoint = host + ":" + port;
        SSHClient client = new SSHClient(new DefaultConfig());
        KnownHostsVerifier verifier;
        try {
            verifier = new KnownHostsVerifier(credentials.knownHosts());
        } catch (IOException e) {
            throw new RemoteException("known_hosts in the credentials Secret cannot be read: " + e.getMessage());
        }
        client.addHostKeyVerifier(verifier);
        client.setConnectTimeout((int) settings.connectTimeout().toMillis());
        client.setTimeout((int) settings.commandTimeout().toMillis());
        try {
            client.connect(host, port);
        } catch (TransportException e) {
            closeQuietly(client);
            if (verifier.refusal() != null) {
                throw verifier.refusal();
            }
            throw new SshFailure(SshFailure.CONNECTION_FAILED, "SSH transport to " + endpoint + " failed: " + e.getMessage(), e);
        } catch (IOException e) {
            closeQuietly(client);
            throw new SshFailure(SshFailure.CONNECTION_FAILED, "cannot connect to " + endpoint + ": " + e.getMessage(), e);
        }
        try {
            client.getConnection().getKeepAlive().setKeepAliveInterval((int) settings.keepAlive().toSeconds());
            KeyProvider key = client.loadKeys(credentials.privateKey(), null, null);
            client.authPublickey(credentials.user(), key);
        } catch (IOException e) {
            closeQuietly(client);
            // sshj's messages name the user and key type, never key material.
            throw new SshFailure(SshFailure.AUTHENTICATION_FAILED, "SSH authentication as " + credentials.user() + " at " + endpoint
                    + " failed (" + e.getClass().getSimpleName() + "): is the public key in authorized_keys?", e);
        }
        return new SshConnection(client, endpoint, settings.maxChannels(), settings.commandTimeout());
    }

    /** Channels (commands, transfers) running now. */
    @Override
    public int channelsInUse() {
        return maxChannels - channels.availablePermits();
    }

    @Override
    public boolean isAlive() {
        return client.isConnected() && client.isAuthenticated();
    }

    @Override
    public String endpoint() {
        return endpoint;
    }

    @Override
    public CommandResult exec(RemoteOperation operation, List<String> argv) throws RemoteException {
        return run(ShellQuote.join(argv), null);
    }

    @Override
    public void upload(String remotePath, byte[] content, int mode) throws RemoteException {
        // The content travels on stdin; only the constant program and quoted arguments are on the command line.
        // Written to a temporary name and renamed, so a crash never leaves half a script behind.
        String program = "umask 077 && cat > \"$1.part\" && chmod \"$2\" \"$1.part\" && mv -f \"$1.part\" \"$1\"";
        CommandResult r = run(ShellQuote.join(List.of("sh", "-c", program, "upload", remotePath, Integer.toOctalString(mode))),
                content);
        if (!r.ok()) {
            throw new RemoteException("upload of " + remotePath + " failed: " + r.stderr().strip());
        }
    }

    @Override
    public byte[] readTail(String remotePath, int maxBytes) throws RemoteException {
        String program = "if [ -e \"$1\" ]; then tail -c \"$2\" -- \"$1\"; else exit 44; fi";
        CommandResult r = run(ShellQuote.join(List.of("sh", "-c", program, "tail", remotePath, Integer.toString(maxBytes))), null);
        if (r.exitStatus() == 44) {
            return null;
        }
        if (!r.ok()) {
            throw new RemoteException("reading " + remotePath + " failed: " + r.stderr().strip());
        }
        return r.stdout().getBytes(StandardCharsets.UTF_8);
    }

    private CommandResult run(String commandLine, byte[] stdin) throws RemoteException {
        try {
            if (!channels.tryAcquire(commandTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new RemoteException("no free SSH channel to " + endpoint + " within " + commandTimeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RemoteException("interrupted while waiting for an SSH channel");
        }
        try (Session session = client.startSession()) {
            Session.Command cmd = session.exec(commandLine);
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readBounded(cmd.getErrorStream()));
            if (stdin != null) {
                cmd.getOutputStream().write(stdin);
                cmd.getOutputStream().flush();
                cmd.getOutputStream().close();
            }
            byte[] out = readBounded(cmd.getInputStream());
            cmd.join(commandTimeout.toMillis(), TimeUnit.MILLISECONDS);
            Integer exit = cmd.getExitStatus();
            byte[] errBytes = err.get(commandTimeout.toMillis(), TimeUnit.MILLISECONDS);
            if (exit == null) {
                throw new RemoteException("command on " + endpoint + " ended without exit status"
                        + (cmd.getExitSignal() != null ? " (signal " + cmd.getExitSignal() + ")" : ""));
            }
            return new CommandResult(exit, new String(out, StandardCharsets.UTF_8), new String(errBytes, StandardCharsets.UTF_8));
        } catch (RemoteException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RemoteException("interrupted while running a command on " + endpoint);
        } catch (Exception e) {
            throw new RemoteException("command on " + endpoint + " failed: " + e.getMessage(), e);
        } finally {
            channels.release();
        }
    }

    private static byte[] readBounded(InputStream in) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        try {
            int n;
            while ((n = in.read(chunk)) != -1) {
                if (buf.size() < MAX_OUTPUT_BYTES) {
                    buf.write(chunk, 0, Math.min(n, MAX_OUTPUT_BYTES - buf.size()));
                }
            }
        } catch (IOException e) {
            // The exit status decides; a cut stream shows up as garbled output to the parser.
        }
        return buf.toByteArray();
    }

    @Override
    public void close() {
        closeQuietly(client);
    }

    private static void closeQuietly(SSHClient client) {
        try {
            client.disconnect();
        } catch (IOException | RuntimeException e) {
            // nothing left to do with a connection we are dropping
        }
    }
}
