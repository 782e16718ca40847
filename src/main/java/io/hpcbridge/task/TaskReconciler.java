package io.hpcbridge.task;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.hpcbridge.api.v1alpha1.Task;
import io.hpcbridge.api.v1alpha1.TaskAttempt;
import io.hpcbridge.api.v1alpha1.TaskPhase;
import io.hpcbridge.api.v1alpha1.TaskStatus;
import io.hpcbridge.campaign.ObjectNames;
import io.hpcbridge.status.StatusComparison;
import io.hpcbridge.status.StatusPatch;
import io.hpcbridge.status.Times;
import io.hpcbridge.status.ReconcileErrors;
import io.hpcbridge.util.LogContext;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;

/**
 * Writes a Task's status from its attempts and its dependencies. Creating attempts is the campaign's job (it owns the
 * parallelism budget); this reconciler decides what the task is waiting for and whether a failure earns a retry.
 */
// Not generation-aware: the campaign's hold reason (hpcbridge.io/held) is an annotation.
@ControllerConfiguration(name = "task", generationAwareEventProcessing = false)
public class TaskReconciler implements Reconciler<Task> {
    @jakarta.inject.Inject
    io.hpcbridge.metrics.OperatorMetrics metrics;

    static final String DEPENDENCIES = "dependencies";
    private static final String DEPENDENTS_INDEX = "dependents";

    Clock clock = Clock.systemUTC();

    @Override
    public List<EventSource<?, Task>> prepareEventSources(EventSourceContext<Task> context) {
        // Index tasks by what they depend on, so a task's change wakes exactly its dependents.
        context.getPrimaryCache().addIndexers(Map.of(DEPENDENTS_INDEX, t -> t.getSpec().getDependsOn().stream()
                .map(dep -> dependencyKey(t.getMetadata().getNamespace(), t.getSpec().getCampaign(), dep))
                .toList()));
        var attempts = new InformerEventSource<>(InformerEventSourceConfiguration.from(TaskAttempt.class, Task.class)
                .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(Task.class))
                .build(), context);
        var dependencies = new InformerEventSource<>(InformerEventSourceConfiguration.from(Task.class, Task.class)
                .withName(DEPENDENCIES)
                .withSecondaryToPrimaryMapper((Task changed) -> context.getPrimaryCache()
                        .byIndex(DEPENDENTS_INDEX, dependencyKey(changed.getMetadata().getNamespace(),
                                changed.getSpec().getCampaign(), changed.getSpec().getTaskName()))
                        .stream().map(ResourceID::fromResource).collect(Collectors.toSet()))
                .withPrimaryToSecondaryMapper((Task t) -> t.getSpec().getDependsOn().stream()
                        .map(dep -> new ResourceID(ObjectNames.task(t.getSpec().getCampaign(), dep), t.getMetadata().getNamespace()))
                        .collect(Collectors.toSet()))
                .build(), context);
        return List.of(attempts, dependencies);
    }

    /** A failed reconcile is shown on the object as a Warning Event, not only in the log; JOSDK then retries. */
    @Override
    public ErrorStatusUpdateControl<Task> updateErrorStatus(Task resource, Context<Task> context, Exception e) {
        ReconcileErrors.report(context.getClient(), resource, context.getRetryInfo(), e);
        return ErrorStatusUpdateControl.defaultErrorProcessing();
    }

    @Override
    public UpdateControl<Task> reconcile(Task task, Context<Task> context) {
        try (LogContext log = LogContext.of(task)) {
            return reconcileInContext(task, context);
        }
    }

    private UpdateControl<Task> reconcileInContext(Task task, Context<Task> context) {
        Instant now = clock.instant();
        List<TaskAttempt> attempts = new ArrayList<>(context.getSecondaryResources(TaskAttempt.class));
        Set<Task> dependencies = context.getSecondaryResources(Task.class);
        Map<String, TaskPhase> dependencyPhases = TaskProgress.phasesByTaskName(new ArrayList<>(dependencies));
        var annotations = task.getMetadata().getAnnotations();
        String held = annotations == null ? null : annotations.get(io.hpcbridge.api.v1alpha1.Constants.ANNOTATION_HELD);
        TaskStatus next = TaskProgress.decide(task.getSpec(), task.getStatus(), attempts, dependencyPhases, held,
                task.getMetadata().getGeneration(), now);
        announce(task, next, context);
        UpdateControl<Task> control;
        if (StatusComparison.same(task.getStatus(), next)) {
            control = UpdateControl.noUpdate();
        } else {
            Task patch = StatusPatch.of(task, next, Task::new);
            control = patchStatus(patch);
        }
        // A backoff ends by the clock, not by an event: come back when it does.
        Instant retryAt = Times.parse(next.getNextAttemptAfter());
        if (retryAt != null && retryAt.isAfter(now)) {
            control = control.rescheduleAfter(Duration.between(now, retryAt).plusMillis(200));
        }
        return control;
    }

    /** Events for what users care about on a task: a retry was scheduled, or the task finally failed. */
    private static void announce(Task task, TaskStatus next, Context<Task> context) {
        TaskStatus before = task.getStatus();
        boolean sameAttempt = before != null && java.util.Objects.equals(before.getCurrentAttempt(), next.getCurrentAttempt());
        if (next.getPhase() == TaskPhase.Retrying && !(sameAttempt && before.getPhase() == TaskPhase.Retrying)) {
            io.hpcbridge.status.Events.emit(context.getClient(), task, io.hpcbridge.status.Events.NORMAL, "RetryScheduled", next.getMessage());
        } else if (next.getPhase() == TaskPhase.Failed && (before == null || before.getPhase() != TaskPhase.Failed || !sameAttempt)) {
            io.hpcbridge.status.Events.emit(context.getClient(), task, io.hpcbridge.status.Events.WARNING, "TaskFailed", next.getMessage());
        }
    }

    private static String dependencyKey(String namespace, String campaign, String taskName) {
        return namespace + "/" + campaign + "/" + taskName;
    }

    private UpdateControl<Task> patchStatus(Task patch) {
        metrics.statusWrite("Task");
        return UpdateControl.patchStatus(patch);
    }
}
