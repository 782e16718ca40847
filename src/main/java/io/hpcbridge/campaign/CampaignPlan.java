package io.hpcbridge.campaign;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import io.hpcbridge.api.v1alpha1.Backoff;
import io.hpcbridge.api.v1alpha1.CampaignDefaults;
import io.hpcbridge.api.v1alpha1.CampaignSpec;
import io.hpcbridge.api.v1alpha1.CampaignTask;
import io.hpcbridge.api.v1alpha1.Constants;
import io.hpcbridge.api.v1alpha1.EnvVar;
import io.hpcbridge.api.v1alpha1.NameReference;
import io.hpcbridge.api.v1alpha1.ProcessingBlockTemplate;
import io.hpcbridge.api.v1alpha1.Resources;
import io.hpcbridge.api.v1alpha1.RetryStrategy;
import io.hpcbridge.api.v1alpha1.TaskSpec;
import io.hpcbridge.util.Durations;
import io.hpcbridge.util.Quantities;

/**
 * A campaign spec checked and resolved: either the problems that stop it from being accepted, or its tasks with the
 * defaults applied, in an order where every task comes after its dependencies. Pure: no I/O, no clock.
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

    public static CampaignPlan of(String campaignName, CampaignSpec spec) {
        List<PlanProblem> problems = new ArrayList<>();
        if (campaignName.length() > MAX_CAMPAIGN_NAME) {
            problems.add(new PlanProblem(PlanProblem.INVALID_NAME,
                    "campaign name is " + campaignName.length() + " characters long; at most " + MAX_CAMPAIGN_NAME + " are allowed"));
        }
        Set<String> blocks = checkBlocks(spec.getProcessingBlocks(), problems);
        Map<String, CampaignTask> byName = new LinkedHashMap<>();
        for (CampaignTask task : spec.getTasks()) {
            String name = task.getName();
            if (name == null || !DNS_LABEL.matcher(name).matches()) {
                problems.add(new PlanProblem(PlanProblem.INVALID_TASK,
                        "task name '" + name + "' is not a DNS-1123 label (lower-case letters, digits and '-')"));
                continue;
            }
            if (byName.putIfAbsent(name, task) != null) {
                problems.add(new PlanProblem(PlanProblem.DUPLICATE_TASK_NAME, "task name '" + name + "' is used more than once"));
            }
            if (task.getScript() == null || task.getScript().isBlank()) {
                problems.add(new PlanProblem(PlanProblem.INVALID_TASK, "task '" + name + "' has no script"));
            }
            if (task.getProcessingBlock() != null && !blocks.contains(task.getProcessingBlock())) {
                problems.add(new PlanProblem(PlanProblem.UNKNOWN_PROCESSING_BLOCK,
                        "task '" + name + "' names processing block '" + task.getProcessingBlock() + "', which spec.processingBlocks does not define"));
            }
        }
        for (CampaignTask task : byName.values()) {
            for (String dep : task.getDependsOn()) {
                if (!byName.containsKey(dep)) {
                    problems.add(new PlanProblem(PlanProblem.UNKNOWN_DEPENDENCY,
                            "task '" + task.getName() + "' depends on '" + dep + "', which is not a task of this campaign"));
                }
            }
        }
        List<String> order = List.of();
        if (problems.stream().noneMatch(p -> p.reason().equals(PlanProblem.UNKNOWN_DEPENDENCY))) {
            List<String> cycle = findCycle(byName);
            if (!cycle.isEmpty()) {
                problems.add(new PlanProblem(PlanProblem.DEPENDENCY_CYCLE, "dependency cycle: " + String.join(" -> ", cycle)));
            } else {
                order = topologicalOrder(byName);
            }
        }
        List<TaskSpec> resolved = new ArrayList<>();
        for (String name : order) {
            CampaignTask task = byName.get(name);
            Resources resources = merge(task.getResources(), spec.getDefaults() == null ? null : spec.getDefaults().getResources());
            checkResources(name, resources, problems);
            resolved.add(resolve(campaignName, spec, task, resources));
        }
        return problems.isEmpty() ? new CampaignPlan(problems, resolved) : new CampaignPlan(problems, List.of());
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

    private static void checkResources(String task, Resources r, List<PlanProblem> problems) {
        if (r == null) {
            return;
        }
        if (r.getCpus() != null && r.getCpus() < 1) {
            problems.add(new PlanProblem(PlanProblem.INVALID_RESOURCES, "task '" + task + "': cpus must be at least 1, not " + r.getCpus()));
        }
        if (r.getGpus() != null && r.getGpus() < 0) {
            problems.add(new PlanProblem(PlanProblem.INVALID_RESOURCES, "task '" + task + "': gpus must not be negative"));
        }
        if (r.getMemory() != null) {
            try {
                if (Quantities.bytes(r.getMemory()) <= 0) {
                    problems.add(new PlanProblem(PlanProblem.INVALID_RESOURCES, "task '" + task + "': memory must be positive"));
                }
            } catch (IllegalArgumentException e) {
                problems.add(new PlanProblem(PlanProblem.INVALID_RESOURCES, "task '" + task + "': memory " + e.getMessage()));
            }
        }
        if (r.getTime() != null) {
            try {
                if (Durations.parse(r.getTime()).isZero()) {
                    problems.add(new PlanProblem(PlanProblem.INVALID_RESOURCES, "task '" + task + "': time must be positive"));
                }
            } catch (IllegalArgumentException e) {
                problems.add(new PlanProblem(PlanProblem.INVALID_RESOURCES, "task '" + task + "': time " + e.getMessage()));
            }
        }
    }

    /** The first cycle found, as a closed path (a -> b -> a), or empty. Deterministic: tasks in spec order. */
    static List<String> findCycle(Map<String, CampaignTask> byName) {
        Map<String, Integer> state = new HashMap<>(); // 1 = on the current path, 2 = done
        Deque<String> path = new ArrayDeque<>();
        for (String start : byName.keySet()) {
            List<String> cycle = visit(start, byName, state, path);
            if (!cycle.isEmpty()) {
                return cycle;
            }
        }
        return List.of();
    }

    private static List<String> visit(String node, Map<String, CampaignTask> byName, Map<String, Integer> state, Deque<String> path) {
        Integer s = state.get(node);
        if (s != null && s == 2) {
            return List.of();
        }
        if (s != null && s == 1) {
            List<String> onPath = new ArrayList<>(path);
            java.util.Collections.reverse(onPath);
            List<String> cycle = new ArrayList<>(onPath.subList(onPath.indexOf(node), onPath.size()));
            cycle.add(node);
            return cycle;
        }
        state.put(node, 1);
        path.push(node);
        for (String dep : byName.get(node).getDependsOn()) {
            List<String> cycle = visit(dep, byName, state, path);
            if (!cycle.isEmpty()) {
                return cycle;
            }
        }
        path.pop();
        state.put(node, 2);
        return List.of();
    }

    /** Kahn's algorithm, taking ready tasks in spec order so the result is stable. */
    private static List<String> topologicalOrder(Map<String, CampaignTask> byName) {
        List<String> order = new ArrayList<>();
        Set<String> done = new HashSet<>();
        while (order.size() < byName.size()) {
            for (CampaignTask task : byName.values()) {
                if (!done.contains(task.getName()) && done.containsAll(task.getDependsOn())) {
                    done.add(task.getName());
                    order.add(task.getName());
                }
            }
        }
        return order;
    }

    private static TaskSpec resolve(String campaignName, CampaignSpec spec, CampaignTask task, Resources resources) {
        CampaignDefaults defaults = spec.getDefaults();
        TaskSpec t = new TaskSpec();
        t.setCampaign(campaignName);
        t.setTaskName(task.getName());
        t.setClusterRef(new NameReference(spec.getClusterRef().getName()));
        t.setDependsOn(List.copyOf(new java.util.LinkedHashSet<>(task.getDependsOn())));
        t.setScript(task.getScript());
        t.setEnv(task.getEnv().stream().map(e -> new EnvVar(e.getName(), e.getValue())).toList());
        t.setResources(resources);
        t.setRetryStrategy(merge(task.getRetryStrategy(), defaults == null ? null : defaults.getRetryStrategy()));
        t.setProcessingBlock(task.getProcessingBlock());
        return t;
    }

    /** Field by field: what the task sets wins, the campaign default fills the rest. */
    static Resources merge(Resources own, Resources fallback) {
        if (own == null && fallback == null) {
            return null;
        }
        Resources o = own == null ? new Resources() : own;
        Resources f = fallback == null ? new Resources() : fallback;
        Resources r = new Resources();
        r.setCpus(o.getCpus() != null ? o.getCpus() : f.getCpus());
        r.setMemory(o.getMemory() != null ? o.getMemory() : f.getMemory());
        r.setTime(o.getTime() != null ? o.getTime() : f.getTime());
        r.setPartition(o.getPartition() != null ? o.getPartition() : f.getPartition());
        r.setAccount(o.getAccount() != null ? o.getAccount() : f.getAccount());
        r.setQos(o.getQos() != null ? o.getQos() : f.getQos());
        r.setGpus(o.getGpus() != null ? o.getGpus() : f.getGpus());
        return r;
    }

    static RetryStrategy merge(RetryStrategy own, RetryStrategy fallback) {
        if (own == null && fallback == null) {
            return null;
        }
        RetryStrategy o = own == null ? new RetryStrategy() : own;
        RetryStrategy f = fallback == null ? new RetryStrategy() : fallback;
        RetryStrategy r = new RetryStrategy();
        r.setLimit(o.getLimit() != null ? o.getLimit() : f.getLimit());
        r.setRetryPolicy(o.getRetryPolicy() != null ? o.getRetryPolicy() : f.getRetryPolicy());
        Backoff b = o.getBackoff() != null ? o.getBackoff() : f.getBackoff();
        r.setBackoff(b);
        return r;
    }
}
