package dev.sluice.engine.exec;

import dev.sluice.engine.graph.BatchLayout.CachedBatch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Where the partitions of each kept batch of each persisted node live, across batches. A
 * partition whose location was found lost has no location until it is restored.
 */
final class KeptBatches {

    private final Map<CachedBatch, String[]> locations = new HashMap<>();

    /** Records that {@code partitions} of {@code batch}, which has {@code total} partitions, live at {@code at}. */
    synchronized void place(CachedBatch batch, int total, List<Integer> partitions, List<String> at) {
        String[] all = locations.computeIfAbsent(batch, b -> new String[total]);
        for (int i = 0; i < partitions.size(); i++) {
            all[partitions.get(i)] = at.get(i);
        }
    }

    /** The partitions of {@code batch} without a location; {@code null} when the batch is not known at all. */
    synchronized List<Integer> missing(CachedBatch batch) {
        String[] all = locations.get(batch);
        if (all == null) {
            return null;
        }
        List<Integer> missing = new ArrayList<>();
        for (int p = 0; p < all.length; p++) {
            if (all[p] == null) {
                missing.add(p);
            }
        }
        return missing;
    }

    /** The number of partitions of {@code batch}, or -1 when it is not known. */
    synchronized int size(CachedBatch batch) {
        String[] all = locations.get(batch);
        return all == null ? -1 : all.length;
    }

    /** Whether every partition of {@code batch} has a location. */
    synchronized boolean isWhole(CachedBatch batch) {
        String[] all = locations.get(batch);
        return all != null && Arrays.stream(all).allMatch(a -> a != null);
    }

    /** Forgets every location in {@code lost}; returns how many partitions that took away. */
    synchronized int lose(Set<String> lost) {
        int n = 0;
        for (String[] all : locations.values()) {
            for (int p = 0; p < all.length; p++) {
                if (all[p] != null && lost.contains(all[p])) {
                    all[p] = null;
                    n++;
                }
            }
        }
        return n;
    }

    /** The batches whose partitions all have a location, with those locations. */
    synchronized Map<CachedBatch, List<String>> whole() {
        Map<CachedBatch, List<String>> whole = new HashMap<>();
        locations.forEach((batch, all) -> {
            if (Arrays.stream(all).allMatch(a -> a != null)) {
                whole.put(batch, List.of(all));
            }
        });
        return whole;
    }

    /** Forgets the batches {@code expired} accepts. */
    synchronized void forget(Predicate<CachedBatch> expired) {
        locations.keySet().removeIf(expired);
    }
}
