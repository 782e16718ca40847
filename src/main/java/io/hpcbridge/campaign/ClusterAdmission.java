package io.hpcbridge.campaign;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A cluster's maxActiveJobs, shared between campaigns. Campaigns reconcile in parallel, so admission to one cluster
 * happens under that cluster's lock: count the live attempts, grant, create, release. Each campaign registers what it
 * wants (live + ready) on every reconcile; shares are recomputed from the wants still fresh.
 */
final class ClusterAdmission {
    /** A want not renewed for this long belongs to a campaign that finished, stopped or went away. */
    static final Duration WANT_TTL = Duration.ofSeconds(30);

    private record Want(String campaign, Instant createdAt, int want, Instant seen) {
    }

    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Want>> wants = new ConcurrentHashMap<>();

    /** Runs {@code admission} while no other campaign admits to the same cluster. */
    <T> T underLock(String clusterKey, Supplier<T> admission) {
        synchronized (locks.computeIfAbsent(clusterKey, k -> new Object())) {
            return admission.get();
        }
    }

    /**
     * How many new attempts this campaign may start now. Call under {@link #underLock}.
     *
     * @param maxActive     the cluster's maxActiveJobs, or null for no cap
     * @param liveOnCluster live attempts of all campaigns on the cluster
     * @param liveOfCampaign live attempts of this campaign
     * @param ready         this campaign's ready tasks (after its own parallelism cap)
     */
    int grant(String clusterKey, String campaign, Instant campaignCreated, Integer maxActive, long liveOnCluster,
            long liveOfCampaign, int ready, Instant now) {
        Map<String, Want> forCluster = wants.computeIfAbsent(clusterKey, k -> new ConcurrentHashMap<>());
        forCluster.put(campaign, new Want(campaign, campaignCreated == null ? now : campaignCreated,
                (int) Math.min(Integer.MAX_VALUE, liveOfCampaign + ready), now));
        forCluster.values().removeIf(w -> w.seen().plus(WANT_TTL).isBefore(now));
        if (maxActive == null) {
            return ready;
        }
        List<Want> ordered = new ArrayList<>(forCluster.values());
        ordered.sort(Comparator.comparing(Want::createdAt).thenComparing(Want::campaign));
        Map<String, Integer> byCampaign = new LinkedHashMap<>();
        ordered.forEach(w -> byCampaign.put(w.campaign(), w.want()));
        int share = ClusterShare.allot(maxActive, byCampaign).getOrDefault(campaign, 0);
        long free = Math.max(0, maxActive - liveOnCluster);
        return (int) Math.max(0, Math.min(Math.min(ready, free), share - liveOfCampaign));
    }

    void forget(String campaign) {
        wants.values().forEach(m -> m.remove(campaign));
    }
}
