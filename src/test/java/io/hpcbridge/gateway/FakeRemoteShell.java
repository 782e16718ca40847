package io.hpcbridge.gateway;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A scripted login node for adapter tests. Records every argv; answers by program name (argv[0], or the command after
 * {@code env VAR=value...}) or by a function of the whole argv; can throw to simulate a dead connection. Files uploaded
 * are kept in memory and can be read back with {@link #readTail}.
 */
public class FakeRemoteShell implements RemoteShell {

    /** Answers one command; may throw to simulate a transport failure. */
    @FunctionalInterface
    public interface Responder {
        CommandResult answer(List<String> argv) throws RemoteException;
    }

    private final List<List<String>> calls = new CopyOnWriteArrayList<>();
    private final List<RemoteOperation> operations = new CopyOnWriteArrayList<>();
    private final Map<String, Responder> byProgram = new HashMap<>();
    private final Map<String, byte[]> files = new HashMap<>();
    private Responder fallback = argv -> {
        throw new AssertionError("unexpected command: " + argv);
    };

    /** Answers every call of this program with the given result. */
    public FakeRemoteShell on(String program, CommandResult result) {
        return on(program, argv -> result);
    }

    /** Answers every call of this program with the given function. */
    public FakeRemoteShell on(String program, Responder responder) {
        byProgram.put(program, responder);
        return this;
    }

    /** Answers calls of this program with exit 0 and this stdout. */
    public FakeRemoteShell onOk(String program, String stdout) {
        return on(program, ok(stdout));
    }

    /** Every call of this program throws, as if the connection died. */
    public FakeRemoteShell failing(String program, String message) {
        return on(program, argv -> {
            throw new RemoteException(message);
        });
    }

    /** Answers commands that no program-specific responder handles. */
    public FakeRemoteShell otherwise(Responder responder) {
        this.fallback = responder;
        return this;
    }

    public static CommandResult ok(String stdout) {
        return new CommandResult(0, stdout, "");
    }

    public static CommandResult error(int exit, String stderr) {
        return new CommandResult(exit, "", stderr);
    }

    @Override
    public CommandResult exec(RemoteOperation operation, List<String> argv) throws RemoteException {
        List<String> copy = List.copyOf(argv);
        calls.add(copy);
        operations.add(operation);
        Responder r = byProgram.getOrDefault(program(copy), fallback);
        return r.answer(copy);
    }

    @Override
    public void upload(String remotePath, byte[] content, int mode) {
        calls.add(List.of("<upload>", remotePath, Integer.toOctalString(mode)));
        files.put(remotePath, content.clone());
    }

    @Override
    public byte[] readTail(String remotePath, int maxBytes) {
        byte[] content = files.get(remotePath);
        if (content == null) {
            return null;
        }
        int from = Math.max(0, content.length - maxBytes);
        byte[] out = new byte[content.length - from];
        System.arraycopy(content, from, out, 0, out.length);
        return out;
    }

    public String file(String remotePath) {
        byte[] b = files.get(remotePath);
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    @Override
    public String endpoint() {
        return "fake-login:22";
    }

    /** Every argv run so far, in order. */
    public List<List<String>> calls() {
        return List.copyOf(calls);
    }

    /** The argvs whose program is this one. */
    public List<List<String>> callsTo(String program) {
        List<List<String>> out = new ArrayList<>();
        for (List<String> c : calls) {
            if (program.equals(program(c))) {
                out.add(c);
            }
        }
        return out;
    }

    /** The operation of every command run so far, in order (uploads are not commands). */
    public List<RemoteOperation> operations() {
        return List.copyOf(operations);
    }

    public void reset() {
        calls.clear();
        operations.clear();
    }

    /** The program run: argv[0], or past {@code env} and its VAR=value assignments. */
    public static String program(List<String> argv) {
        if (argv.isEmpty()) {
            return "";
        }
        if (!argv.get(0).equals("env")) {
            return argv.get(0);
        }
        for (int i = 1; i < argv.size(); i++) {
            String a = argv.get(i);
            if (!a.contains("=") || a.startsWith("-")) {
                return a;
            }
        }
        return "env";
    }
}
