package io.hpcbridge.block;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Set;

import io.hpcbridge.api.v1alpha1.ProcessingBlock;
import io.hpcbridge.api.v1alpha1.ProcessingBlockStatus;
import io.hpcbridge.api.v1alpha1.Task;
import io.hpcbridge.campaign.ObjectNames;
import io.hpcbridge.status.StatusComparison;
import io.hpcbridge.status.StatusPatch;
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

/** Counts a block's tasks; registration and archiving of outputs come in a later version. */
@ControllerConfiguration(name = "processingblock")
public class ProcessingBlockReconciler implements Reconciler<ProcessingBlock> {
    @jakarta.inject.Inject
    io.hpcbridge.metrics.OperatorMetrics metrics;

    Clock clock = Clock.systemUTC();

    @Override
    public java.util.List<EventSource<?, ProcessingBlock>> prepareEventSources(EventSourceContext<ProcessingBlock> context) {
        var tasks = new InformerEventSource<>(InformerEventSourceConfiguration.from(Task.class, ProcessingBlock.class)
                .withSecondaryToPrimaryMapper((Task t) -> t.getSpec().getProcessingBlock() == null ? Set.of()
                        : Set.of(new ResourceID(ObjectNames.processingBlock(t.getSpec().getCampaign(), t.getSpec().getProcessingBlock()),
                                t.getMetadata().getNamespace())))
                .build(), context);
        return java.util.List.of(tasks);
    }

    /** A failed reconcile is shown on the object as a Warning Event, not only in the log; JOSDK then retries. */
    @Override
    public ErrorStatusUpdateControl<ProcessingBlock> updateErrorStatus(ProcessingBlock resource, Context<ProcessingBlock> context, Exception e) {
        ReconcileErrors.report(context.getClient(), resource, context.getRetryInfo(), e);
        return ErrorStatusUpdateControl.defaultErrorProcessing();
    }

    @Override
    public UpdateControl<ProcessingBlock> reconcile(ProcessingBlock block, Context<ProcessingBlock> context) {
        try (LogContext log = LogContext.of(block)) {
            return reconcileInContext(block, context);
        }
    }

    private UpdateControl<ProcessingBlock> reconcileInContext(ProcessingBlock block, Context<ProcessingBlock> context) {
        ProcessingBlockStatus next = BlockProgress.decide(block.getStatus(), new ArrayList<>(context.getSecondaryResources(Task.class)),
                block.getMetadata().getGeneration(), clock.instant());
        if (StatusComparison.same(block.getStatus(), next)) {
            return UpdateControl.noUpdate();
        }
        ProcessingBlock patch = StatusPatch.of(block, next, ProcessingBlock::new);
        return patchStatus(patch);
    }

    private UpdateControl<ProcessingBlock> patchStatus(ProcessingBlock patch) {
        metrics.statusWrite("ProcessingBlock");
        return UpdateControl.patchStatus(patch);
    }
}
