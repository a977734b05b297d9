package dev.sluice.coordinator.scaling;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A {@link PoolScaler} test double: keeps replicas in a map and records every change. */
final class RecordingPoolScaler implements PoolScaler {

    /** One call to {@link #scale}. */
    record Change(String pool, int replicas) {
    }

    final Map<String, Integer> replicas = new HashMap<>();
    final List<Change> changes = new ArrayList<>();
    int reads;
    /** When set, every call throws it. */
    ScalingException failure;

    RecordingPoolScaler with(String pool, int n) {
        replicas.put(pool, n);
        return this;
    }

    @Override
    public int replicas(WorkerPool pool) {
        reads++;
        if (failure != null) {
            throw failure;
        }
        return replicas.get(pool.name());
    }

    @Override
    public int scale(WorkerPool pool, int n) {
        if (failure != null) {
            throw failure;
        }
        changes.add(new Change(pool.name(), n));
        replicas.put(pool.name(), n);
        return n;
    }
}
