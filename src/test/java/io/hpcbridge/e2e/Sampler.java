package io.hpcbridge.e2e;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs an action at a fixed period on a daemon thread until closed, for tests that watch something while a campaign
 * runs. A failing action is ignored (it is sampling, not asserting); closing waits for a running sample to finish, so
 * what the samples recorded is final afterwards.
 */
final class Sampler implements AutoCloseable {
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    Sampler(String name, Duration period, Runnable action) {
        thread = new Thread(() -> {
            while (running.get()) {
                try {
                    action.run();
                } catch (RuntimeException | AssertionError ignored) {
                    // sampling only
                }
                try {
                    Thread.sleep(period.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() {
        running.set(false);
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
