package io.hpcbridge.gateway;

/** The login node could not be asked, or its answer could not be understood. Nothing may be concluded from it. */
public class RemoteException extends Exception {
    public RemoteException(String message) {
        super(message);
    }

    public RemoteException(String message, Throwable cause) {
        super(message, cause);
    }
}
