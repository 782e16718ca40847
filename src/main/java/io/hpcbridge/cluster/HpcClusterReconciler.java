package io.hpcbridge.cluster;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.hpcbridge.api.v1alpha1.ClusterPhase;
import io.hpcbridge.api.v1alpha1.ConditionTypes;
import io.hpcbridge.api.v1alpha1.HpcCluster;
import io.hpcbridge.api.v1alpha1.HpcClusterStatus;
import io.hpcbridge.ssh.HostKeyException;
import io.hpcbridge.ssh.SshCredentials;
import io.hpcbridge.ssh.SshFailure;
import io.hpcbridge.ssh.SshSettings;
import io.hpcbridge.status.Conditions;
import io.hpcbridge.status.Readiness;
import io.hpcbridge.status.StatusComparison;
import io.hpcbridge.status.StatusPatch;
import io.hpcbridge.status.Times;
import io.hpcbridge.status.ReconcileErrors;
import io.hpcbridge.util.Durations;
import io.hpcbridge.util.LogContext;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;

/** Keeps one session per HpcCluster and shows in its status whether the site answers. */
@ControllerConfiguration(name = "hpccluster")
public class HpcClusterReconciler implements Reconciler<HpcCluster>, Cleaner<HpcCluster> {
    @jakarta.inject.Inject
    io.hpcbridge.metrics.OperatorMetrics metrics;

    /** Even when nothing changes, lastPollTime is refreshed this often so staleness is visible. */
    static final Duration REFRESH = Duration.ofSeconds(60);

    @Inject
    ClusterSessions sessions;

    Clock clock = Clock.systemUTC();

    @Override
    public List<EventSource<?, HpcCluster>> prepareEventSources(EventSourceContext<HpcCluster> context) {
        SignalEventSource<HpcCluster> health = new SignalEventSource<>("cluster-health");
        sessions.onClusterHealthChanged(health::signal);
        return List.of(health);
    }

    /** A failed reconcile is shown on the object as a Warning Event, not only in the log; JOSDK then retries. */
    @Override
    public ErrorStatusUpdateControl<HpcCluster> updateErrorStatus(HpcCluster resource, Context<HpcCluster> context, Exception e) {
        ReconcileErrors.report(context.getClient(), resource, context.getRetryInfo(), e);
        return ErrorStatusUpdateControl.defaultErrorProcessing();
    }

    @Override
    public UpdateControl<HpcCluster> reconcile(HpcCluster cluster, Context<HpcCluster> context) {
        try (LogContext log = LogContext.of(cluster)) {
            return reconcileInContext(cluster, context);
        }
    }

    private UpdateControl<HpcCluster> reconcileInContext(HpcCluster cluster, Context<HpcCluster> context) {
        String ns = cluster.getMetadata().getNamespace();
        String name = cluster.getMetadata().getName();
        long generation = cluster.getMetadata().getGeneration();
        Instant now = clock.instant();
        HpcClusterStatus current = cluster.getStatus() == null ? new HpcClusterStatus() : cluster.getStatus();
        HpcClusterStatus next = StatusComparison.copy(current);
        next.setObservedGeneration(generation);

        if (cluster.getSpec().pausedOrFalse()) {
            sessions.remove(ns, name);
            return write(cluster, next, ClusterPhase.Paused, Conditions.UNKNOWN, "Paused",
                    "spec.paused is true: nothing is submitted or polled", generation, now);
        }
        SshCredentials credentials;
        try {
            credentials = readCredentials(cluster, context);
        } catch (CredentialsException e) {
            sessions.remove(ns, name);
            return write(cluster, next, ClusterPhase.Unreachable, Conditions.FALSE, e.reason, e.getMessage(), generation, now);
        }
        ClusterSession session;
        try {
            session = sessions.ensure(cluster, credentials, SshSettings.defaults()
                    .withConnectionInterval(Durations.parseOr(cluster.getSpec().getConnectionInterval(), Duration.ofSeconds(15))));
        } catch (ClusterSessions.UnsupportedSchedulerException e) {
            return write(cluster, next, ClusterPhase.Unreachable, Conditions.FALSE, "SchedulerNotSupported", e.getMessage(), generation, now);
        }
        ClusterHealth health = session.health();
        next.setLastPollTime(Times.format(health.lastPollTime()));
        next.setSchedulerVersion(health.schedulerVersion());
        next.setActiveJobs(health.activeJobs());
        next.setActiveLoginNode(health.activeLoginNode());
        if (health.reachable() == null) {
            String message = health.failureMessage() == null ? "connecting to a login node"
                    : "not answering yet (" + health.consecutiveFailures() + " failed polls): " + health.failureMessage();
            return write(cluster, next, ClusterPhase.Pending, Conditions.UNKNOWN, "Connecting", message, generation, now);
        }
        if (!health.reachable()) {
            return write(cluster, next, ClusterPhase.Unreachable, Conditions.FALSE, health.failureReason(),
                    health.failureMessage() + " (" + health.consecutiveFailures() + " failed polls in a row)", generation, now);
        }
        return write(cluster, next, ClusterPhase.Ready, Conditions.TRUE, "PollSucceeded",
                "scheduler " + health.schedulerVersion() + " answered through " + health.activeLoginNode(), generation, now);
    }

    /** Closes the cluster's SSH connection and poller; nothing remote is done, so deletion is never held up. */
    @Override
    public DeleteControl cleanup(HpcCluster cluster, Context<HpcCluster> context) {
        try (LogContext log = LogContext.of(cluster)) {
            return cleanupInContext(cluster, context);
        }
    }

    private DeleteControl cleanupInContext(HpcCluster cluster, Context<HpcCluster> context) {
        sessions.remove(cluster.getMetadata().getNamespace(), cluster.getMetadata().getName());
        return DeleteControl.defaultDelete();
    }

    private UpdateControl<HpcCluster> write(HpcCluster cluster, HpcClusterStatus next, ClusterPhase phase, String reachable,
            String reason, String message, long generation, Instant now) {
        next.setPhase(phase);
        next.setConditions(conditions(next.getConditions(), phase, reachable, reason, message, generation, now));
        UpdateControl<HpcCluster> control;
        if (StatusComparison.same(cluster.getStatus(), next)) {
            control = UpdateControl.noUpdate();
        } else {
            HpcCluster patch = StatusPatch.of(cluster, next, HpcCluster::new);
            control = patchStatus(patch);
        }
        return control.rescheduleAfter(REFRESH);
    }

    /**
     * Reasons that no retry can cure: the user must fix the Secret, known_hosts, the login node's authorized keys or the
     * spec. They make the cluster Stalled; every other failure (connection refused, timeouts, poll errors) is retried
     * and keeps it Reconciling.
     */
    static final String CREDENTIALS_FORBIDDEN = "CredentialsForbidden";
    static final java.util.Set<String> NEEDS_USER = java.util.Set.of("CredentialsInvalid", CREDENTIALS_FORBIDDEN, SshFailure.AUTHENTICATION_FAILED,
            HostKeyException.Kind.HostKeyMismatch.name(), HostKeyException.Kind.HostKeyUnknown.name(), "SchedulerNotSupported");
    /** The credentials Secret does not exist (yet): waited for, since GitOps may create it after the cluster. */
    static final String CREDENTIALS_NOT_FOUND = "CredentialsNotFound";

    /**
     * Reachable, and the kstatus conditions. Ready keeps its meaning (True exactly in phase Ready, reason Ready; Unknown
     * while connecting or paused, as Reachable is).
     */
    static List<io.fabric8.kubernetes.api.model.Condition> conditions(List<io.fabric8.kubernetes.api.model.Condition> current,
            ClusterPhase phase, String reachable, String reason, String message, long generation, Instant now) {
        var c = Conditions.set(current, ConditionTypes.REACHABLE, reachable, reason, message, generation, now);
        Readiness.Summary summary = switch (phase) {
            case Ready -> Readiness.Summary.ready("Ready", message);
            case Paused -> Readiness.Summary.waiting(reason, message).readyUnknown();
            case Pending -> Readiness.Summary.reconciling(reason, message).readyUnknown();
            case Unreachable -> NEEDS_USER.contains(reason) ? Readiness.Summary.stalled(reason, message)
                    : CREDENTIALS_NOT_FOUND.equals(reason) ? Readiness.Summary.waiting(reason, message)
                    : Readiness.Summary.reconciling(reason, message);
        };
        return Readiness.apply(c, summary, generation, now);
    }

    private static SshCredentials readCredentials(HpcCluster cluster, Context<HpcCluster> context) throws CredentialsException {
        String secretName = cluster.getSpec().getCredentialsSecretRef().getName();
        Secret secret;
        try {
            secret = context.getClient().secrets().inNamespace(cluster.getMetadata().getNamespace()).withName(secretName).get();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 403) {
                // The operator's RBAC does not cover this namespace's Secrets: an administrator must grant it.
                throw new CredentialsException(CREDENTIALS_FORBIDDEN, "the operator may not read Secret " + secretName
                        + " (HTTP 403; check its Role or ClusterRole, e.g. the Helm chart's watchNamespaces): "
                        + (e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage()));
            }
            throw e;
        }
        if (secret == null) {
            throw new CredentialsException("CredentialsNotFound", "Secret " + secretName + " not found");
        }
        String key = value(secret, SshCredentials.PRIVATE_KEY);
        String knownHosts = value(secret, SshCredentials.KNOWN_HOSTS);
        if (key == null || knownHosts == null || knownHosts.isBlank()) {
            throw new CredentialsException("CredentialsInvalid", "Secret " + secretName + " must have keys "
                    + SshCredentials.PRIVATE_KEY + " and " + SshCredentials.KNOWN_HOSTS + " (host keys are always verified)");
        }
        return new SshCredentials(cluster.getSpec().getUser(), key, knownHosts);
    }

    private static String value(Secret secret, String key) {
        Map<String, String> data = secret.getData();
        if (data != null && data.get(key) != null) {
            return new String(Base64.getDecoder().decode(data.get(key)), StandardCharsets.UTF_8);
        }
        Map<String, String> plain = secret.getStringData();
        return plain == null ? null : plain.get(key);
    }

    static class CredentialsException extends Exception {
        final String reason;

        CredentialsException(String reason, String message) {
            super(message);
            this.reason = reason;
        }
    }

    private UpdateControl<HpcCluster> patchStatus(HpcCluster patch) {
        metrics.statusWrite("HpcCluster");
        return UpdateControl.patchStatus(patch);
    }
}
