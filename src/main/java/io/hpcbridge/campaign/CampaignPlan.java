package io.hpcbridge.campaign;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.regex.Pattern;

import io.hpcbridge.api.v1alpha1.Backoff;
import io.hpcbridge.api.v1alpha1.CampaignDefaults;
import io.hpcbridge.api.v1alpha1.CampaignSpec;
import io.hpcbridge.api.v1alpha1.CampaignTask;
import io.hpcbridge.api.v1alpha1.ClassAdAttribute;
import io.hpcbridge.api.v1alpha1.Constants;
import io.hpcbridge.api.v1alpha1.EnvVar;
import io.hpcbridge.api.v1alpha1.Escalation;
import io.hpcbridge.api.v1alpha1.HtcondorResources;
import io.hpcbridge.api.v1alpha1.NameReference;
import io.hpcbridge.api.v1alpha1.ProcessingBlockTemplate;
import io.hpcbridge.api.v1alpha1.Resources;
import io.hpcbridge.api.v1alpha1.RetryStrategy;
import io.hpcbridge.api.v1alpha1.SbatchOption;
import io.hpcbridge.api.v1alpha1.SbatchOptionName;
import io.hpcbridge.api.v1alpha1.SlurmResources;
import io.hpcbridge.api.v1alpha1.TaskSpec;
import io.hpcbridge.util.Durations;
import io.hpcbridge.util.Quantities;
import io.hpcbridge.util.SpecTrees;

/**
 * A campaign spec checked and resolved: either the problems that stop it from being accepted, or its tasks with the
 * defaults applied and sweeps expanded, in an order where every task comes after its dependencies (the Tasks generated
 * from one campaign task stay together, in generation order). Pure: no I/O, no clock.
 */
public final class CampaignPlan {
    /** Campaign names become label values, which Kubernetes limits to 63 characters. */
    static final int MAX_CAMPAIGN_NAME = 63;
    private static final Pattern DNS_LABEL = Pattern.compile(Constants.DNS_LABEL_PATTERN);

    private final List<PlanProblem> problems;
    private final List<TaskSpec> tasks;

    private CampaignPlan(List<PlanProblem> problems, List<TaskSpec> tasks) {
        this.problems = List.copyOf(problems);
        this.tasks = List.copyOf(tasks);
    }

    public boolean accepted() {
        return problems.isEmpty();
    }

    public List<PlanProblem> problems() {
        return problems;
    }

    /** Resolved tasks in dependency order; empty unless accepted. */
    public List<TaskSpec> tasks() {
        return tasks;
    }

    /** Tasks a campaign may expand to unless the operator is configured otherwise ({@link #MAX_TASKS_PROPERTY}). */
    public static final int DEFAULT_MAX_TASKS = 10_000;
    /** The operator setting that limits how many Tasks a campaign may expand to; named in SweepTooLarge messages. */
    public static final String MAX_TASKS_PROPERTY = "hpcbridge.campaign.max-tasks";
    /** Duplicate generated names reported one by one; the rest are counted in one more problem. */
    static final int MAX_DUPLICATES_REPORTED = 20;
    /** Swept tasks named in a SweepTooLarge message, largest first. */
    private static final int SWEEPS_NAMED = 3;

    /** {@link #of(String, CampaignSpec, int)} with {@link #DEFAULT_MAX_TASKS}. */
    public static CampaignPlan of(String campaignName, CampaignSpec spec) {
        return of(campaignName, spec, DEFAULT_MAX_TASKS);
    }

    /**
     * Checks and resolves a campaign. Swept tasks (matrix, shards) are expanded into the Tasks they stand for (see
     * {@link SweepExpansion}); a campaign that would expand to more than {@code maxTasks} Tasks is refused with
     * {@link PlanProblem#SWEEP_TOO_LARGE} before anything is materialised. Problems about a campaign task (sweep,
     * resources, retry strategy, dependencies) are reported once per campaign task, naming it, not per generated Task.
     */
    public static CampaignPlan of(String campaignName, CampaignSpec spec, int maxTasks) {
        List<PlanProblem> problems = new ArrayList<>();
        if (campaignName.length() > MAX_CAMPAIGN_NAME) {
            problems.add(new PlanProblem(PlanProblem.INVALID_NAME,
                    "campaign name is " + campaignName.length() + " characters long; at most " + MAX_CAMPAIGN_NAME + " are allowed"));
        }
        Set<String> blocks = checkBlocks(spec.getProcessingBlocks(), problems);
        Map<String, CampaignTask> byName = new LinkedHashMap<>();
        Set<String> reportedDuplicates = new HashSet<>();
        for (CampaignTask task : spec.getTasks()) {
            String name = task.getName();
            if (name == null || !DNS_LABEL.matcher(name).matches()) {
                problems.add(new PlanProblem(PlanProblem.INVALID_TASK,
                        "task name '" + name + "' is not a DNS-1123 label (lower-case letters, digits and '-')"));
                continue;
            }
            if (byName.putIfAbsent(name, task) != null) {
                if (reportedDuplicates.add(name)) {
                    problems.add(new PlanProblem(PlanProblem.DUPLICATE_TASK_NAME, "task name '" + name + "' is used more than once"));
                }
                continue;
            }
            if (task.getScript() == null || task.getScript().isBlank()) {
                problems.add(new PlanProblem(PlanProblem.INVALID_TASK, "task '" + name + "' has no script"));
            }
            if (task.getProcessingBlock() != null && !blocks.contains(task.getProcessingBlock())) {
                problems.add(new PlanProblem(PlanProblem.UNKNOWN_PROCESSING_BLOCK,
                        "task '" + name + "' names processing block '" + task.getProcessingBlock() + "', which spec.processingBlocks does not define"));
            }
        }

        // Sweeps: check each, count them all (exactly, without materialising), and expand only within the limit.
        Map<String, List<SweepExpansion.Generated>> expansion = expand(byName, maxTasks, problems);

        Map<String, String> generatedBy = new HashMap<>();
        if (expansion != null) {
            checkDuplicates(byName, expansion, generatedBy, problems);
        }
        boolean unknown = false;
        for (CampaignTask task : byName.values()) {
            for (String dep : task.getDependsOn()) {
                if (!byName.containsKey(dep)) {
                    unknown = true;
                    String origin = generatedBy.get(dep);
                    String hint = origin == null ? ""
                            : " ('" + dep + "' is " + origin(byName.get(origin)) + "; depend on '" + origin + "', which stands for all its Tasks)";
                    problems.add(new PlanProblem(PlanProblem.UNKNOWN_DEPENDENCY,
                            "task '" + task.getName() + "' depends on '" + dep + "', which is not a task of this campaign" + hint));
                }
            }
        }
        if (!unknown) {
            // On the campaign's own tasks: a sweep cannot add a cycle, and the message names what the user wrote.
            List<String> cycle = findCycle(byName);
            if (!cycle.isEmpty()) {
                problems.add(new PlanProblem(PlanProblem.DEPENDENCY_CYCLE, "dependency cycle: " + String.join(" -> ", cycle)));
            }
        }
        CampaignDefaults defaults = spec.getDefaults();
        for (CampaignTask task : byName.values()) {
            checkResources(task.getName(), merge(task.getResources(), defaults == null ? null : defaults.getResources()), problems);
            checkRetryStrategy(task.getName(), merge(task.getRetryStrategy(), defaults == null ? null : defaults.getRetryStrategy()), problems);
        }
        if (!problems.isEmpty()) {
            return new CampaignPlan(problems, List.of());
        }

        List<TaskSpec> resolved = new ArrayList<>();
        for (String name : topologicalOrder(byName)) {
            CampaignTask task = byName.get(name);
            // One list for all Tasks generated from this campaign task: a sweep after a sweep must not cost n x m.
            Set<String> deps = new LinkedHashSet<>();
            for (String dep : task.getDependsOn()) {
                for (SweepExpansion.Generated g : expansion.get(dep)) {
                    deps.add(g.name());
                }
            }
            List<String> dependsOn = List.copyOf(deps);
            boolean swept = SweepExpansion.isSwept(task);
            for (SweepExpansion.Generated g : expansion.get(name)) {
                resolved.add(resolve(campaignName, spec, task, g, swept, dependsOn));
            }
        }
        return new CampaignPlan(problems, resolved);
    }

    /**
     * The Tasks each campaign task stands for (by campaign task name, in spec order), or null when some sweep is
     * invalid or the total exceeds {@code maxTasks} (the problems say which). Invalid sweeps are not counted.
     */
    private static Map<String, List<SweepExpansion.Generated>> expand(Map<String, CampaignTask> byName, int maxTasks,
            List<PlanProblem> problems) {
        BigInteger total = BigInteger.ZERO;
        List<CampaignTask> swept = new ArrayList<>();
        Map<CampaignTask, BigInteger> counts = new HashMap<>();
        boolean valid = true;
        for (CampaignTask task : byName.values()) {
            List<PlanProblem> invalid = SweepExpansion.check(task);
            if (!invalid.isEmpty()) {
                problems.addAll(invalid);
                valid = false;
                continue;
            }
            BigInteger count = SweepExpansion.count(task);
            total = total.add(count);
            if (SweepExpansion.isSwept(task)) {
                swept.add(task);
                counts.put(task, count);
            }
        }
        if (total.compareTo(BigInteger.valueOf(maxTasks)) > 0) {
            String count = total.bitLength() < 64 ? total.toString() : "more than " + Long.MAX_VALUE;
            String message;
            if (swept.isEmpty()) {
                message = "campaign has " + count + " tasks";
            } else {
                List<CampaignTask> largest = new ArrayList<>(swept);
                largest.sort(Comparator.comparing((CampaignTask t) -> counts.get(t)).reversed()); // stable: ties keep spec order
                List<String> named = new ArrayList<>();
                for (CampaignTask t : largest.subList(0, Math.min(SWEEPS_NAMED, largest.size()))) {
                    named.add("task '" + t.getName() + "': " + SweepExpansion.describe(t));
                }
                if (largest.size() > SWEEPS_NAMED) {
                    named.add("and " + (largest.size() - SWEEPS_NAMED) + " more swept tasks");
                }
                message = "campaign expands to " + count + " tasks (" + String.join(", ", named) + ")";
            }
            problems.add(new PlanProblem(PlanProblem.SWEEP_TOO_LARGE,
                    message + "; at most " + maxTasks + " are allowed (" + MAX_TASKS_PROPERTY + ")"));
            return null;
        }
        if (!valid) {
            return null;
        }
        Map<String, List<SweepExpansion.Generated>> expansion = new LinkedHashMap<>();
        for (CampaignTask task : byName.values()) {
            expansion.put(task.getName(), SweepExpansion.expand(task));
        }
        return expansion;
    }

    /**
     * Reports every Task name that more than one campaign task expands to, once per name, saying where each came from.
     * Fills {@code generatedBy} (generated name -> campaign task) for messages about dependencies.
     */
    private static void checkDuplicates(Map<String, CampaignTask> byName, Map<String, List<SweepExpansion.Generated>> expansion,
            Map<String, String> generatedBy, List<PlanProblem> problems) {
        Map<String, String> firstFrom = new HashMap<>();
        Map<String, List<String>> duplicates = new LinkedHashMap<>();
        for (Map.Entry<String, List<SweepExpansion.Generated>> e : expansion.entrySet()) {
            boolean swept = SweepExpansion.isSwept(byName.get(e.getKey()));
            for (SweepExpansion.Generated g : e.getValue()) {
                String first = firstFrom.putIfAbsent(g.name(), e.getKey());
                if (first != null) {
                    duplicates.computeIfAbsent(g.name(), n -> new ArrayList<>(List.of(first))).add(e.getKey());
                }
                if (swept) {
                    generatedBy.putIfAbsent(g.name(), e.getKey());
                }
            }
        }
        int reported = 0;
        for (Map.Entry<String, List<String>> d : duplicates.entrySet()) {
            if (reported == MAX_DUPLICATES_REPORTED) {
                problems.add(new PlanProblem(PlanProblem.DUPLICATE_TASK_NAME,
                        "and " + (duplicates.size() - reported) + " more task names are used more than once"));
                break;
            }
            List<String> origins = d.getValue().stream().map(o -> origin(byName.get(o))).toList();
            String joined = origins.size() == 2 ? origins.get(0)
                    : String.join(", ", origins.subList(0, origins.size() - 1));
            problems.add(new PlanProblem(PlanProblem.DUPLICATE_TASK_NAME,
                    "task name '" + d.getKey() + "' is " + joined + " and also " + origins.get(origins.size() - 1)));
            reported++;
        }
    }

    private static String origin(CampaignTask task) {
        String kind = SweepExpansion.kind(task);
        return kind == null ? "defined as a task" : "generated by " + kind + " of '" + task.getName() + "'";
    }

    private static Set<String> checkBlocks(List<ProcessingBlockTemplate> templates, List<PlanProblem> problems) {
        Set<String> names = new HashSet<>();
        for (ProcessingBlockTemplate block : templates) {
            if (!names.add(block.getName())) {
                problems.add(new PlanProblem(PlanProblem.DUPLICATE_PROCESSING_BLOCK,
                        "processing block '" + block.getName() + "' is defined more than once"));
            }
        }
        return names;
    }

    /**
     * The operator's second line behind the schema, on the resolved resources: what a pattern cannot say (a zero
     * quantity or duration) and what spans list items (unique names, reserved names). Each problem names the task and
     * the field's path.
     */
    static void checkResources(String task, Resources r, List<PlanProblem> problems) {
        if (r == null) {
            return;
        }
        String prefix = "task '" + task + "': resources.";
        if (r.getCpus() != null && r.getCpus() < 1) {
            problems.add(new PlanProblem(PlanProblem.INVALID_RESOURCES, prefix + "cpus must be at least 1, not " + r.getCpus()));
        }
        if (r.getGpus() != null && r.getGpus() < 0) {
            problems.add(new PlanProblem(PlanProblem.INVALID_RESOURCES, prefix + "gpus must not be negative, not " + r.getGpus()));
        }
        checkQuantity(prefix + "memory", r.getMemory(), problems);
        checkQuantity(prefix + "disk", r.getDisk(), problems);
        if (r.getTime() != null) {
            try {
                if (Durations.parse(r.getTime()).isZero()) {
                    problems.add(new PlanProblem(PlanProblem.INVALID_RESOURCES, prefix + "time must be positive, not " + r.getTime()));
                }
            } catch (IllegalArgumentException e) {
                problems.add(new PlanProblem(PlanProblem.INVALID_RESOURCES, prefix + "time " + e.getMessage()));
            }
        }
        SlurmResources slurm = r.getSlurm();
        if (slurm != null) {
            Set<SbatchOptionName> seen = new HashSet<>();
            Set<SbatchOptionName> reported = new HashSet<>();
            for (SbatchOption option : slurm.getOptions()) {
                SbatchOptionName name = option == null ? null : option.getName();
                if (name != null && !seen.add(name) && reported.add(name)) {
                    problems.add(new PlanProblem(PlanProblem.INVALID_RESOURCES,
                            prefix + "slurm.options names '" + name.option() + "' more than once"));
                }
            }
        }
        HtcondorResources htcondor = r.getHtcondor();
        if (htcondor != null) {
            Set<String> seen = new HashSet<>();
            Set<String> reported = new HashSet<>();
            for (ClassAdAttribute attribute : htcondor.getAttributes()) {
                String name = attribute == null ? null : attribute.getName();
                if (name == null) {
                    continue;
                }
                String key = name.toLowerCase(Locale.ROOT); // ClassAd attribute names are case-insensitive
                if (key.startsWith(RESERVED_ATTRIBUTE_PREFIX.toLowerCase(Locale.ROOT))) {
                    problems.add(new PlanProblem(PlanProblem.INVALID_RESOURCES, prefix + "htcondor.attributes name '" + name
                            + "' starts with " + RESERVED_ATTRIBUTE_PREFIX + ", which is reserved for the operator's identity attributes"));
                } else if (!seen.add(key) && reported.add(key)) {
                    problems.add(new PlanProblem(PlanProblem.INVALID_RESOURCES,
                            prefix + "htcondor.attributes names '" + name + "' more than once (names are case-insensitive)"));
                }
            }
        }
    }

    /** Job ad attributes starting with this (in any case) are the operator's own, e.g. its identity token. */
    public static final String RESERVED_ATTRIBUTE_PREFIX = "HpcBridge";

    private static void checkQuantity(String what, String quantity, List<PlanProblem> problems) {
        if (quantity == null) {
            return;
        }
        try {
            if (Quantities.bytes(quantity) <= 0) {
                problems.add(new PlanProblem(PlanProblem.INVALID_RESOURCES, what + " must be positive, not " + quantity));
            }
        } catch (IllegalArgumentException e) {
            problems.add(new PlanProblem(PlanProblem.INVALID_RESOURCES, what + " " + e.getMessage()));
        }
    }

    /**
     * Checks the resolved retry strategy of a task: escalation factors at least 1 (and finite), maxMemory and maxTime
     * parsable and positive, backoff durations parsable, limit and backoff factor in range.
     */
    private static void checkRetryStrategy(String task, RetryStrategy r, List<PlanProblem> problems) {
        if (r == null) {
            return;
        }
        String prefix = "task '" + task + "': retryStrategy.";
        if (r.getLimit() != null && r.getLimit() < 0) {
            problems.add(new PlanProblem(PlanProblem.INVALID_RETRY_STRATEGY, prefix + "limit must not be negative, not " + r.getLimit()));
        }
        Backoff b = r.getBackoff();
        if (b != null) {
            if (b.getFactor() != null && b.getFactor() < 1) {
                problems.add(new PlanProblem(PlanProblem.INVALID_RETRY_STRATEGY, prefix + "backoff.factor must be at least 1, not " + b.getFactor()));
            }
            checkDuration(prefix + "backoff.duration", b.getDuration(), false, problems);
            checkDuration(prefix + "backoff.cap", b.getCap(), false, problems);
            checkDuration(prefix + "backoff.maxDuration", b.getMaxDuration(), false, problems);
        }
        Escalation e = r.getEscalate();
        if (e != null) {
            checkFactor(prefix + "escalate.memoryFactor", e.getMemoryFactor(), problems);
            checkFactor(prefix + "escalate.timeFactor", e.getTimeFactor(), problems);
            if (e.getMaxMemory() != null) {
                try {
                    if (Quantities.bytes(e.getMaxMemory()) <= 0) {
                        problems.add(new PlanProblem(PlanProblem.INVALID_RETRY_STRATEGY, prefix + "escalate.maxMemory must be positive"));
                    }
                } catch (IllegalArgumentException x) {
                    problems.add(new PlanProblem(PlanProblem.INVALID_RETRY_STRATEGY, prefix + "escalate.maxMemory " + x.getMessage()));
                }
            }
            checkDuration(prefix + "escalate.maxTime", e.getMaxTime(), true, problems);
        }
    }

    private static void checkFactor(String what, Double factor, List<PlanProblem> problems) {
        if (factor != null && !(factor >= 1 && Double.isFinite(factor))) {
            String shown = Double.isFinite(factor) ? BigDecimal.valueOf(factor).stripTrailingZeros().toPlainString() : factor.toString();
            problems.add(new PlanProblem(PlanProblem.INVALID_RETRY_STRATEGY, what + " must be a number of at least 1, not " + shown));
        }
    }

    private static void checkDuration(String what, String text, boolean positive, List<PlanProblem> problems) {
        if (text == null) {
            return;
        }
        try {
            if (positive && Durations.parse(text).isZero()) {
                problems.add(new PlanProblem(PlanProblem.INVALID_RETRY_STRATEGY, what + " must be positive"));
            }
            if (!positive) {
                Durations.parse(text);
            }
        } catch (IllegalArgumentException x) {
            problems.add(new PlanProblem(PlanProblem.INVALID_RETRY_STRATEGY, what + " " + x.getMessage()));
        }
    }

    /**
     * The first cycle found, as a closed path (a -> b -> a), or empty. Deterministic: tasks in spec order, dependencies
     * in the order listed. Iterative, so a chain of any length fits the stack. Every dependency must name a task.
     */
    static List<String> findCycle(Map<String, CampaignTask> byName) {
        Map<String, Integer> state = new HashMap<>(); // 1 = on the current path, 2 = done
        List<String> path = new ArrayList<>();
        List<Iterator<String>> pending = new ArrayList<>();
        for (String start : byName.keySet()) {
            if (state.containsKey(start)) {
                continue;
            }
            state.put(start, 1);
            path.add(start);
            pending.add(byName.get(start).getDependsOn().iterator());
            while (!path.isEmpty()) {
                Iterator<String> deps = pending.get(pending.size() - 1);
                if (!deps.hasNext()) {
                    state.put(path.remove(path.size() - 1), 2);
                    pending.remove(pending.size() - 1);
                    continue;
                }
                String dep = deps.next();
                Integer s = state.get(dep);
                if (s == null) {
                    state.put(dep, 1);
                    path.add(dep);
                    pending.add(byName.get(dep).getDependsOn().iterator());
                } else if (s == 1) {
                    List<String> cycle = new ArrayList<>(path.subList(path.lastIndexOf(dep), path.size()));
                    cycle.add(dep);
                    return cycle;
                }
            }
        }
        return List.of();
    }

    /**
     * Kahn's algorithm; of the tasks that are ready, the one earliest in the spec comes first, so the result is stable.
     * The graph must be acyclic and every dependency must name a task.
     */
    static List<String> topologicalOrder(Map<String, CampaignTask> byName) {
        List<String> names = new ArrayList<>(byName.keySet());
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            index.put(names.get(i), i);
        }
        int[] waitingFor = new int[names.size()];
        List<List<Integer>> dependents = new ArrayList<>(names.size());
        for (int i = 0; i < names.size(); i++) {
            dependents.add(new ArrayList<>(2));
        }
        for (int i = 0; i < names.size(); i++) {
            for (String dep : new LinkedHashSet<>(byName.get(names.get(i)).getDependsOn())) {
                dependents.get(index.get(dep)).add(i);
                waitingFor[i]++;
            }
        }
        PriorityQueue<Integer> ready = new PriorityQueue<>();
        for (int i = 0; i < names.size(); i++) {
            if (waitingFor[i] == 0) {
                ready.add(i);
            }
        }
        List<String> order = new ArrayList<>(names.size());
        while (!ready.isEmpty()) {
            int next = ready.poll();
            order.add(names.get(next));
            for (int d : dependents.get(next)) {
                if (--waitingFor[d] == 0) {
                    ready.add(d);
                }
            }
        }
        if (order.size() != names.size()) {
            throw new IllegalStateException("dependency cycle among " + (names.size() - order.size()) + " tasks");
        }
        return order;
    }

    private static TaskSpec resolve(String campaignName, CampaignSpec spec, CampaignTask task, SweepExpansion.Generated generated,
            boolean swept, List<String> dependsOn) {
        CampaignDefaults defaults = spec.getDefaults();
        TaskSpec t = new TaskSpec();
        t.setCampaign(campaignName);
        t.setTaskName(generated.name());
        t.setClusterRef(new NameReference(spec.getClusterRef().getName()));
        t.setDependsOn(dependsOn);
        t.setScript(task.getScript());
        List<EnvVar> env = new ArrayList<>(task.getEnv().size() + generated.parameters().size());
        for (EnvVar e : task.getEnv()) {
            env.add(new EnvVar(e.getName(), e.getValue()));
        }
        env.addAll(generated.env());
        t.setEnv(env);
        t.setResources(merge(task.getResources(), defaults == null ? null : defaults.getResources()));
        t.setRetryStrategy(merge(task.getRetryStrategy(), defaults == null ? null : defaults.getRetryStrategy()));
        t.setProcessingBlock(task.getProcessingBlock());
        if (swept) {
            t.setSweep(task.getName());
            t.setParameters(new LinkedHashMap<>(generated.parameters()));
        }
        return t;
    }

    /**
     * What the task sets wins, the campaign default fills the rest, field by field and into the nested {@code slurm}
     * and {@code htcondor} sections; a list the task sets (e.g. slurm.options) replaces the default's whole. A fresh
     * object: no Task shares it with the campaign.
     */
    static Resources merge(Resources own, Resources fallback) {
        return SpecTrees.merge(own, fallback);
    }

    /**
     * limit and retryPolicy field by field; backoff and escalate are taken whole, from the task if it sets them (a
     * task's backoff is one policy, not to be completed with pieces of another). Copied, so no Task shares them.
     */
    static RetryStrategy merge(RetryStrategy own, RetryStrategy fallback) {
        if (own == null && fallback == null) {
            return null;
        }
        RetryStrategy o = own == null ? new RetryStrategy() : own;
        RetryStrategy f = fallback == null ? new RetryStrategy() : fallback;
        RetryStrategy r = new RetryStrategy();
        r.setLimit(o.getLimit() != null ? o.getLimit() : f.getLimit());
        r.setRetryPolicy(o.getRetryPolicy() != null ? o.getRetryPolicy() : f.getRetryPolicy());
        r.setBackoff(SpecTrees.copy(o.getBackoff() != null ? o.getBackoff() : f.getBackoff()));
        r.setEscalate(SpecTrees.copy(o.getEscalate() != null ? o.getEscalate() : f.getEscalate()));
        return r;
    }
}
