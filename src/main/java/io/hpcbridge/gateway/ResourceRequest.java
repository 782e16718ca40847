package io.hpcbridge.gateway;

import java.time.Duration;
import java.util.Map;

/**
 * What one attempt asks the scheduler for, built once from the API object. Each adapter validates it
 * ({@link BatchScheduler#validate}) and rounds it its own way when it writes the job.
 *
 * @param cpus        CPUs for the job's one task
 * @param memoryBytes memory for the whole job
 * @param wallTime    wall-time limit
 * @param gpus        GPUs
 * @param diskBytes   scratch disk
 * @param nodes       node count, where the scheduler has one (Slurm)
 * @param tasks       task count, where the scheduler has one (Slurm)
 * @param options     the scheduler's own named settings from the API section for it, e.g. {@code partition} for Slurm
 *                    or {@code requirements} for HTCondor, in order
 * @param extras      the scheduler's own open-ended settings, in order: extra sbatch options for Slurm,
 *                    {@code MY.} attributes for HTCondor
 */
public record ResourceRequest(Integer cpus, Long memoryBytes, Duration wallTime, Integer gpus, Long diskBytes, Integer nodes,
        Integer tasks, Map<String, String> options, Map<String, String> extras) {

    public static final ResourceRequest NONE = new ResourceRequest(null, null, null, null, null, null, null, Map.of(), Map.of());

    public ResourceRequest {
        options = options == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(options));
        extras = extras == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(extras));
    }

    public String option(String name) {
        return options.get(name);
    }
}
