package io.hpcbridge.cluster;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.hpcbridge.gateway.CommandResult;
import io.hpcbridge.gateway.RemoteException;
import io.hpcbridge.gateway.RemoteShell;

/**
 * Reads the exit-code files that job wrappers write, for many jobs in one command. Scheduler-neutral evidence of how
 * a script ended, used when accounting is down or late and to correct accounting's transient answers.
 */
public final class ExitCodeFiles {
    /** Paths per command: keeps the command line far below ARG_MAX. */
    static final int CHUNK = 200;
    private static final String READ_ALL = "for f in \"$@\"; do [ -f \"$f\" ] && printf '%s|%s\\n' \"$f\" \"$(head -c 16 -- \"$f\")\"; done; exit 0";

    private ExitCodeFiles() {
    }

    /** Exit codes by path, for the files that exist and hold a number. */
    public static Map<String, Integer> read(RemoteShell shell, Collection<String> paths) throws RemoteException {
        Map<String, Integer> codes = new HashMap<>();
        List<String> all = new ArrayList<>(paths);
        for (int i = 0; i < all.size(); i += CHUNK) {
            List<String> argv = new ArrayList<>(List.of("sh", "-c", READ_ALL, "exitcodes"));
            argv.addAll(all.subList(i, Math.min(all.size(), i + CHUNK)));
            CommandResult r = shell.exec(argv);
            if (!r.ok()) {
                throw new RemoteException("reading exit-code files failed: " + r.stderr().strip());
            }
            codes.putAll(parse(r.stdout()));
        }
        return codes;
    }

    /** Lines {@code path|code}; a file being written (empty or not a number) is skipped, never guessed. */
    static Map<String, Integer> parse(String output) {
        Map<String, Integer> codes = new HashMap<>();
        for (String line : output.split("\n")) {
            int bar = line.lastIndexOf('|');
            if (bar <= 0) {
                continue;
            }
            String code = line.substring(bar + 1).strip();
            if (code.matches("[0-9]{1,3}")) {
                codes.put(line.substring(0, bar), Integer.parseInt(code));
            }
        }
        return codes;
    }
}
