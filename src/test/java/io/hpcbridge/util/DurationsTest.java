package io.hpcbridge.util;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DurationsTest {

    @ParameterizedTest(name = "{0} = {1}s")
    @CsvSource({
            "0s,        0",
            "45s,       45",
            "30m,       1800",
            "90m,       5400",
            "2h,        7200",
            "1h30m,     5400",
            "2d,        172800",
            "1d12h,     129600",
            "1d2h3m4s,  93784",
            "4s3m2h1d,  93784",
            "1h1h,      7200",
            "007m,      420",
            "86400s,    86400",
    })
    void parses(String text, long seconds) {
        assertThat(Durations.parse(text)).isEqualTo(Duration.ofSeconds(seconds));
    }

    @ParameterizedTest
    @ValueSource(strings = {"5 minutes", "5min", "1h30", "h", "1.5h", "-1s", "1H", "1w", " 1h", "1h ", "30", "1ms", "PT1H", "1h-30m"})
    void rejectsAndNamesTheText(String text) {
        assertThatThrownBy(() -> Durations.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text + "'")
                .hasMessageContaining("not a duration");
    }

    @ParameterizedTest
    @NullAndEmptySource
    void rejectsNullAndEmpty(String text) {
        assertThatThrownBy(() -> Durations.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void parseOrFallsBackOnlyWhenBlank() {
        Duration fallback = Duration.ofMinutes(7);

        assertThat(Durations.parseOr(null, fallback)).isEqualTo(fallback);
        assertThat(Durations.parseOr("", fallback)).isEqualTo(fallback);
        assertThat(Durations.parseOr("   ", fallback)).isEqualTo(fallback);
        assertThat(Durations.parseOr("2m", fallback)).isEqualTo(Duration.ofMinutes(2));
        assertThatThrownBy(() -> Durations.parseOr("soon", fallback)).isInstanceOf(IllegalArgumentException.class);
    }

    /** Text matching the CRD pattern but too large must still fail as IllegalArgumentException, which callers catch. */
    @ParameterizedTest
    @ValueSource(strings = {"99999999999999999999s", "9223372036854775807d", "200000000000000d", "9223372036854775807s9223372036854775807s"})
    void hugeValuesAreRejectedAsIllegalArguments(String text) {
        assertThatThrownBy(() -> Durations.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text + "'");
    }

    @ParameterizedTest(name = "{0}s = {1}")
    @CsvSource({
            "0,       0s",
            "45,      45s",
            "60,      1m",
            "120,     2m",
            "5400,    1h30m",
            "3600,    1h",
            "3661,    1h1m1s",
            "86400,   1d",
            "129600,  1d12h",
            "93784,   1d2h3m4s",
            "172860,  2d1m",
    })
    void formatsLargestUnitsFirst(long seconds, String text) {
        assertThat(Durations.format(Duration.ofSeconds(seconds))).isEqualTo(text);
        assertThat(Durations.parse(text)).isEqualTo(Duration.ofSeconds(seconds));
    }

    @Test
    void formatRoundsFractionsUpAndRejectsNegativeAndNull() {
        assertThat(Durations.format(Duration.ofMillis(1))).isEqualTo("1s");
        assertThat(Durations.format(Duration.ofMillis(59_001))).isEqualTo("1m");
        assertThatThrownBy(() -> Durations.format(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Durations.format(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
