package io.hpcbridge.ssh;

import io.hpcbridge.gateway.RemoteException;

/** A login node could not be used, with a CamelCase reason for the cluster's Reachable condition. */
public class SshFailure extends RemoteException {
    public static final String CONNECTION_FAILED = "ConnectionFailed";
    public static final String AUTHENTICATION_FAILED = "AuthenticationFailed";

    private final String reason;

    public SshFailure(String reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
