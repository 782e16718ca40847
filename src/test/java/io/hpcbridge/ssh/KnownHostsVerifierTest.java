package io.hpcbridge.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import net.schmizz.sshj.common.Buffer;

class KnownHostsVerifierTest {
    private static final String PRIVATE_KEY = """
            -----BEGIN OPENSSH PRIVATE KEY-----
            b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW
            QyNTUxOQAAACBx3kqZrXqvQd6mYcVn9yVp0u8xgkH2tmWl4LqVlYbN1QAAAJg=
            -----END OPENSSH PRIVATE KEY-----
            """;

    @Test
    void onlyEntryShapedLinesReachTheParser() {
        String entry = "[127.0.0.1]:2222 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIK0wmN/Cr3JXqmLW7u+g9pTh+wyqDHpSQEJQ5thBbd9j";
        String hashed = "|1|F1E1KeoE/eEWhi10WpGv4OdiO6Y=|3988QV0VE8wmZL7suNrYQLITLCg= ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTI= comment here";
        String marked = "@cert-authority *.example.org ssh-rsa AAAAB3NzaC1yc2E=";
        String kept = KnownHostsVerifier.entriesOnly("# a comment\n\n" + entry + "\n" + PRIVATE_KEY + "  " + hashed + "  \n" + marked + "\nnot an entry at all\n");

        assertThat(kept).isEqualTo(entry + "\n" + hashed + "\n" + marked + "\n");
        assertThat(kept).doesNotContain("PRIVATE KEY", "b3BlbnNzaC1rZXktdjEAAAAABG5vbmU", "QyNTUxOQAAACBx3kqZ");
    }

    @Test
    void aPastedPrivateKeyDoesNotStopTheRealEntryFromVerifying() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        PublicKey host = g.generateKeyPair().getPublic();
        PublicKey other = g.generateKeyPair().getPublic();
        String line = "[127.0.0.1]:2222 ssh-rsa " + Base64.getEncoder().encodeToString(new Buffer.PlainBuffer().putPublicKey(host).getCompactData());

        KnownHostsVerifier v = new KnownHostsVerifier(PRIVATE_KEY + line + "\n");
        assertThat(v.verify("127.0.0.1", 2222, host)).isTrue();
        assertThat(v.verify("127.0.0.1", 2222, other)).isFalse();
        assertThat(v.refusal().kind()).isEqualTo(HostKeyException.Kind.HostKeyMismatch);
    }
}
