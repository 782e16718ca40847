package io.hpcbridge.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ClusterShareTest {
    static Stream<Arguments> cases() {
        return Stream.of(
                // capacity, wants (oldest first), expected allotment
                Arguments.of(10, wants(20), wants(10)),
                Arguments.of(10, wants(20, 20), wants(5, 5)),
                Arguments.of(10, wants(2, 20), wants(2, 8)),
                Arguments.of(10, wants(20, 2), wants(8, 2)),
                Arguments.of(10, wants(3, 3, 3), wants(3, 3, 3)),
                Arguments.of(10, wants(20, 20, 20), wants(4, 3, 3)),
                Arguments.of(1, wants(5, 5), wants(1, 0)),
                Arguments.of(0, wants(5), wants(0)),
                Arguments.of(7, wants(0, 9), wants(0, 7)),
                Arguments.of(4, Map.of(), Map.of()));
    }

    @ParameterizedTest(name = "{0} slots for {1} -> {2}")
    @MethodSource("cases")
    void waterFillsEqualSharesAndGivesRemaindersToOlderCampaigns(int capacity, Map<String, Integer> wants, Map<String, Integer> expected) {
        Map<String, Integer> allotted = ClusterShare.allot(capacity, wants);
        assertThat(allotted).containsExactlyInAnyOrderEntriesOf(expected);
        assertThat(allotted.values().stream().mapToInt(Integer::intValue).sum()).isLessThanOrEqualTo(capacity);
    }

    private static Map<String, Integer> wants(int... w) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (int i = 0; i < w.length; i++) {
            m.put("c" + i, w[i]);
        }
        return m;
    }
}
