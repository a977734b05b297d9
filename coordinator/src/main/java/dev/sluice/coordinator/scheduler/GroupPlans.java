package dev.sluice.coordinator.scheduler;

import dev.sluice.coordinator.cluster.Worker;
import dev.sluice.engine.exec.StagePlacement;
import dev.sluice.engine.plan.StageRole;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The placements of each job's stages for its current group of batches (Drizzle's group
 * scheduling): decided at a stage's first batch in the group, from the live workers that run
 * it and their slots, and kept for the next batches of the group, so that a batch's stage is
 * started with one message per worker instead of one per task. A new group, or a change of
 * the workers (one joins, is lost or drains), decides again: load is rebalanced at group
 * boundaries, and a worker that joins gets work from the next batch on. Guarded by the
 * scheduler's lock.
 */
final class GroupPlans {

    /** A placement under its id, and the workers it names by id. */
    record Plan(long id, StagePlacement placement, Map<String, Worker> workers) {
        Worker workerOf(int partition) {
            return workers.get(placement.workerOf(partition));
        }
    }

    private record StageKey(String job, int stage) {
    }

    /** Where a job's current group started, and how many batches it has had. */
    private static final class Group {
        long lastBatchMs = Long.MIN_VALUE;
        int batches;
    }

    private static final AtomicLong NEXT_ID = new AtomicLong();

    private final int groupSize;
    private final Map<String, Group> groups = new HashMap<>();
    private final Map<StageKey, Plan> plans = new HashMap<>();

    /** @param groupSize how many consecutive batches of a job share placements; 1 or less: none do */
    GroupPlans(int groupSize) {
        this.groupSize = groupSize;
    }

    boolean enabled() {
        return groupSize > 1;
    }

    /**
     * The placement of {@code job}'s {@code stage} for the batch at {@code batchTimeMs}, on
     * the live workers that run stages with {@code roles}; null when none does.
     */
    Plan planFor(String job, long batchTimeMs, int stage, Set<StageRole> roles, List<Worker> alive) {
        Group group = groups.computeIfAbsent(job, j -> new Group());
        if (batchTimeMs > group.lastBatchMs) {
            group.lastBatchMs = batchTimeMs;
            if (++group.batches > groupSize) {
                group.batches = 1;
                plans.keySet().removeIf(k -> k.job().equals(job));
            }
        }
        StageKey key = new StageKey(job, stage);
        Plan plan = plans.get(key);
        if (plan != null && plan.workers().values().stream().allMatch(w -> w.alive() && !w.draining())) {
            return plan;
        }
        Map<String, Integer> weights = new LinkedHashMap<>();
        Map<String, Worker> byId = new HashMap<>();
        for (Worker w : alive) {
            if (w.alive() && !w.draining() && w.runs(roles)) {
                weights.put(w.id(), w.slots());
                byId.put(w.id(), w);
            }
        }
        if (weights.isEmpty()) {
            plans.remove(key);
            return null;
        }
        plan = new Plan(NEXT_ID.incrementAndGet(), StagePlacement.weighted(weights), byId);
        plans.put(key, plan);
        return plan;
    }

    /** Forgets every placement: the workers changed (one joined, was lost or drains), so the next batch decides again. */
    void clear() {
        plans.clear();
    }
}
