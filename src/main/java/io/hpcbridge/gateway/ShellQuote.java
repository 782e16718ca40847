package io.hpcbridge.gateway;

import java.util.List;
import java.util.stream.Collectors;

/** POSIX shell quoting: every argument becomes one literal word, whatever it contains. */
public final class ShellQuote {
    private ShellQuote() {
    }

    public static String quote(String arg) {
        if (arg.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("NUL byte in a shell argument");
        }
        if (!arg.isEmpty() && arg.chars().allMatch(ShellQuote::isSafe)) {
            return arg;
        }
        return "'" + arg.replace("'", "'\\''") + "'";
    }

    public static String join(List<String> argv) {
        return argv.stream().map(ShellQuote::quote).collect(Collectors.joining(" "));
    }

    private static boolean isSafe(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '-' || c == '_' || c == '.' || c == '/' || c == ',' || c == ':' || c == '=' || c == '+' || c == '@' || c == '%';
    }
}
