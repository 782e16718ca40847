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
import java.util.stream.Collectors;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.hpcbridge.api.v1alpha1.Campaign;
import io.hpcbridge.api.v1alpha1.CampaignPhase;
import io.hpcbridge.status.Events;
import io.hpcbridge.status.Times;
import io.hpcbridge.api.v1alpha1.CampaignStatus;
import io.hpcbridge.api.v1alpha1.Constants;
import io.hpcbridge.api.v1alpha1.HpcCluster;
import io.hpcbridge.api.v1alpha1.SchedulerType;
import io.hpcbridge.cluster.SchedulerAdapters;
import io.hpcbridge.api.v1alpha1.ProcessingBlock;
import io.hpcbridge.api.v1alpha1.ProcessingBlockSpec;
import io.hpcbridge.api.v1alpha1.ProcessingBlockTemplate;
import io.hpcbridge.api.v1alpha1.Task;
import io.hpcbridge.api.v1alpha1.TaskAttempt;
import io.hpcbridge.api.v1alpha1.TaskAttemptSpec;
import io.hpcbridge.api.v1alpha1.TaskSpec;
import io.hpcbridge.status.StatusComparison;
import io.hpcbridge.status.StatusPatch;
import io.hpcbridge.status.Conditions;
import io.hpcbridge.status.ReconcileErrors;
import io.hpcbridge.api.v1alpha1.ConditionTypes;
import io.hpcbridge.task.TaskProgress;
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
 * Turns a Campaign into Tasks and ProcessingBlocks, and is the campaign's scheduler: it alone creates TaskAttempts,
 * so the parallelism budget is counted in one place, one reconcile at a time. It also carries out the user's verbs
 * (stop, rerun, retry-failed) on the objects it owns. Writes only the Campaign's status on the user's object.
 */
// Not generation-aware: the user's verbs (hpcbridge.io/retry-failed) are annotations, which do not bump the generation.
@ControllerConfiguration(name = "campaign", generationAwareEventProcessing = false)
public class CampaignReconciler implements Reconciler<Campaign> {
    @jakarta.inject.Inject
    io.hpcbridge.metrics.OperatorMetrics metrics;

    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "hpcbridge.campaign.max-tasks", defaultValue = "10000")
    int maxTasks;

    @jakarta.inject.Inject
    SchedulerAdapters adapters;

    private static final Logger LOG = Logger.getLogger(CampaignReconciler.class);
    static final String CLUSTER_INDEX = "cluster";
    /** How often a campaign held back by a cluster's maxActiveJobs looks again: other campaigns' attempts free slots. */
    static final Duration CLUSTER_LIMIT_RECHECK = Duration.ofSeconds(5);
    /** Task creates per reconcile: a slice takes a few seconds at {@link KubeWrites#CONCURRENCY} writes at a time. */
    static final int TASK_CREATES_PER_RECONCILE = 1000;

    Clock clock = Clock.systemUTC();

    private final RecentWrites<TaskAttempt> recentAttempts = new RecentWrites<>();
    private final RecentWrites<Task> recentTasks = new RecentWrites<>();
    private final ClusterAdmission admission = new ClusterAdmission();
    private final Map<String, CachedPlan> plans = new java.util.concurrent.ConcurrentHashMap<>();
    /** The hpcbridge.io/held value last written per Task ("" for none), so a stale cache causes no repeated writes. */
    private final Map<String, Map<String, String>> heldWritten = new java.util.concurrent.ConcurrentHashMap<>();
    /** When per-campaign memory (plans, held) was last purged of campaigns that no longer exist. */
    private volatile Instant lastPurge = Instant.EPOCH;
    static final Duration PURGE_EVERY = Duration.ofMinutes(10);
    private final KubeWrites writes = new KubeWrites();
    /**
     * Bulk Task creation has its own pool: a sweep of thousands of Tasks queues thousands of creates, and the small
     * writes of other campaigns (holds, stop, reruns) must not wait behind them.
     */
    private final KubeWrites bulkCreates = new KubeWrites();
    private final CampaignVerbs verbs = new CampaignVerbs(writes, recentTasks, () -> clock.instant());
    private InformerEventSource<TaskAttempt, Campaign> attemptSource;

    private record CachedPlan(String uid, long generation, CampaignPlan plan) {
    }

    @Override
    public List<EventSource<?, Campaign>> prepareEventSources(EventSourceContext<Campaign> context) {
        var tasks = new InformerEventSource<>(InformerEventSourceConfiguration.from(Task.class, Campaign.class)
                .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(Campaign.class))
                .build(), context);
        var attempts = new InformerEventSource<>(InformerEventSourceConfiguration.from(TaskAttempt.class, Campaign.class)
                .withSecondaryToPrimaryMapper((TaskAttempt a) -> Set.of(new ResourceID(a.getSpec().getCampaign(), a.getMetadata().getNamespace())))
                .build(), context);
        // Live attempts per cluster, across campaigns, for HpcCluster.spec.maxActiveJobs.
        attempts.addIndexers(Map.of(CLUSTER_INDEX, a -> List.of(clusterKey(a.getMetadata().getNamespace(), a.getSpec().getClusterRef().getName()))));
        this.attemptSource = attempts;
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

    /** A failed reconcile is shown on the object as a Warning Event, not only in the log; JOSDK then retries. */
    @Override
    public ErrorStatusUpdateControl<Campaign> updateErrorStatus(Campaign resource, Context<Campaign> context, Exception e) {
        ReconcileErrors.report(context.getClient(), resource, context.getRetryInfo(), e);
        return ErrorStatusUpdateControl.defaultErrorProcessing();
    }

    @Override
    public UpdateControl<Campaign> reconcile(Campaign campaign, Context<Campaign> context) {
        try (LogContext log = LogContext.of(campaign)) {
            return reconcileInContext(campaign, context);
        }
    }

    private UpdateControl<Campaign> reconcileInContext(Campaign campaign, Context<Campaign> context) {
        Instant now = clock.instant();
        purgeForgotten(context, now);
        String name = campaign.getMetadata().getName();
        String ns = campaign.getMetadata().getNamespace();
        long generation = campaign.getMetadata().getGeneration();
        CampaignPlan plan = plan(campaign);
        Optional<HpcCluster> cluster = context.getSecondaryResource(HpcCluster.class);
        Map<String, Task> tasks = recentTasks.overlay(context.getSecondaryResources(Task.class),
                t -> ns.equals(t.getMetadata().getNamespace()) && name.equals(t.getSpec().getCampaign()), now);
        List<TaskAttempt> attempts = new ArrayList<>(recentAttempts.overlay(context.getSecondaryResources(TaskAttempt.class),
                a -> ns.equals(a.getMetadata().getNamespace()) && name.equals(a.getSpec().getCampaign()), now).values());

        PlanProblem acceptance = acceptance(campaign, plan, cluster, adapters);
        Instant wake = null;
        Map<String, Integer> blockedBy = null;
        String retryFailedActed = null;
        if (acceptance == null) {
            ensureBlocks(campaign, context);
            String blockedReason = blockedReason(campaign, cluster.get());
            PlannedTasks planned = ensureTasks(campaign, plan, tasks, blockedReason, context);
            List<Task> ordered = planned.ordered();
            if (!planned.complete()) {
                wake = now;
            }
            Map<String, List<TaskAttempt>> attemptsByTask = byTask(attempts);
            if (campaign.getSpec().isStopped()) {
                verbs.stop(ordered, attempts, context, now);
            } else {
                retryFailedActed = verbs.retryFailed(campaign, plan, ordered, attemptsByTask, context, now);
                verbs.reruns(plan, ordered, attemptsByTask, context, now);
            }
            AttemptScheduling.Survey survey = AttemptScheduling.survey(ordered, attemptsByTask, now);
            Map<String, String> held = Map.of();
            if (!campaign.getSpec().isStopped()) {
                AttemptScheduling.Decision decision = admit(campaign, cluster.get(), survey, blockedReason, context, now);
                decision.create().forEach(n -> createAttempt(n.task(), n.index(), attemptsByTask.getOrDefault(n.task().getMetadata().getName(), List.of()),
                        cluster.get(), context, now).ifPresent(attempts::add));
                held = decision.held();
                if (held.containsValue(AttemptScheduling.CLUSTER_LIMIT) && wake == null) {
                    wake = now.plus(CLUSTER_LIMIT_RECHECK);
                }
            }
            writeHolds(campaign, ordered, held, context);
            Map<String, Integer> counts = new java.util.TreeMap<>(survey.waiting());
            held.values().forEach(r -> counts.merge(r, 1, Integer::sum));
            blockedBy = counts;
            if (survey.nextWake() != null && (wake == null || survey.nextWake().isBefore(wake))) {
                wake = survey.nextWake();
            }
        }
        boolean anyLive = attempts.stream().anyMatch(AttemptScheduling::isLive);
        CampaignStatus next = CampaignStatusAggregator.aggregate(campaign.getStatus(), campaign.getSpec(), acceptance,
                plan.accepted() ? plan.tasks().size() : campaign.getSpec().getTasks().size(), List.copyOf(tasks.values()), !attempts.isEmpty(),
                cluster.flatMap(c -> Conditions.find(c.getStatus() == null ? null : c.getStatus().getConditions(), ConditionTypes.REACHABLE))
                        .orElse(null),
                generation, now);
        next = CampaignStatusAggregator.withProgressDetail(next, campaign.getSpec(), anyLive, blockedBy,
                CampaignStatusAggregator.recentFailures(attempts), retryFailedActed, generation, now);
        announce(campaign, next, context);
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

    /** Drops what is remembered about campaigns that were deleted; their plans may hold thousands of Tasks. */
    private void purgeForgotten(Context<Campaign> context, Instant now) {
        if (lastPurge.plus(PURGE_EVERY).isAfter(now)) {
            return;
        }
        lastPurge = now;
        Set<String> live = context.getPrimaryCache().list().map(CampaignReconciler::campaignKey).collect(Collectors.toSet());
        plans.keySet().retainAll(live);
        heldWritten.keySet().retainAll(live);
    }

    static String campaignKey(Campaign campaign) {
        return campaign.getMetadata().getNamespace() + "/" + campaign.getMetadata().getName();
    }

    private CampaignPlan plan(Campaign campaign) {
        String key = campaignKey(campaign);
        String uid = campaign.getMetadata().getUid();
        long generation = campaign.getMetadata().getGeneration() == null ? 0 : campaign.getMetadata().getGeneration();
        CachedPlan cached = plans.get(key);
        if (cached != null && java.util.Objects.equals(cached.uid(), uid) && cached.generation() == generation) {
            return cached.plan();
        }
        CampaignPlan plan = CampaignPlan.of(campaign.getMetadata().getName(), campaign.getSpec(), maxTasks);
        plans.put(key, new CachedPlan(uid, generation, plan));
        return plan;
    }

    /** Why nothing of this campaign may start now, or null. */
    static String blockedReason(Campaign campaign, HpcCluster cluster) {
        if (campaign.getSpec().isSuspended()) {
            return TaskProgress.SUSPENDED;
        }
        if (cluster.getSpec().pausedOrFalse()) {
            return TaskProgress.CLUSTER_PAUSED;
        }
        boolean unreachable = Conditions.find(cluster.getStatus() == null ? null : cluster.getStatus().getConditions(), ConditionTypes.REACHABLE)
                .map(c -> "False".equals(c.getStatus())).orElse(false);
        return unreachable ? TaskProgress.CLUSTER_UNREACHABLE : null;
    }

    /** The campaign's parallelism and the cluster's fair share, decided under the cluster's admission lock. */
    private AttemptScheduling.Decision admit(Campaign campaign, HpcCluster cluster, AttemptScheduling.Survey survey,
            String blockedReason, Context<Campaign> context, Instant now) {
        String clusterKey = clusterKey(cluster.getMetadata().getNamespace(), cluster.getMetadata().getName());
        String campaignKey = campaign.getMetadata().getNamespace() + "/" + campaign.getMetadata().getName();
        Integer parallelism = campaign.getSpec().getParallelism();
        Integer maxActive = cluster.getSpec().getMaxActiveJobs();
        int wanted = (int) Math.min(survey.ready().size(),
                parallelism == null ? Integer.MAX_VALUE : Math.max(0, parallelism - survey.live()));
        if (blockedReason != null) {
            return AttemptScheduling.admit(survey.ready(), survey.live(), parallelism, blockedReason, 0);
        }
        if (maxActive == null) {
            return AttemptScheduling.admit(survey.ready(), survey.live(), parallelism, null, Integer.MAX_VALUE);
        }
        // Held until the attempts exist (or are recorded), so two campaigns cannot both take the last slot.
        return admission.underLock(clusterKey, () -> {
            long liveOnCluster = liveOnCluster(clusterKey);
            int grant = admission.grant(clusterKey, campaignKey, Times.parse(campaign.getMetadata().getCreationTimestamp()),
                    maxActive, liveOnCluster, survey.live(), wanted, now);
            AttemptScheduling.Decision d = AttemptScheduling.admit(survey.ready(), survey.live(), parallelism, null, grant);
            // Recorded before the lock is released; createAttempt re-records the created object.
            d.create().forEach(n -> recentAttempts.record(placeholder(n, cluster), now));
            return d;
        });
    }

    private long liveOnCluster(String clusterKey) {
        List<TaskAttempt> cached = attemptSource == null ? List.of() : attemptSource.byIndex(CLUSTER_INDEX, clusterKey);
        Set<String> seen = cached.stream().map(a -> a.getMetadata().getNamespace() + "/" + a.getMetadata().getName()).collect(Collectors.toSet());
        long live = cached.stream().filter(AttemptScheduling::isLive).count();
        live += recentAttempts.recorded(a -> clusterKey.equals(clusterKey(a.getMetadata().getNamespace(), a.getSpec().getClusterRef().getName()))
                && AttemptScheduling.isLive(a) && !seen.contains(a.getMetadata().getNamespace() + "/" + a.getMetadata().getName())).size();
        return live;
    }

    /** Stands for an attempt about to be created, so concurrent admissions count it. */
    private static TaskAttempt placeholder(AttemptScheduling.NewAttempt n, HpcCluster cluster) {
        TaskAttempt a = new TaskAttempt();
        a.setMetadata(new ObjectMetaBuilder().withName(ObjectNames.attempt(n.task().getMetadata().getName(), n.index()))
                .withNamespace(n.task().getMetadata().getNamespace()).withGeneration(0L).build());
        a.getSpec().setCampaign(n.task().getSpec().getCampaign());
        a.getSpec().setTask(n.task().getMetadata().getName());
        a.getSpec().setTaskName(n.task().getSpec().getTaskName());
        a.getSpec().setClusterRef(new io.hpcbridge.api.v1alpha1.NameReference(cluster.getMetadata().getName()));
        a.getSpec().setIndex(n.index());
        a.setStatus(null);
        return a;
    }

    /** Writes hpcbridge.io/held where the reason changed; the Task reconciler turns it into the task's reason. */
    private void writeHolds(Campaign campaign, List<Task> ordered, Map<String, String> held, Context<Campaign> context) {
        List<Runnable> work = new ArrayList<>();
        Map<String, String> written4Campaign = heldWritten.computeIfAbsent(campaignKey(campaign), k -> new java.util.concurrent.ConcurrentHashMap<>());
        for (Task task : ordered) {
            String key = task.getMetadata().getName();
            String want = held.getOrDefault(task.getMetadata().getName(), "");
            String written = written4Campaign.computeIfAbsent(key, k -> {
                String a = annotation(task, Constants.ANNOTATION_HELD);
                return a == null ? "" : a;
            });
            if (!want.equals(written)) {
                written4Campaign.put(key, want);
                work.add(() -> writes.annotate(context.getClient(), Task.class, task, Constants.ANNOTATION_HELD, want.isEmpty() ? null : want));
            }
        }
        writes.runAll(work);
    }

    /** Events for the transitions users care about: the campaign finished, one way or the other. */
    private static void announce(Campaign campaign, CampaignStatus next, Context<Campaign> context) {
        CampaignPhase before = campaign.getStatus() == null ? null : campaign.getStatus().getPhase();
        CampaignPhase after = next.getPhase();
        if (after == before || after == null || !after.isTerminal()) {
            return;
        }
        String summary = CampaignStatusAggregator.summary(next.getTasks());
        switch (after) {
            case Succeeded -> Events.emit(context.getClient(), campaign, Events.NORMAL, "CampaignSucceeded", summary);
            case Failed -> Events.emit(context.getClient(), campaign, Events.WARNING, "CampaignFailed",
                    Conditions.find(next.getConditions(), ConditionTypes.FAILED).map(c -> c.getMessage()).orElse(summary));
            case Stopped -> Events.emit(context.getClient(), campaign, Events.NORMAL, "CampaignStopped", "every cancel confirmed; " + summary);
            default -> { }
        }
    }

    static String annotation(HasMetadata o, String key) {
        Map<String, String> a = o.getMetadata().getAnnotations();
        return a == null ? null : a.get(key);
    }

    private static Map<String, List<TaskAttempt>> byTask(List<TaskAttempt> attempts) {
        return attempts.stream().collect(Collectors.groupingBy(a -> a.getSpec().getTask(), LinkedHashMap::new, Collectors.toCollection(ArrayList::new)));
    }

    static String clusterKey(String namespace, String cluster) {
        return namespace + "/" + cluster;
    }

    private static PlanProblem acceptance(Campaign campaign, CampaignPlan plan, Optional<HpcCluster> cluster, SchedulerAdapters adapters) {
        if (!plan.accepted()) {
            List<PlanProblem> problems = plan.problems();
            String message = problems.stream().map(PlanProblem::message).collect(Collectors.joining("; "));
            return new PlanProblem(problems.get(0).reason(), message);
        }
        if (cluster.isEmpty()) {
            return new PlanProblem("ClusterNotFound", "HpcCluster " + campaign.getSpec().getClusterRef().getName()
                    + " does not exist in namespace " + campaign.getMetadata().getNamespace());
        }
        SchedulerType type = cluster.get().getSpec().getScheduler();
        return adapters.forType(type).map(adapter -> SchedulerAcceptance.check(campaign.getSpec(), type, adapter)).orElse(null);
    }

    /**
     * Creates missing Tasks (in parallel: a sweep may expand to thousands), at most {@link #TASK_CREATES_PER_RECONCILE}
     * at a time; returns the plan's Tasks that exist, in plan order. Existing Tasks are left as they are. A root task
     * created while the campaign is blocked carries the reason from the start, which saves a write per task on large
     * suspended sweeps.
     */
    private PlannedTasks ensureTasks(Campaign campaign, CampaignPlan plan, Map<String, Task> existing, String blockedReason,
            Context<Campaign> context) {
        List<Task> missing = new ArrayList<>();
        for (TaskSpec spec : plan.tasks()) {
            String taskName = ObjectNames.task(campaign.getMetadata().getName(), spec.getTaskName());
            if (!existing.containsKey(taskName)) {
                Task desired = new Task();
                desired.setMetadata(childMeta(campaign, taskName, spec.getTaskName()));
                if (blockedReason != null && spec.getDependsOn().isEmpty() && !campaign.getSpec().isStopped()) {
                    desired.getMetadata().setAnnotations(new LinkedHashMap<>(Map.of(Constants.ANNOTATION_HELD, blockedReason)));
                    heldWritten.computeIfAbsent(campaignKey(campaign), k -> new java.util.concurrent.ConcurrentHashMap<>()).put(taskName, blockedReason);
                }
                desired.setSpec(spec);
                missing.add(desired);
            }
        }
        if (!missing.isEmpty()) {
            long started = System.nanoTime();
            // A slice per reconcile, so that two large sweeps expand side by side and each campaign's other work
            // (holds, stops, status) runs between slices.
            List<Task> slice = missing.subList(0, Math.min(missing.size(), TASK_CREATES_PER_RECONCILE));
            List<Task> created = bulkCreates.createAll(context.getClient(), slice);
            Instant now = clock.instant();
            created.forEach(t -> {
                existing.put(t.getMetadata().getName(), t);
                // The next reconcile may come before the informer has seen thousands of new Tasks: without this it
                // would try to create them again (and wait for a 409 on each).
                recentTasks.record(t, now);
            });
            LOG.infof("campaign %s/%s: created %d of %d missing Tasks in %d ms", campaign.getMetadata().getNamespace(),
                    campaign.getMetadata().getName(), created.size(), missing.size(), (System.nanoTime() - started) / 1_000_000);
        }
        boolean complete = missing.size() <= TASK_CREATES_PER_RECONCILE;
        List<Task> ordered = new ArrayList<>();
        for (TaskSpec spec : plan.tasks()) {
            Task task = existing.get(ObjectNames.task(campaign.getMetadata().getName(), spec.getTaskName()));
            if (task != null) {
                ordered.add(task);
            }
        }
        return new PlannedTasks(ordered, complete);
    }

    /** The plan's Tasks that exist, in plan order; {@code complete} is false while some are still to be created. */
    private record PlannedTasks(List<Task> ordered, boolean complete) {
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
            KubeWrites.create(context.getClient(), block);
        }
    }

    private Optional<TaskAttempt> createAttempt(Task task, int index, List<TaskAttempt> earlier, HpcCluster cluster,
            Context<Campaign> context, Instant now) {
        TaskSpec t = task.getSpec();
        TaskAttemptSpec spec = new TaskAttemptSpec();
        spec.setCampaign(t.getCampaign());
        spec.setTask(task.getMetadata().getName());
        spec.setTaskName(t.getTaskName());
        spec.setClusterRef(t.getClusterRef());
        spec.setIndex(index);
        spec.setScript(t.getScript());
        spec.setEnv(t.getEnv());
        ResourceEscalation.Escalated resources = ResourceEscalation.next(t.getResources(),
                t.getRetryStrategy() == null ? null : t.getRetryStrategy().getEscalate(), AttemptScheduling.runAttempts(task, earlier));
        spec.setResources(resources.resources());
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
        try (LogContext log = LogContext.of(attempt)) {
            TaskAttempt created = KubeWrites.create(context.getClient(), attempt);
            if (created != null) {
                recentAttempts.record(created, now);
                LOG.infof("created attempt %s/%s", meta.getNamespace(), meta.getName());
                if (resources.note() != null) {
                    Events.emit(context.getClient(), task, Events.NORMAL, "ResourcesEscalated", meta.getName() + ": " + resources.note());
                }
            }
            return Optional.ofNullable(created);
        }
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

    private UpdateControl<Campaign> patchStatus(Campaign patch) {
        metrics.statusWrite("Campaign");
        return UpdateControl.patchStatus(patch);
    }
}
