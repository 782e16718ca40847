package io.hpcbridge.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.hpcbridge.api.v1alpha1.Task;

class RecentWritesTest {
    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

    private static Task task(String name, long generation) {
        Task t = new Task();
        t.getMetadata().setName(name);
        t.getMetadata().setNamespace("ns");
        t.getMetadata().setGeneration(generation);
        return t;
    }

    @Test
    void aCreatedObjectTheCacheHasNotSeenIsAddedUntilTheCacheHasIt() {
        RecentWrites<Task> w = new RecentWrites<>();
        w.record(task("a", 1), T0);
        assertThat(w.overlay(List.of(), t -> true, T0).keySet()).containsExactly("a");
        assertThat(w.overlay(List.of(), t -> false, T0)).as("only objects that belong").isEmpty();
        // The cache catches up: the entry is forgotten, so a later deletion is not hidden by it.
        assertThat(w.overlay(List.of(task("a", 1)), t -> true, T0).keySet()).containsExactly("a");
        assertThat(w.overlay(List.of(), t -> true, T0)).isEmpty();
    }

    @Test
    void aNewerGenerationWinsOverTheCacheUntilTheCacheReachesIt() {
        RecentWrites<Task> w = new RecentWrites<>();
        Task reset = task("a", 2);
        w.record(reset, T0);
        assertThat(w.overlay(List.of(task("a", 1)), t -> true, T0).get("a")).isSameAs(reset);
        Task cached = task("a", 2);
        assertThat(w.overlay(List.of(cached), t -> true, T0).get("a")).isSameAs(cached);
        assertThat(w.recorded(t -> true)).isEmpty();
    }

    @Test
    void entriesExpire() {
        RecentWrites<Task> w = new RecentWrites<>();
        w.record(task("a", 1), T0);
        assertThat(w.overlay(List.of(), t -> true, T0.plus(RecentWrites.TTL).plusSeconds(1))).isEmpty();
    }
}
