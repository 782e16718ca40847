package io.hpcbridge.gateway;

/** What a remote command returned. A non-zero exit is an answer, not a transport failure. */
public record CommandResult(int exitStatus, String stdout, String stderr) {
    public boolean ok() {
        return exitStatus == 0;
    }
}
