package io.hpcbridge.util;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QuantitiesTest {

    @ParameterizedTest(name = "{0} = {1} bytes")
    @CsvSource({
            "0,         0",
            "1,         1",
            "1000000,   1000000",
            "1Ki,       1024",
            "512Mi,     536870912",
            "4Gi,       4294967296",
            "1.5Gi,     1610612736",
            "1Ti,       1099511627776",
            "1Pi,       1125899906842624",
            "1Ei,       1152921504606846976",
            "7Ei,       8070450532247928832",
            "1k,        1000",
            "1K,        1000",
            "2M,        2000000",
            "2G,        2000000000",
            "3T,        3000000000000",
            "1P,        1000000000000000",
            "9E,        9000000000000000000",
            "0.5,       1",
            "1.0001Ki,  1025",
            "0.1k,      100",
    })
    void bytes(String text, long bytes) {
        assertThat(Quantities.bytes(text)).isEqualTo(bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"lots", "1m", "1 Gi", "1gi", "1GB", "-1Gi", "Gi", ".5Gi", "1.Gi", "1e3", "1Gi ", "0x10"})
    void rejectsAndNamesTheText(String text) {
        assertThatThrownBy(() -> Quantities.bytes(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text + "'")
                .hasMessageContaining("not a memory quantity");
    }

    @ParameterizedTest
    @NullAndEmptySource
    void rejectsNullAndEmpty(String text) {
        assertThatThrownBy(() -> Quantities.bytes(text)).isInstanceOf(IllegalArgumentException.class);
    }

    /** Matches the CRD pattern but does not fit in a long: must fail as IllegalArgumentException, which callers catch. */
    @ParameterizedTest
    @ValueSource(strings = {"8Ei", "16Ei", "10E", "9223372036854775808", "99999999999999999999999Gi"})
    void tooLargeIsRejectedAsIllegalArgument(String text) {
        assertThatThrownBy(() -> Quantities.bytes(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text + "'");
    }

    @ParameterizedTest(name = "{0} bytes = {1}")
    @CsvSource({
            "0,             0",
            "1,             1",
            "1000,          1000",
            "1024,          1Ki",
            "1025,          1025",
            "1048576,       1Mi",
            "536870912,     512Mi",
            "1610612736,    1536Mi",
            "1073741824,    1Gi",
            "2147483648,    2Gi",
            "1099511627776, 1024Gi",
            "3145728000,    3000Mi",
    })
    void formatsAsTheTidiestExactBinaryUnit(long bytes, String text) {
        assertThat(Quantities.format(bytes)).isEqualTo(text);
        assertThat(Quantities.bytes(text)).isEqualTo(bytes);
    }

    @Test
    void formatRoundTripsLargeValuesAndRejectsNegative() {
        assertThat(Quantities.bytes(Quantities.format(Long.MAX_VALUE))).isEqualTo(Long.MAX_VALUE);
        assertThat(Quantities.bytes(Quantities.format((Long.MAX_VALUE >> 30) << 30))).isEqualTo((Long.MAX_VALUE >> 30) << 30);
        assertThatThrownBy(() -> Quantities.format(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
