package io.hpcbridge.ssh;

import java.io.IOException;
import java.io.StringReader;
import java.security.PublicKey;

import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.common.SecurityUtils;
import net.schmizz.sshj.transport.verification.OpenSSHKnownHosts;

/**
 * Verifies host keys against known_hosts text from the Secret and remembers why a key was refused, so the cluster
 * status can say HostKeyMismatch rather than a generic transport error. Nothing is ever added to known_hosts.
 */
class KnownHostsVerifier extends OpenSSHKnownHosts {
    private volatile HostKeyException refusal;

    KnownHostsVerifier(String knownHosts) throws IOException {
        super(new StringReader(knownHosts));
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
