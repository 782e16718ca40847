package io.hpcbridge.campaign;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.hpcbridge.api.v1alpha1.TaskSpec;

/** Everything downstream of a task in a resolved plan, in plan order. Pure. */
final class Downstream {
    private final List<String> order = new ArrayList<>();
    private final Map<String, List<String>> dependents = new HashMap<>();

    Downstream(List<TaskSpec> planOrder) {
        for (TaskSpec t : planOrder) {
            order.add(t.getTaskName());
            for (String dep : t.getDependsOn()) {
                dependents.computeIfAbsent(dep, k -> new ArrayList<>()).add(t.getTaskName());
            }
        }
    }

    /** Transitive dependents of {@code taskName}, excluding itself, in plan order. */
    List<String> of(String taskName) {
        Set<String> seen = new LinkedHashSet<>();
        Deque<String> queue = new ArrayDeque<>(dependents.getOrDefault(taskName, List.of()));
        while (!queue.isEmpty()) {
            String n = queue.poll();
            if (seen.add(n)) {
                queue.addAll(dependents.getOrDefault(n, List.of()));
            }
        }
        return order.stream().filter(seen::contains).toList();
    }
}
