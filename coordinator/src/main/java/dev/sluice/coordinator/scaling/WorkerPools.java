package dev.sluice.coordinator.scaling;


import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The worker pools the coordinator may scale, by name, as configured under
 * {@code sluice.autoscale.pools.<pool>.*} (the Helm chart writes one entry per pool that
 * autoscales).
 */
public final class WorkerPools {

    /** The pool of a worker that does not say which pool it is in. */
    public static final String DEFAULT_POOL = dev.sluice.coordinator.cluster.Worker.DEFAULT_POOL;

    private final Map<String, WorkerPool> byName = new LinkedHashMap<>();

    /** @param pools the pools; names must be unique */
    public WorkerPools(Collection<WorkerPool> pools) {
        for (WorkerPool pool : pools) {
            if (byName.putIfAbsent(pool.name(), pool) != null) {
                throw new IllegalArgumentException("the worker pool '" + pool.name() + "' is configured twice");
            }
        }
    }

    /** No pool: nothing to scale. */
    public static WorkerPools none() {
        return new WorkerPools(List.of());
    }

    /** The pool named {@code name}, if configured. */
    public Optional<WorkerPool> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** Every configured pool, sorted by name. */
    public List<WorkerPool> all() {
        return byName.values().stream().sorted(Comparator.comparing(WorkerPool::name)).toList();
    }

    /** The names of the configured pools, sorted. */
    public List<String> names() {
        return all().stream().map(WorkerPool::name).toList();
    }
}
