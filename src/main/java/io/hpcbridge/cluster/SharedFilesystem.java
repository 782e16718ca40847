package io.hpcbridge.cluster;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.hpcbridge.gateway.CommandResult;
import io.hpcbridge.gateway.RemoteException;
import io.hpcbridge.gateway.RemoteOperation;
import io.hpcbridge.gateway.RemoteShell;

/**
 * The filesystem that a cluster's login nodes share with the jobs they submit: the one place that relies on it. Every
 * attempt's work directory is created and claimed here before its job is submitted, its script and wrapper are written
 * here, and after the job the wrapper's exit-code file and the tail of stderr are read back here. Both supported
 * schedulers run jobs with this filesystem mounted (HTCondor with {@code should_transfer_files = NO}); a site
 * without one would need file transfer instead, which this version does not do.
 */
public final class SharedFilesystem {
    /** Exit status of the work-directory claim when the directory belongs to something else. */
    static final int WORK_DIR_TAKEN = 45;
    /** Paths per exit-code command: keeps the command line far below ARG_MAX. */
    static final int EXIT_CODE_CHUNK = 200;

    /**
     * Creates the parent directories, then the attempt's directory, and claims it with the token. A directory that
     * exists with another token, or with files but no token, is someone else's evidence and is left untouched.
     */
    private static final String CLAIM_WORK_DIR = """
            mkdir -p -- "$(dirname -- "$1")" || exit 1
            mkdir -- "$1" 2>/dev/null
            if [ -f "$1/.hpcb-attempt" ]; then
              [ "$(cat -- "$1/.hpcb-attempt")" = "$2" ] || exit 45
            else
              [ -d "$1" ] || exit 1
              [ -z "$(ls -A -- "$1")" ] || exit 45
              printf '%s' "$2" > "$1/.hpcb-attempt" || exit 1
            fi
            """;
    private static final String READ_EXIT_CODES =
            "for f in \"$@\"; do [ -f \"$f\" ] && printf '%s|%s\\n' \"$f\" \"$(head -c 16 -- \"$f\")\"; done; exit 0";

    /** The answer to a work-directory claim. */
    public enum Claim {
        /** The directory is this attempt's (new, or claimed with the same token before). */
        CLAIMED,
        /** The directory holds another attempt's files, or files without a claim: they are kept as they are. */
        TAKEN
    }

    private final RemoteShell shell;

    public SharedFilesystem(RemoteShell shell) {
        this.shell = shell;
    }

    /** Creates and claims {@code workDir} for the attempt with this token. */
    public Claim claim(String workDir, String token) throws RemoteException {
        CommandResult claim = shell.exec(RemoteOperation.FILES, List.of("sh", "-c", CLAIM_WORK_DIR, "claim", workDir, token));
        if (claim.exitStatus() == WORK_DIR_TAKEN) {
            return Claim.TAKEN;
        }
        if (!claim.ok()) {
            throw new RemoteException("could not create work directory " + workDir + ": " + claim.stderr().strip());
        }
        return Claim.CLAIMED;
    }

    /** Writes a file with the given permission bits. */
    public void write(String path, String content, int mode) throws RemoteException {
        shell.upload(path, content.getBytes(StandardCharsets.UTF_8), mode);
    }

    /** The last {@code maxBytes} of a file as text, or null when it does not exist. */
    public String tail(String path, int maxBytes) throws RemoteException {
        byte[] tail = shell.readTail(path, maxBytes);
        return tail == null ? null : new String(tail, StandardCharsets.UTF_8);
    }

    /**
     * Exit codes that job wrappers wrote, by path, for the files that exist and hold a number: scheduler-neutral
     * evidence of how a script ended, used when history is down or late and to correct its transient answers. Many
     * files per command.
     */
    public Map<String, Integer> exitCodes(Collection<String> paths) throws RemoteException {
        Map<String, Integer> codes = new HashMap<>();
        List<String> all = new ArrayList<>(paths);
        for (int i = 0; i < all.size(); i += EXIT_CODE_CHUNK) {
            List<String> argv = new ArrayList<>(List.of("sh", "-c", READ_EXIT_CODES, "exitcodes"));
            argv.addAll(all.subList(i, Math.min(all.size(), i + EXIT_CODE_CHUNK)));
            CommandResult r = shell.exec(RemoteOperation.FILES, argv);
            if (!r.ok()) {
                throw new RemoteException("reading exit-code files failed: " + r.stderr().strip());
            }
            codes.putAll(parseExitCodes(r.stdout()));
        }
        return codes;
    }

    /** Lines {@code path|code}; a file being written (empty or not a number) is skipped, never guessed. */
    static Map<String, Integer> parseExitCodes(String output) {
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
