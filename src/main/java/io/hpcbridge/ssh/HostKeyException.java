package io.hpcbridge.ssh;

/** The login node offered a host key that known_hosts does not vouch for. Never retried blindly, never bypassed. */
public class HostKeyException extends SshFailure {
    public enum Kind {
        /** known_hosts has a different key for this host: possibly an attack, or a reinstalled node. */
        HostKeyMismatch,
        /** known_hosts has no key for this host. */
        HostKeyUnknown
    }

    private final Kind kind;

    public HostKeyException(Kind kind, String message) {
        super(kind.name(), message, null);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
