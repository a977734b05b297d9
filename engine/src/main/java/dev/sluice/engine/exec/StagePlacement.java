package dev.sluice.engine.exec;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which worker runs each partition of a stage while a placement holds (Drizzle's group
 * scheduling decides it once for a group of batches): partition p runs on
 * {@code workers[p mod size]}. The coordinator and each worker compute a worker's share the
 * same way, so a batch's stage is started with one message per worker, naming no task.
 *
 * @param workers worker ids in placement order; a worker may appear more than once
 */
public record StagePlacement(List<String> workers) {

    public StagePlacement {
        if (workers.isEmpty()) {
            throw new IllegalArgumentException("a placement needs at least one worker");
        }
        workers = List.copyOf(workers);
    }

    /**
     * A placement that gives each worker a share of the partitions in proportion to its
     * weight (its slots), interleaved so that even a stage of few partitions spreads out.
     *
     * @param weights worker id to weight, each at least 1, in a stable order
     */
    public static StagePlacement weighted(Map<String, Integer> weights) {
        // Smooth weighted round-robin: each round every worker earns its weight, and the one
        // with the most credit takes the place and pays the total.
        // Weights are divided by their greatest common divisor first: the shortest such list.
        int gcd = 0;
        for (Map.Entry<String, Integer> e : weights.entrySet()) {
            if (e.getValue() < 1) {
                throw new IllegalArgumentException("worker " + e.getKey() + " has weight " + e.getValue() + ", less than 1");
            }
            gcd = BigInteger.valueOf(gcd).gcd(BigInteger.valueOf(e.getValue())).intValue();
        }
        Map<String, Integer> credit = new LinkedHashMap<>();
        int total = 0;
        for (Map.Entry<String, Integer> e : weights.entrySet()) {
            credit.put(e.getKey(), 0);
            total += e.getValue() / gcd;
        }
        List<String> order = new ArrayList<>(total);
        for (int i = 0; i < total; i++) {
            String best = null;
            for (Map.Entry<String, Integer> e : weights.entrySet()) {
                int c = credit.merge(e.getKey(), e.getValue() / gcd, Integer::sum);
                if (best == null || c > credit.get(best)) {
                    best = e.getKey();
                }
            }
            credit.merge(best, -total, Integer::sum);
            order.add(best);
        }
        return new StagePlacement(order);
    }

    /** The worker that runs {@code partition}. */
    public String workerOf(int partition) {
        return workers.get(partition % workers.size());
    }

    /** The partitions below {@code partitions} that {@code worker} runs, in order. */
    public List<Integer> partitionsOf(String worker, int partitions) {
        List<Integer> own = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            if (workerOf(p).equals(worker)) {
                own.add(p);
            }
        }
        return own;
    }
}
