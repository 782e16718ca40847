package io.hpcbridge.gateway;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ShellQuoteTest {

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource(delimiter = '#', quoteCharacter = '"', textBlock = """
            plain                 # plain
            /a/b-c_d.e,f:g=h+i@j%k # /a/b-c_d.e,f:g=h+i@j%k
            a b                   # 'a b'
            it's                  # 'it'\\''s'
            $(rm -rf /)           # '$(rm -rf /)'
            `id`                  # '`id`'
            ~root                 # '~root'
            *                     # '*'
            ""                    # ''
            """)
    void quotes(String input, String expected) {
        assertThat(ShellQuote.quote(input)).isEqualTo(expected);
    }

    @Test
    void rejectsNul() {
        assertThatThrownBy(() -> ShellQuote.quote("a\0b"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NUL");
    }

    @Test
    void joinsArgv() {
        assertThat(ShellQuote.join(List.of("sbatch", "--job-name=a b", "x'y"))).isEqualTo("sbatch '--job-name=a b' 'x'\\''y'");
    }

    static Stream<String> nasty() {
        return Stream.of(
                "", " ", "a b", "it's", "'", "''", "\"", "\\", "\\'", "$(rm -rf /)", "`id`", "${HOME}", "$HOME",
                "a;b", "a&&b", "a|b", "a>b", "<x", "*", "?", "[a]", "~", "~root", "#comment", "!", "!!",
                "line1\nline2", "\n", "tab\there", "\r\n", "-n", "-e", "--", "%s%d", "ünïcødé ✓", "a'b\"c$d`e\\f",
                "'\"'\"'", "{a,b}", "a=b", "IFS=x", "\u0001\u007f");
    }

    /** What bash prints for {@code printf %s <quoted>} must be the original string, byte for byte. */
    @ParameterizedTest
    @MethodSource("nasty")
    void roundTripsThroughBash(String s) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "needs /bin/bash");
        Process p = new ProcessBuilder("/bin/bash", "-c", "printf %s " + ShellQuote.quote(s))
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        p.getOutputStream().close();
        byte[] out = readAll(p.getInputStream());
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(new String(out, StandardCharsets.UTF_8)).isEqualTo(s);
    }

    private static byte[] readAll(InputStream in) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        in.transferTo(b);
        return b.toByteArray();
    }
}
