package io.hpcbridge.campaign;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import io.hpcbridge.api.v1alpha1.CampaignTask;
import io.hpcbridge.api.v1alpha1.Constants;
import io.hpcbridge.api.v1alpha1.EnvVar;

/**
 * Expansion of a campaign task's {@code matrix} or {@code shards} into the Tasks it stands for. Pure: no I/O.
 *
 * <p>Naming:
 * <ul>
 * <li>shards: {@code <name>-0} ... {@code <name>-(N-1)}.</li>
 * <li>matrix: {@code <name>-<v1>-<v2>...}, one part per key, keys in sorted order (the order the API server stores
 * them in, so names do not depend on how a client built the map), the first key varying slowest. Each value is made
 * DNS-safe by {@link #sanitise}. A dimension with a value that is empty after sanitising, or with two values equal after
 * sanitising, uses the values' 0-based positions in its list instead. If the longest generated name would exceed 63
 * characters, or two combinations would get the same name (possible when sanitised values contain '-', e.g.
 * {@code a-b}+{@code c} and {@code a}+{@code b-c}), every dimension uses positions.</li>
 * </ul>
 *
 * <p>Parameters (TaskSpec.parameters) are exactly the environment variables the sweep adds, in order: for a matrix
 * {key: original value} per key, for shards {@code {HPCB_SHARD_INDEX: "<i>", HPCB_SHARD_COUNT: "<N>"}}. A task that is
 * not swept expands to itself, with no parameters.
 *
 * <p>Callers first {@link #check} a task, then compare {@link #count} against their limit, and only then
 * {@link #expand}: check and count never materialise the combinations.
 */
public final class SweepExpansion {
    public static final String SHARD_INDEX = "HPCB_SHARD_INDEX";
    public static final String SHARD_COUNT = "HPCB_SHARD_COUNT";
    /** Task names become label values, which Kubernetes limits to 63 characters. */
    public static final int MAX_NAME_LENGTH = 63;
    public static final String MATRIX = "matrix";
    public static final String SHARDS = "shards";

    private static final Pattern ENV_NAME = Pattern.compile(Constants.ENV_NAME_PATTERN);
    private static final Pattern NOT_DNS = Pattern.compile("[^a-z0-9]+");
    /** Dimensions listed in messages before the rest is summarised. */
    private static final int DESCRIBED_DIMENSIONS = 10;

    /** One Task a campaign task stands for: its name and, for a sweep, its parameters (unmodifiable, in order). */
    public record Generated(String name, Map<String, String> parameters) {
        /** The parameters as environment variables, in order (fresh objects). */
        public List<EnvVar> env() {
            List<EnvVar> env = new ArrayList<>(parameters.size());
            parameters.forEach((k, v) -> env.add(new EnvVar(k, v)));
            return env;
        }
    }

    private SweepExpansion() {
    }

    /** {@link #MATRIX} when the task has a non-empty matrix, {@link #SHARDS} when it sets shards, else null. */
    public static String kind(CampaignTask task) {
        if (task.getMatrix() != null && !task.getMatrix().isEmpty()) {
            return MATRIX;
        }
        return task.getShards() != null ? SHARDS : null;
    }

    public static boolean isSwept(CampaignTask task) {
        return kind(task) != null;
    }

    /**
     * What is wrong with the task's sweep, as InvalidSweep problems naming the task; empty when it can be expanded (and
     * always for a task that is not swept). Does not look at the total count. The task's name must be a DNS label.
     */
    public static List<PlanProblem> check(CampaignTask task) {
        String name = task.getName();
        List<PlanProblem> problems = new ArrayList<>();
        boolean hasMatrix = task.getMatrix() != null && !task.getMatrix().isEmpty();
        if (hasMatrix && task.getShards() != null) {
            problems.add(invalid(name, "matrix and shards cannot both be set"));
            return problems;
        }
        Set<String> envNames = new HashSet<>();
        for (EnvVar e : task.getEnv()) {
            envNames.add(e.getName());
        }
        if (task.getShards() != null) {
            int n = task.getShards();
            if (n < 1) {
                problems.add(invalid(name, "shards must be at least 1, not " + n));
                return problems;
            }
            for (String var : List.of(SHARD_INDEX, SHARD_COUNT)) {
                if (envNames.contains(var)) {
                    problems.add(invalid(name, "env '" + var + "' is set by shards, so env must not define it"));
                }
            }
            int length = name.length() + 1 + digits(n - 1);
            if (length > MAX_NAME_LENGTH) {
                problems.add(invalid(name, "generated names would be up to " + length + " characters long (e.g. '" + name + "-" + (n - 1)
                        + "'); at most " + MAX_NAME_LENGTH + " are allowed"));
            }
            return problems;
        }
        if (!hasMatrix) {
            return problems;
        }
        boolean sized = true;
        int indexLength = name.length();
        StringBuilder example = new StringBuilder(name);
        for (Map.Entry<String, List<String>> dim : sorted(task.getMatrix()).entrySet()) {
            String key = dim.getKey();
            List<String> values = dim.getValue();
            if (key == null || !ENV_NAME.matcher(key).matches()) {
                problems.add(invalid(name, "matrix key '" + key + "' is not an environment variable name (letters, digits and '_', not starting with a digit)"));
            } else if (key.equals("true") || key.equals("false")) {
                // kubectl reads YAML 1.1: an unquoted key y, n, yes, no, on or off arrives here as "true" or "false".
                problems.add(invalid(name, "matrix key '" + key + "' looks like a YAML 1.1 boolean: keys such as n, y, no, yes, on and off"
                        + " are read as true/false unless quoted; quote the key (\"n\":) or choose another name"));
            } else if (envNames.contains(key)) {
                problems.add(invalid(name, "env '" + key + "' is also a matrix key, which sets it"));
            }
            if (values == null || values.isEmpty()) {
                problems.add(invalid(name, "matrix '" + key + "' has no values; every list needs at least one"));
                sized = false;
                continue;
            }
            for (String v : values) {
                if (v == null) {
                    problems.add(invalid(name, "matrix '" + key + "' has a null value"));
                    break;
                }
            }
            indexLength += 1 + digits(values.size() - 1);
            example.append('-').append(values.size() - 1);
        }
        if (sized && indexLength > MAX_NAME_LENGTH) {
            problems.add(invalid(name, "generated names would be " + indexLength + " characters long even with indices (e.g. '" + example
                    + "'); at most " + MAX_NAME_LENGTH + " are allowed"));
        }
        return problems;
    }

    /**
     * How many Tasks the task stands for: 1 when not swept, N for shards, the product of the list sizes for a matrix.
     * Exact, never overflows; computed without materialising anything. Meaningful only when {@link #check} is empty
     * (an empty or missing list counts as 0, shards below 1 as 0).
     */
    public static BigInteger count(CampaignTask task) {
        String kind = kind(task);
        if (kind == null) {
            return BigInteger.ONE;
        }
        if (kind.equals(SHARDS)) {
            return BigInteger.valueOf(Math.max(0, task.getShards()));
        }
        BigInteger product = BigInteger.ONE;
        for (List<String> values : task.getMatrix().values()) {
            product = product.multiply(BigInteger.valueOf(values == null ? 0 : values.size()));
        }
        return product;
    }

    /** The sweep for messages: "matrix 100 x 120", "5000 shards"; null when the task is not swept. */
    public static String describe(CampaignTask task) {
        String kind = kind(task);
        if (kind == null) {
            return null;
        }
        if (kind.equals(SHARDS)) {
            return task.getShards() + " shards";
        }
        List<String> sizes = new ArrayList<>();
        for (List<String> values : sorted(task.getMatrix()).values()) {
            sizes.add(Integer.toString(values == null ? 0 : values.size()));
        }
        if (sizes.size() > DESCRIBED_DIMENSIONS) {
            return "matrix " + String.join(" x ", sizes.subList(0, DESCRIBED_DIMENSIONS)) + " x ... (" + sizes.size() + " lists)";
        }
        return "matrix " + String.join(" x ", sizes);
    }

    /**
     * The Tasks the campaign task stands for, in order (for a matrix the first key varies slowest). Requires an empty
     * {@link #check}; materialises {@link #count} entries, so compare that against a limit first.
     */
    public static List<Generated> expand(CampaignTask task) {
        String kind = kind(task);
        if (kind == null) {
            return List.of(new Generated(task.getName(), Map.of()));
        }
        if (!check(task).isEmpty()) {
            throw new IllegalArgumentException("task '" + task.getName() + "' has an invalid sweep");
        }
        if (kind.equals(SHARDS)) {
            int n = task.getShards();
            String count = Integer.toString(n);
            List<Generated> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                Map<String, String> parameters = new LinkedHashMap<>(4);
                parameters.put(SHARD_INDEX, Integer.toString(i));
                parameters.put(SHARD_COUNT, count);
                out.add(new Generated(task.getName() + "-" + i, Collections.unmodifiableMap(parameters)));
            }
            return out;
        }
        Map<String, List<String>> matrix = sorted(task.getMatrix());
        List<String> keys = new ArrayList<>(matrix.keySet());
        List<List<String>> values = new ArrayList<>();
        for (List<String> dim : matrix.values()) {
            values.add(List.copyOf(dim)); // random access, and no later change of the spec can reach us
        }
        List<List<String>> labels = new ArrayList<>();
        int length = task.getName().length();
        boolean anyValues = false;
        for (List<String> dim : values) {
            List<String> l = valueLabels(dim);
            anyValues |= l != null;
            labels.add(l != null ? l : indexLabels(dim.size()));
            length += 1 + maxLength(labels.get(labels.size() - 1));
        }
        if (anyValues && length > MAX_NAME_LENGTH) {
            labels = allIndexLabels(values);
            anyValues = false;
        }
        List<Generated> out = product(task.getName(), keys, values, labels);
        if (anyValues) {
            Set<String> seen = new HashSet<>(out.size() * 2);
            for (Generated g : out) {
                if (!seen.add(g.name())) {
                    return product(task.getName(), keys, values, allIndexLabels(values));
                }
            }
        }
        return out;
    }

    /**
     * A value as a part of a DNS label: lower-cased, every run of characters other than a-z and 0-9 replaced by one
     * '-', leading and trailing '-' removed. "0.1" -> "0-1", "ResNet_50" -> "resnet-50", "--" -> "".
     */
    public static String sanitise(String value) {
        String s = NOT_DNS.matcher(value.toLowerCase(Locale.ROOT)).replaceAll("-");
        int start = 0;
        int end = s.length();
        while (start < end && s.charAt(start) == '-') {
            start++;
        }
        while (end > start && s.charAt(end - 1) == '-') {
            end--;
        }
        return s.substring(start, end);
    }

    // ---- internals -------------------------------------------------------------------------------------------------

    private static PlanProblem invalid(String task, String what) {
        return new PlanProblem(PlanProblem.INVALID_SWEEP, "task '" + task + "': " + what);
    }

    private static Map<String, List<String>> sorted(Map<String, List<String>> matrix) {
        // TreeMap cannot hold a null key; such a key is reported by check and never expanded
        for (String key : matrix.keySet()) {
            if (key == null) {
                return matrix;
            }
        }
        return new TreeMap<>(matrix);
    }

    private static int digits(int n) {
        return Integer.toString(n).length();
    }

    /** The sanitised values, or null when they are not usable as names (one empty, or two equal). */
    private static List<String> valueLabels(List<String> values) {
        List<String> labels = new ArrayList<>(values.size());
        Set<String> seen = new HashSet<>();
        for (String v : values) {
            String label = sanitise(v);
            if (label.isEmpty() || !seen.add(label)) {
                return null;
            }
            labels.add(label);
        }
        return labels;
    }

    private static List<String> indexLabels(int size) {
        List<String> labels = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            labels.add(Integer.toString(i));
        }
        return labels;
    }

    private static List<List<String>> allIndexLabels(List<List<String>> values) {
        List<List<String>> labels = new ArrayList<>();
        for (List<String> dim : values) {
            labels.add(indexLabels(dim.size()));
        }
        return labels;
    }

    private static int maxLength(List<String> labels) {
        int max = 0;
        for (String l : labels) {
            max = Math.max(max, l.length());
        }
        return max;
    }

    /** The cartesian product, first dimension slowest, like nested loops in key order. */
    private static List<Generated> product(String name, List<String> keys, List<List<String>> values, List<List<String>> labels) {
        int dims = keys.size();
        int total = 1;
        for (List<String> dim : values) {
            total = Math.multiplyExact(total, dim.size());
        }
        List<Generated> out = new ArrayList<>(total);
        int[] at = new int[dims];
        StringBuilder sb = new StringBuilder(MAX_NAME_LENGTH);
        for (int n = 0; n < total; n++) {
            sb.setLength(0);
            sb.append(name);
            Map<String, String> parameters = new LinkedHashMap<>(dims * 2);
            for (int d = 0; d < dims; d++) {
                sb.append('-').append(labels.get(d).get(at[d]));
                parameters.put(keys.get(d), values.get(d).get(at[d]));
            }
            out.add(new Generated(sb.toString(), Collections.unmodifiableMap(parameters)));
            for (int d = dims - 1; d >= 0; d--) {
                if (++at[d] < values.get(d).size()) {
                    break;
                }
                at[d] = 0;
            }
        }
        return out;
    }
}
