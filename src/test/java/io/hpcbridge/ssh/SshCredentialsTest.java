package io.hpcbridge.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SshCredentialsTest {
    private static final String KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n-----END OPENSSH PRIVATE KEY-----\n";
    private static final String KNOWN_HOSTS = "[127.0.0.1]:2222 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIK0wmN/Cr3JXqmLW7u+g9pTh+wyqDHpSQEJQ5thBbd9j\n"
            + "login2 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgdkXXXXXXXXXXXXXXXX\n";

    @Test
    void printingCredentialsShowsNeitherKeyNorKnownHosts() {
        SshCredentials c = new SshCredentials("hpcuser", KEY, KNOWN_HOSTS);
        String printed = c.toString() + " " + String.valueOf(c);

        assertThat(printed).contains("hpcuser", "<redacted>", "2 lines")
                .doesNotContain("PRIVATE KEY", "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ", "AAAAC3NzaC1lZDI1NTE5", "127.0.0.1", "login2");
    }

    @Test
    void theFingerprintChangesWithTheKeyWithoutShowingIt() {
        SshCredentials a = new SshCredentials("hpcuser", KEY, KNOWN_HOSTS);
        SshCredentials b = new SshCredentials("hpcuser", KEY.replace('b', 'c'), KNOWN_HOSTS);
        assertThat(a.fingerprint()).isNotEqualTo(b.fingerprint()).isEqualTo(new SshCredentials("hpcuser", KEY, KNOWN_HOSTS).fingerprint());
    }
}
