package io.hpcbridge.campaign;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Fair shares of a cluster's maxActiveJobs between the campaigns that want slots on it. Pure water-filling: every
 * campaign gets as much as it wants up to an equal share; what a campaign does not need is shared among the others;
 * slots that do not divide evenly go to the earlier (older) campaigns.
 */
public final class ClusterShare {
    private ClusterShare() {
    }

    /**
     * @param capacity the cluster's maxActiveJobs
     * @param wants    per campaign, oldest first: live attempts plus ready tasks
     * @return per campaign, the most live attempts it may have; the sum never exceeds capacity
     */
    public static <K> Map<K, Integer> allot(int capacity, Map<K, Integer> wants) {
        Map<K, Integer> allotted = new LinkedHashMap<>();
        wants.keySet().forEach(k -> allotted.put(k, 0));
        int left = Math.max(0, capacity);
        while (left > 0) {
            long hungry = wants.entrySet().stream().filter(e -> allotted.get(e.getKey()) < Math.max(0, e.getValue())).count();
            if (hungry == 0) {
                break;
            }
            int share = (int) Math.max(1, left / hungry);
            for (Map.Entry<K, Integer> e : wants.entrySet()) {
                int have = allotted.get(e.getKey());
                int give = Math.min(share, Math.min(Math.max(0, e.getValue()) - have, left));
                if (give > 0) {
                    allotted.put(e.getKey(), have + give);
                    left -= give;
                }
                if (left == 0) {
                    break;
                }
            }
        }
        return allotted;
    }
}
