package io.hpcbridge.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * A command captured on a real login node, read from a test resource in this format:
 *
 * <pre>
 * $ &lt;command&gt;
 * exit=&lt;n&gt;
 * --- stdout ---
 * &lt;stdout verbatim&gt;
 * --- stderr ---
 * &lt;stderr verbatim&gt;
 * </pre>
 *
 * An empty section is an empty string; otherwise each section keeps its text with the final newline.
 */
public record Transcript(String name, String command, int exitStatus, String stdout, String stderr) {

    private static final String STDOUT = "--- stdout ---\n";
    private static final String STDERR = "--- stderr ---\n";

    /** Loads a classpath resource, e.g. {@code htcondor/real/10-submit-terse.txt}. */
    public static Transcript load(String resource) {
        try (InputStream in = Transcript.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no transcript " + resource + " on the test classpath");
            }
            return parse(resource, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses a transcript's text. */
    public static Transcript parse(String name, String text) {
        String t = text.replace("\r\n", "\n");
        int l1 = t.indexOf('\n');
        int l2 = l1 < 0 ? -1 : t.indexOf('\n', l1 + 1);
        if (!t.startsWith("$ ") || l2 < 0) {
            throw new IllegalArgumentException(name + ": expected '$ <command>' and 'exit=<n>' lines");
        }
        String command = t.substring(2, l1);
        String exitLine = t.substring(l1 + 1, l2);
        if (!exitLine.startsWith("exit=")) {
            throw new IllegalArgumentException(name + ": expected 'exit=<n>', got '" + exitLine + "'");
        }
        int exit = Integer.parseInt(exitLine.substring("exit=".length()).strip());
        String rest = t.substring(l2 + 1);
        if (!rest.startsWith(STDOUT)) {
            throw new IllegalArgumentException(name + ": expected '" + STDOUT.strip() + "' on line 3");
        }
        rest = rest.substring(STDOUT.length());
        int err = rest.startsWith(STDERR) ? 0 : rest.indexOf("\n" + STDERR);
        if (err < 0) {
            throw new IllegalArgumentException(name + ": no '" + STDERR.strip() + "' line");
        }
        String stdout = err == 0 ? "" : rest.substring(0, err + 1);
        String stderr = rest.substring(err == 0 ? STDERR.length() : err + 1 + STDERR.length());
        return new Transcript(name, command, exit, stdout, stderr);
    }

    /** The captured answer, as a scripted shell returns it. */
    public CommandResult result() {
        return new CommandResult(exitStatus, stdout, stderr);
    }

    /** Program name: the command's first word. */
    public String program() {
        int space = command.indexOf(' ');
        return space < 0 ? command : command.substring(0, space);
    }
}
