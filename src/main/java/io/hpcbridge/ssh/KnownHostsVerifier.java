package io.hpcbridge.ssh;

import java.io.IOException;
import java.io.StringReader;
import java.security.PublicKey;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.common.SecurityUtils;
import net.schmizz.sshj.transport.verification.OpenSSHKnownHosts;

/**
 * Verifies host keys against known_hosts text from the Secret and remembers why a key was refused, so the cluster
 * status can say HostKeyMismatch rather than a generic transport error. Nothing is ever added to known_hosts.
 */
class KnownHostsVerifier extends OpenSSHKnownHosts {
    private volatile HostKeyException refusal;

    /** A known_hosts entry: optional marker, host patterns, key type, base64 key, optional comment. */
    private static final Pattern ENTRY = Pattern.compile("^(@[a-z-]+\\s+)?\\S+\\s+(ssh-|ecdsa-|sk-)\\S+\\s+[A-Za-z0-9+/]+=*(\\s.*)?$");

    KnownHostsVerifier(String knownHosts) throws IOException {
        super(new StringReader(entriesOnly(knownHosts)));
    }

    /**
     * The lines shaped like known_hosts entries. sshj logs a line it cannot parse verbatim; whatever else was pasted
     * into the Secret's known_hosts (a private key, say) is dropped here instead, so it can never reach the log.
     */
    static String entriesOnly(String knownHosts) {
        return knownHosts.lines().map(String::strip).filter(l -> ENTRY.matcher(l).matches())
                .collect(Collectors.joining("\n", "", "\n"));
    }

    @Override
    protected boolean hostKeyUnverifiableAction(String hostname, PublicKey key) {
        refusal = new HostKeyException(HostKeyException.Kind.HostKeyUnknown,
                "no known_hosts entry for " + hostname + " (offered " + KeyType.fromKey(key) + " key "
                        + SecurityUtils.getFingerprint(key) + ")");
        return false;
    }

    @Override
    protected boolean hostKeyChangedAction(String hostname, PublicKey key) {
        refusal = new HostKeyException(HostKeyException.Kind.HostKeyMismatch,
                "host key of " + hostname + " does not match known_hosts (offered " + KeyType.fromKey(key) + " key "
                        + SecurityUtils.getFingerprint(key) + ")");
        return false;
    }

    HostKeyException refusal() {
        return refusal;
    }
}
