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
 * partition whose location was found lost has no location until it is restored. A
 * partition on a worker that is leaving (draining) has no location either, but remembers
 * where it can still be copied from until it is.
 */
final class KeptBatches {

    private final Map<CachedBatch, String[]> locations = new HashMap<>();
    private final Map<CachedBatch, String[]> leavingFrom = new HashMap<>();

    /** Records that {@code partitions} of {@code batch}, which has {@code total} partitions, live at {@code at}. */
    synchronized void place(CachedBatch batch, int total, List<Integer> partitions, List<String> at) {
        String[] all = locations.computeIfAbsent(batch, b -> new String[total]);
        String[] from = leavingFrom.get(batch);
        for (int i = 0; i < partitions.size(); i++) {
            all[partitions.get(i)] = at.get(i);
            if (from != null) {
                from[partitions.get(i)] = null;
            }
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

    /**
     * The worker at {@code address} is leaving: its partitions count as missing, to be copied
     * from it while it still serves them. Returns how many partitions that concerns.
     */
    synchronized int leave(String address) {
        int n = 0;
        for (Map.Entry<CachedBatch, String[]> e : locations.entrySet()) {
            String[] all = e.getValue();
            for (int p = 0; p < all.length; p++) {
                if (address.equals(all[p])) {
                    leavingFrom.computeIfAbsent(e.getKey(), b -> new String[all.length])[p] = address;
                    all[p] = null;
                    n++;
                }
            }
        }
        return n;
    }

    /** The kept batches that still have partitions to copy off a leaving worker. */
    synchronized List<CachedBatch> toEvacuate() {
        List<CachedBatch> batches = new ArrayList<>();
        leavingFrom.forEach((batch, from) -> {
            if (Arrays.stream(from).anyMatch(a -> a != null)) {
                batches.add(batch);
            }
        });
        batches.sort(java.util.Comparator.comparingLong(CachedBatch::timeMs));
        return batches;
    }

    /** Whether any kept partition lives at {@code address} or still has to be copied off it. */
    synchronized boolean holds(String address) {
        for (Map<CachedBatch, String[]> map : List.of(locations, leavingFrom)) {
            for (String[] all : map.values()) {
                if (Arrays.asList(all).contains(address)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Every partition of {@code batch} at its location, or at the leaving worker it can be
     * copied from; {@code null} when some partition has neither.
     */
    synchronized List<String> withCopySources(CachedBatch batch) {
        String[] all = locations.get(batch);
        String[] from = leavingFrom.get(batch);
        if (all == null) {
            return null;
        }
        List<String> merged = new ArrayList<>(all.length);
        for (int p = 0; p < all.length; p++) {
            String at = all[p] != null ? all[p] : from == null ? null : from[p];
            if (at == null) {
                return null;
            }
            merged.add(at);
        }
        return merged;
    }

    /** Forgets every location in {@code lost}; returns how many partitions that took away. */
    synchronized int lose(Set<String> lost) {
        for (String[] from : leavingFrom.values()) {
            for (int p = 0; p < from.length; p++) {
                if (from[p] != null && lost.contains(from[p])) {
                    from[p] = null;
                }
            }
        }
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
        leavingFrom.keySet().removeIf(expired);
    }
}
