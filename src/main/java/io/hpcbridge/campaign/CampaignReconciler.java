package io.hpcbridge.campaign;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.hpcbridge.api.v1alpha1.Campaign;
import io.hpcbridge.api.v1alpha1.CampaignStatus;
import io.hpcbridge.api.v1alpha1.Constants;
import io.hpcbridge.api.v1alpha1.HpcCluster;
import io.hpcbridge.api.v1alpha1.ProcessingBlock;
import io.hpcbridge.api.v1alpha1.ProcessingBlockSpec;
import io.hpcbridge.api.v1alpha1.ProcessingBlockTemplate;
import io.hpcbridge.api.v1alpha1.Task;
import io.hpcbridge.api.v1alpha1.TaskAttempt;
import io.hpcbridge.api.v1alpha1.TaskAttemptSpec;
import io.hpcbridge.api.v1alpha1.TaskPhase;
import io.hpcbridge.api.v1alpha1.TaskSpec;
import io.hpcbridge.status.StatusComparison;
import io.hpcbridge.status.StatusPatch;
import io.hpcbridge.status.Conditions;
import io.hpcbridge.api.v1alpha1.ConditionTypes;
import io.hpcbridge.task.TaskProgress;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
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
 * Turns a Campaign into Tasks and ProcessingBlocks, and is the campaign's scheduler: it alone creates TaskAttempts,
 * so the parallelism budget is counted in one place, one reconcile at a time. Writes only the Campaign's status.
 */
@ControllerConfiguration(name = "campaign")
public class CampaignReconciler implements Reconciler<Campaign> {
    @jakarta.inject.Inject
    io.hpcbridge.metrics.OperatorMetrics metrics;

    private static final Logger LOG = Logger.getLogger(CampaignReconciler.class);

    Clock clock = Clock.systemUTC();

    @Override
    public List<EventSource<?, Campaign>> prepareEventSources(EventSourceContext<Campaign> context) {
        var tasks = new InformerEventSource<>(InformerEventSourceConfiguration.from(Task.class, Campaign.class)
                .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(Campaign.class))
                .build(), context);
        var attempts = new InformerEventSource<>(InformerEventSourceConfiguration.from(TaskAttempt.class, Campaign.class)
                .withSecondaryToPrimaryMapper((TaskAttempt a) -> Set.of(new ResourceID(a.getSpec().getCampaign(), a.getMetadata().getNamespace())))
                .build(), context);
        var blocks = new InformerEventSource<>(InformerEventSourceConfiguration.from(ProcessingBlock.class, Campaign.class)
                .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(Campaign.class))
                .build(), context);
        // Both directions: a campaign may be created before or after its cluster.
        var clusters = new InformerEventSource<>(InformerEventSourceConfiguration.from(HpcCluster.class, Campaign.class)
                .withSecondaryToPrimaryMapper((HpcCluster c) -> context.getPrimaryCache()
                        .list(c.getMetadata().getNamespace(), camp -> camp.getSpec().getClusterRef() != null
                                && c.getMetadata().getName().equals(camp.getSpec().getClusterRef().getName()))
                        .map(ResourceID::fromResource).collect(Collectors.toSet()))
                .withPrimaryToSecondaryMapper((Campaign camp) -> camp.getSpec().getClusterRef() == null ? Set.of()
                        : Set.of(new ResourceID(camp.getSpec().getClusterRef().getName(), camp.getMetadata().getNamespace())))
                .build(), context);
        return List.of(tasks, attempts, blocks, clusters);
    }

    @Override
    public UpdateControl<Campaign> reconcile(Campaign campaign, Context<Campaign> context) {
        Instant now = clock.instant();
        String name = campaign.getMetadata().getName();
        long generation = campaign.getMetadata().getGeneration();
        CampaignPlan plan = CampaignPlan.of(name, campaign.getSpec());
        Optional<HpcCluster> cluster = context.getSecondaryResource(HpcCluster.class);
        Map<String, Task> tasks = context.getSecondaryResources(Task.class).stream()
                .collect(Collectors.toMap(t -> t.getMetadata().getName(), Function.identity(), (a, b) -> a, LinkedHashMap::new));
        List<TaskAttempt> attempts = new ArrayList<>(context.getSecondaryResources(TaskAttempt.class));

        PlanProblem acceptance = acceptance(campaign, plan, cluster);
        Instant wake = null;
        if (acceptance == null) {
            ensureBlocks(campaign, context);
            List<Task> ordered = ensureTasks(campaign, plan, tasks, context);
            Map<String, List<TaskAttempt>> attemptsByTask = attempts.stream()
                    .collect(Collectors.groupingBy(a -> a.getSpec().getTask()));
            Map<String, TaskPhase> phases = TaskProgress.phasesByTaskName(ordered);
            boolean admitting = !campaign.getSpec().isSuspended() && !cluster.get().getSpec().isPaused();
            AttemptScheduling.Decision decision = AttemptScheduling.decide(ordered, attemptsByTask, phases,
                    campaign.getSpec().getParallelism(), admitting, now);
            for (AttemptScheduling.NewAttempt n : decision.create()) {
                createAttempt(n.task(), n.index(), cluster.get(), context).ifPresent(attempts::add);
            }
            wake = decision.nextWake();
        }
        CampaignStatus next = CampaignStatusAggregator.aggregate(campaign.getStatus(), campaign.getSpec(), acceptance,
                campaign.getSpec().getTasks().size(), List.copyOf(tasks.values()), !attempts.isEmpty(),
                cluster.flatMap(c -> Conditions.find(c.getStatus() == null ? null : c.getStatus().getConditions(), ConditionTypes.REACHABLE))
                        .orElse(null),
                generation, now);
        UpdateControl<Campaign> control;
        if (StatusComparison.same(campaign.getStatus(), next)) {
            control = UpdateControl.noUpdate();
        } else {
            Campaign patch = StatusPatch.of(campaign, next, Campaign::new);
            control = patchStatus(patch);
        }
        if (wake != null) {
            control = control.rescheduleAfter(Duration.between(now, wake).plusMillis(200));
        }
        return control;
    }

    private static PlanProblem acceptance(Campaign campaign, CampaignPlan plan, Optional<HpcCluster> cluster) {
        if (!plan.accepted()) {
            List<PlanProblem> problems = plan.problems();
            String message = problems.stream().map(PlanProblem::message).collect(Collectors.joining("; "));
            return new PlanProblem(problems.get(0).reason(), message);
        }
        if (cluster.isEmpty()) {
            return new PlanProblem("ClusterNotFound", "HpcCluster " + campaign.getSpec().getClusterRef().getName()
                    + " does not exist in namespace " + campaign.getMetadata().getNamespace());
        }
        return null;
    }

    /** Creates missing Tasks; returns all of the plan's Tasks in plan order. Existing Tasks are left as they are. */
    private static List<Task> ensureTasks(Campaign campaign, CampaignPlan plan, Map<String, Task> existing, Context<Campaign> context) {
        List<Task> ordered = new ArrayList<>();
        for (TaskSpec spec : plan.tasks()) {
            String taskName = ObjectNames.task(campaign.getMetadata().getName(), spec.getTaskName());
            Task task = existing.get(taskName);
            if (task == null) {
                Task desired = new Task();
                desired.setMetadata(childMeta(campaign, taskName, spec.getTaskName()));
                desired.setSpec(spec);
                task = create(desired, context);
                if (task == null) {
                    continue;
                }
                existing.put(taskName, task);
            }
            ordered.add(task);
        }
        return ordered;
    }

    private static void ensureBlocks(Campaign campaign, Context<Campaign> context) {
        Set<String> existing = context.getSecondaryResources(ProcessingBlock.class).stream()
                .map(b -> b.getMetadata().getName()).collect(Collectors.toSet());
        for (ProcessingBlockTemplate template : campaign.getSpec().getProcessingBlocks()) {
            String blockName = ObjectNames.processingBlock(campaign.getMetadata().getName(), template.getName());
            if (existing.contains(blockName)) {
                continue;
            }
            ProcessingBlock block = new ProcessingBlock();
            block.setMetadata(childMeta(campaign, blockName, null));
            ProcessingBlockSpec spec = new ProcessingBlockSpec();
            spec.setCampaign(campaign.getMetadata().getName());
            spec.setBlockName(template.getName());
            spec.setOutputs(List.copyOf(template.getOutputs()));
            block.setSpec(spec);
            create(block, context);
        }
    }

    private static Optional<TaskAttempt> createAttempt(Task task, int index, HpcCluster cluster, Context<Campaign> context) {
        TaskSpec t = task.getSpec();
        TaskAttemptSpec spec = new TaskAttemptSpec();
        spec.setCampaign(t.getCampaign());
        spec.setTask(task.getMetadata().getName());
        spec.setTaskName(t.getTaskName());
        spec.setClusterRef(t.getClusterRef());
        spec.setIndex(index);
        spec.setScript(t.getScript());
        spec.setEnv(t.getEnv());
        spec.setResources(t.getResources());
        spec.setWorkDir(ObjectNames.workDir(cluster.getSpec().getWorkRoot(), task.getMetadata().getNamespace(), t.getCampaign(),
                t.getTaskName(), index));
        spec.setConfigHash(configHash(spec));
        TaskAttempt attempt = new TaskAttempt();
        ObjectMeta meta = new ObjectMetaBuilder()
                .withName(ObjectNames.attempt(task.getMetadata().getName(), index))
                .withNamespace(task.getMetadata().getNamespace())
                .addToLabels(Constants.LABEL_CAMPAIGN, t.getCampaign())
                .addToLabels(Constants.LABEL_TASK, t.getTaskName())
                .addToLabels(Constants.LABEL_MANAGED_BY, Constants.MANAGED_BY)
                .withOwnerReferences(ownerReference(task))
                .build();
        attempt.setMetadata(meta);
        attempt.setSpec(spec);
        TaskAttempt created = create(attempt, context);
        if (created != null) {
            LOG.infof("created attempt %s/%s", meta.getNamespace(), meta.getName());
        }
        return Optional.ofNullable(created);
    }

    /** sha256 of exactly what is submitted: script, environment and resources. */
    static String configHash(TaskAttemptSpec spec) {
        Map<String, Object> submitted = new LinkedHashMap<>();
        submitted.put("script", spec.getScript());
        submitted.put("env", spec.getEnv());
        submitted.put("resources", spec.getResources());
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(Serialization.asJson(submitted).getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectMeta childMeta(Campaign campaign, String name, String taskName) {
        ObjectMetaBuilder b = new ObjectMetaBuilder()
                .withName(name)
                .withNamespace(campaign.getMetadata().getNamespace())
                .addToLabels(Constants.LABEL_CAMPAIGN, campaign.getMetadata().getName())
                .addToLabels(Constants.LABEL_MANAGED_BY, Constants.MANAGED_BY)
                .withOwnerReferences(ownerReference(campaign));
        if (taskName != null) {
            b.addToLabels(Constants.LABEL_TASK, taskName);
        }
        return b.build();
    }

    private static OwnerReference ownerReference(HasMetadata owner) {
        return new OwnerReferenceBuilder()
                .withApiVersion(owner.getApiVersion())
                .withKind(owner.getKind())
                .withName(owner.getMetadata().getName())
                .withUid(owner.getMetadata().getUid())
                .withController(true)
                .withBlockOwnerDeletion(true)
                .build();
    }

    /** Creates the object; an object that already exists (a reconcile raced its own cache) is not an error. */
    private static <T extends HasMetadata> T create(T object, Context<Campaign> context) {
        try {
            return context.getClient().resource(object).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                return null;
            }
            throw e;
        }
    }

    private UpdateControl<Campaign> patchStatus(Campaign patch) {
        metrics.statusWrite("Campaign");
        return UpdateControl.patchStatus(patch);
    }
}
