package io.hpcbridge.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.hpcbridge.gateway.CommandResult;
import io.hpcbridge.gateway.RemoteException;
import io.hpcbridge.gateway.RemoteOperation;

class LoginNodeShellTest {
    private static final LoginNodeShell.Endpoint A = new LoginNodeShell.Endpoint("login1", 22);
    private static final LoginNodeShell.Endpoint B = new LoginNodeShell.Endpoint("login2", 22);
    private static final SshSettings SETTINGS = SshSettings.defaults().withConnectionInterval(Duration.ofSeconds(15));

    private Instant now = Instant.parse("2026-11-23T10:00:00Z");
    private final List<LoginNodeShell.Endpoint> attempts = new ArrayList<>();
    private final Set<LoginNodeShell.Endpoint> down = new HashSet<>();
    private final Set<LoginNodeShell.Endpoint> wrongHostKey = new HashSet<>();

    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    static final class FakeConnection implements LoginConnection {
        final LoginNodeShell.Endpoint endpoint;
        boolean alive = true;
        int commands;

        FakeConnection(LoginNodeShell.Endpoint endpoint) {
            this.endpoint = endpoint;
        }

        @Override
        public CommandResult exec(RemoteOperation operation, List<String> argv) {
            commands++;
            return new CommandResult(0, endpoint.host(), "");
        }

        @Override
        public void upload(String remotePath, byte[] content, int mode) {
        }

        @Override
        public byte[] readTail(String remotePath, int maxBytes) {
            return null;
        }

        @Override
        public String endpoint() {
            return endpoint.toString();
        }

        @Override
        public boolean isAlive() {
            return alive;
        }

        @Override
        public int channelsInUse() {
            return 0;
        }

        @Override
        public void close() {
            alive = false;
        }
    }

    private final List<FakeConnection> opened = new ArrayList<>();

    private LoginNodeShell shell(LoginNodeShell.Endpoint... endpoints) {
        return new LoginNodeShell(List.of(endpoints), e -> {
            attempts.add(e);
            if (wrongHostKey.contains(e)) {
                throw new HostKeyException(HostKeyException.Kind.HostKeyMismatch, "host key of " + e + " does not match");
            }
            if (down.contains(e)) {
                throw new SshFailure(SshFailure.CONNECTION_FAILED, "connection refused by " + e, null);
            }
            FakeConnection c = new FakeConnection(e);
            opened.add(c);
            return c;
        }, SETTINGS, clock);
    }

    @Test
    void oneConnectionServesEveryCommand() throws RemoteException {
        LoginNodeShell shell = shell(A, B);
        for (int i = 0; i < 50; i++) {
            shell.exec(RemoteOperation.POLL, List.of("squeue"));
        }
        assertThat(attempts).containsExactly(A);
        assertThat(opened.get(0).commands).isEqualTo(50);
    }

    @Test
    void whenTheFirstLoginNodeIsDownTheNextIsUsedAndShown() throws RemoteException {
        down.add(A);
        LoginNodeShell shell = shell(A, B);
        assertThat(shell.exec(RemoteOperation.POLL, List.of("hostname")).stdout()).isEqualTo("login2");
        assertThat(shell.endpoint()).isEqualTo("login2:22");
        assertThat(attempts).containsExactly(A, B);
    }

    @Test
    void aDeadConnectionIsReplacedButNeverFasterThanTheRateLimitAllows() throws RemoteException {
        LoginNodeShell shell = shell(A);
        shell.exec(RemoteOperation.POLL, List.of("squeue"));
        opened.get(0).alive = false;
        down.add(A);
        now = now.plusSeconds(16);

        assertThatThrownBy(() -> shell.exec(RemoteOperation.POLL, List.of("squeue"))).isInstanceOf(SshFailure.class); // first retry: allowed
        now = now.plusSeconds(5);
        for (int i = 0; i < 20; i++) {
            assertThatThrownBy(() -> shell.exec(RemoteOperation.POLL, List.of("squeue"))).isInstanceOf(RemoteException.class);
        }
        assertThat(attempts).hasSize(2); // the initial connect and one retry, not 22
    }

    @Test
    void theWaitDoublesWithEachFailureUpToTwoMinutes() {
        LoginNodeShell shell = shell(A);
        assertThat(shell.backoff(0)).isEqualTo(Duration.ofSeconds(15));
        assertThat(shell.backoff(1)).isEqualTo(Duration.ofSeconds(15));
        assertThat(shell.backoff(2)).isEqualTo(Duration.ofSeconds(30));
        assertThat(shell.backoff(3)).isEqualTo(Duration.ofSeconds(60));
        assertThat(shell.backoff(4)).isEqualTo(Duration.ofMinutes(2));
        assertThat(shell.backoff(10)).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void aLongOutageCostsOnlyAHandfulOfConnectionAttempts() {
        down.add(A);
        LoginNodeShell shell = shell(A);
        // Polls every 5 s for an hour: 720 polls, but only ~1 connection attempt per 2 minutes once backed off.
        for (int i = 0; i < 720; i++) {
            assertThatThrownBy(() -> shell.exec(RemoteOperation.POLL, List.of("squeue"))).isInstanceOf(RemoteException.class);
            now = now.plusSeconds(5);
        }
        assertThat(attempts.size()).isBetween(28, 34);
    }

    @Test
    void aHostKeyRefusalStaysTheReasonWhileReconnectsAreHeldBack() {
        wrongHostKey.add(A);
        LoginNodeShell shell = shell(A);
        assertThatThrownBy(() -> shell.exec(RemoteOperation.POLL, List.of("squeue"))).isInstanceOf(HostKeyException.class);
        now = now.plusSeconds(5);
        assertThatThrownBy(() -> shell.exec(RemoteOperation.POLL, List.of("squeue"))).isInstanceOf(HostKeyException.class)
                .hasMessageContaining("does not match");
        assertThat(attempts).hasSize(1);
    }

    @Test
    void theConnectionComesBackWhenTheNodeDoes() throws RemoteException {
        down.add(A);
        LoginNodeShell shell = shell(A);
        assertThatThrownBy(() -> shell.exec(RemoteOperation.POLL, List.of("squeue"))).isInstanceOf(RemoteException.class);
        down.remove(A);
        now = now.plusSeconds(16);
        assertThat(shell.exec(RemoteOperation.POLL, List.of("hostname")).stdout()).isEqualTo("login1");
    }
}
