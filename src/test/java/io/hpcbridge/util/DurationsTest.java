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
}
