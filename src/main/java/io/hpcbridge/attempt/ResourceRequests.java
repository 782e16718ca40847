package io.hpcbridge.attempt;

import java.util.LinkedHashMap;
import java.util.Map;

import io.hpcbridge.api.v1alpha1.Resources;
import io.hpcbridge.api.v1alpha1.SchedulerType;
import io.hpcbridge.gateway.ResourceRequest;
import io.hpcbridge.util.Durations;
import io.hpcbridge.util.Quantities;

/**
 * Builds the port's {@link ResourceRequest} from the API's resources, once: quantities and durations parsed, and only
 * the section for the cluster's scheduler carried as the adapter's options (the other scheduler's section is ignored,
 * so one manifest runs on either).
 */
public final class ResourceRequests {
    private ResourceRequests() {
    }

    /**
     * @throws IllegalArgumentException when a quantity or duration cannot be read; the message names the field
     */
    public static ResourceRequest of(Resources r, SchedulerType scheduler) {
        if (r == null) {
            return ResourceRequest.NONE;
        }
        Map<String, String> options = new LinkedHashMap<>();
        Map<String, String> extras = new LinkedHashMap<>();
        if (scheduler == SchedulerType.SLURM) {
            put(options, "partition", r.getPartition());
            put(options, "account", r.getAccount());
            put(options, "qos", r.getQos());
        }
        return new ResourceRequest(r.getCpus(), bytes("resources.memory", r.getMemory()), duration("resources.time", r.getTime()),
                r.getGpus(), null, null, null, options, extras);
    }

    private static void put(Map<String, String> options, String name, String value) {
        if (value != null) {
            options.put(name, value);
        }
    }

    private static Long bytes(String field, String quantity) {
        if (quantity == null) {
            return null;
        }
        try {
            return Quantities.bytes(quantity.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + ": " + e.getMessage(), e);
        }
    }

    private static java.time.Duration duration(String field, String text) {
        if (text == null) {
            return null;
        }
        try {
            return Durations.parse(text.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + ": " + e.getMessage(), e);
        }
    }
}
