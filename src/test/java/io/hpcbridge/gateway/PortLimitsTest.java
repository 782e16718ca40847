package io.hpcbridge.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PortLimitsTest {

    @Test
    void commonProblemsNameTheirFields() {
        ResourceRequest bad = new ResourceRequest(0, 0L, Duration.ZERO, -1, 0L, null, null, Map.of(), Map.of());
        assertThat(PortLimits.commonProblems(bad)).containsExactly("resources.cpus must be at least 1, got 0",
                "resources.memory must be positive", "resources.time must be positive", "resources.gpus must not be negative, got -1",
                "resources.disk must be positive");
        assertThat(PortLimits.commonProblems(new ResourceRequest(null, null, Duration.ofDays(3651), null, null, null, null, null, null)))
                .singleElement().asString().startsWith("resources.time is too large");
        assertThat(PortLimits.commonProblems(ResourceRequest.NONE)).isEmpty();
        assertThat(PortLimits.commonProblems(null)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"1, 1024, 1", "1024, 1024, 1", "1025, 1024, 2", "1000000000, 1048576, 954"})
    void roundsUpToTheUnit(long bytes, long unit, long expected) {
        assertThat(PortLimits.roundUp(bytes, unit)).isEqualTo(expected);
    }

    @Test
    void chunksKeepOrderAndSize() {
        assertThat(PortLimits.chunks(List.of(1, 2, 3, 4, 5), 2)).containsExactly(List.of(1, 2), List.of(3, 4), List.of(5));
        assertThat(PortLimits.chunks(List.of(), 2)).isEmpty();
    }

    @Test
    void boundedMessagesNeverExceedTheLimitNorSplitACharacter() {
        String long_ = "✓".repeat(3000);
        String b = PortLimits.bounded(long_);
        assertThat(b.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(PortLimits.MAX_MESSAGE_BYTES);
        assertThat(b).endsWith("…").doesNotContain("\uFFFD");
        assertThat(PortLimits.bounded("  short \n")).isEqualTo("short");
        assertThat(PortLimits.bounded(null)).isEmpty();
    }
}
