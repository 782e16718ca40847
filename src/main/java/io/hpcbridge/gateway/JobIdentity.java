package io.hpcbridge.gateway;

/**
 * What a remote job carries to say which attempt it belongs to: a readable name and the attempt's unique token.
 * A recreated attempt with the same name has another token, so its predecessor's job is never adopted.
 */
public record JobIdentity(String name, String token) {
    /** Prefix of every job name this operator submits; the poller recognises its jobs by it. */
    public static final String NAME_PREFIX = "hpcb.";

    public static JobIdentity of(String namespace, String attemptName, String token) {
        return new JobIdentity(NAME_PREFIX + namespace + "." + attemptName, token);
    }
}
