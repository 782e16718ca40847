package io.hpcbridge.ssh;

import java.time.Duration;

/**
 * Limits that keep the operator polite to a login node.
 *
 * @param connectionInterval at most one new connection per login node per this interval
 */
public record SshSettings(Duration connectTimeout, Duration commandTimeout, Duration keepAlive, int maxChannels,
        Duration connectionInterval) {

    public SshSettings withConnectionInterval(Duration interval) {
        return new SshSettings(connectTimeout, commandTimeout, keepAlive, maxChannels, interval);
    }

    public static SshSettings defaults() {
        return new SshSettings(Duration.ofSeconds(15), Duration.ofSeconds(120), Duration.ofSeconds(30), 8,
                Duration.ofSeconds(15));
    }
}
