package io.hpcbridge.campaign;

import java.util.ArrayList;
import java.util.List;

import io.hpcbridge.api.v1alpha1.CampaignSpec;
import io.hpcbridge.api.v1alpha1.CampaignTask;
import io.hpcbridge.api.v1alpha1.Resources;
import io.hpcbridge.api.v1alpha1.SchedulerType;
import io.hpcbridge.attempt.ResourceRequests;
import io.hpcbridge.gateway.BatchScheduler;

/**
 * Asks the cluster's scheduler adapter whether each campaign task's resources (defaults merged in) can be submitted
 * there, so a value the scheduler cannot take is refused when the campaign is accepted, before anything is uploaded.
 * Once per campaign task, not per generated Task: a sweep shares its task's resources.
 */
final class SchedulerAcceptance {
    /** Problems named in the message; the rest are counted. */
    static final int MAX_REPORTED = 20;

    private SchedulerAcceptance() {
    }

    /** The first problem's reason with every problem in the message, or null when all tasks can be submitted. */
    static PlanProblem check(CampaignSpec spec, SchedulerType type, BatchScheduler adapter) {
        Resources defaults = spec.getDefaults() == null ? null : spec.getDefaults().getResources();
        List<String> problems = new ArrayList<>();
        int total = 0;
        for (CampaignTask task : spec.getTasks()) {
            Resources merged = CampaignPlan.merge(task.getResources(), defaults);
            List<String> found;
            try {
                found = adapter.validate(ResourceRequests.of(merged, type));
            } catch (IllegalArgumentException e) {
                found = List.of(e.getMessage());
            }
            for (String p : found) {
                total++;
                if (problems.size() < MAX_REPORTED) {
                    problems.add("task '" + task.getName() + "': " + p);
                }
            }
        }
        if (problems.isEmpty()) {
            return null;
        }
        String more = total > problems.size() ? "; and " + (total - problems.size()) + " more" : "";
        return new PlanProblem(PlanProblem.INVALID_RESOURCES, String.join("; ", problems) + more + " (for " + type.name().toLowerCase(java.util.Locale.ROOT) + ")");
    }
}
