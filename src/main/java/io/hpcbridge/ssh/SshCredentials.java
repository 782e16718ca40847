package io.hpcbridge.ssh;

/**
 * Key material from the cluster's Secret. Held in memory only; never written to disk and never printed.
 */
public record SshCredentials(String user, String privateKey, String knownHosts) {

    /** Secret keys, as documented for HpcCluster.spec.credentialsSecretRef. */
    public static final String PRIVATE_KEY = "ssh-privatekey";
    public static final String KNOWN_HOSTS = "known_hosts";

    @Override
    public String toString() {
        return "SshCredentials[user=" + user + ", privateKey=<redacted>, knownHosts=" + knownHosts.lines().count() + " lines]";
    }

    /** Changes when any part changes, without exposing the parts. */
    public int fingerprint() {
        return (user + "\0" + privateKey + "\0" + knownHosts).hashCode();
    }
}
