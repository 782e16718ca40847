package io.hpcbridge.attempt;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.hpcbridge.api.v1alpha1.ClassAdAttribute;
import io.hpcbridge.api.v1alpha1.HtcondorResources;
import io.hpcbridge.api.v1alpha1.Resources;
import io.hpcbridge.api.v1alpha1.SbatchOption;
import io.hpcbridge.api.v1alpha1.SchedulerType;
import io.hpcbridge.api.v1alpha1.SlurmResources;
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
        Integer nodes = null;
        Integer tasks = null;
        if (scheduler == SchedulerType.SLURM && r.getSlurm() != null) {
            SlurmResources slurm = r.getSlurm();
            put(options, "partition", slurm.getPartition());
            put(options, "account", slurm.getAccount());
            put(options, "qos", slurm.getQos());
            put(options, "reservation", slurm.getReservation());
            put(options, "constraint", slurm.getConstraint());
            if (Boolean.TRUE.equals(slurm.getExclusive())) {
                options.put("exclusive", "true");
            }
            nodes = slurm.getNodes();
            tasks = slurm.getNtasks();
            for (SbatchOption o : slurm.getOptions() == null ? List.<SbatchOption>of() : slurm.getOptions()) {
                if (o.getName() != null && extras.putIfAbsent(o.getName().option(), o.getValue()) != null) {
                    throw new IllegalArgumentException("resources.slurm.options: --" + o.getName().option() + " is given twice");
                }
            }
        }
        if (scheduler == SchedulerType.HTCONDOR && r.getHtcondor() != null) {
            HtcondorResources condor = r.getHtcondor();
            put(options, "accounting_group", condor.getAccountingGroup());
            put(options, "requirements", condor.getRequirements());
            put(options, "rank", condor.getRank());
            for (ClassAdAttribute a : condor.getAttributes() == null ? List.<ClassAdAttribute>of() : condor.getAttributes()) {
                if (a.getName() != null && extras.putIfAbsent(a.getName(), a.getValue()) != null) {
                    throw new IllegalArgumentException("resources.htcondor.attributes: " + a.getName() + " is given twice");
                }
            }
        }
        return new ResourceRequest(r.getCpus(), bytes("resources.memory", r.getMemory()), duration("resources.time", r.getTime()),
                r.getGpus(), bytes("resources.disk", r.getDisk()), nodes, tasks, options, extras);
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
