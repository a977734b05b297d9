package dev.sluice.engine.exec;

import dev.sluice.engine.graph.InputSplit;

import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The source splits of recent batches, by batch time: what recomputing a lost kept
 * partition of an earlier batch reads. Kept for the plan's input retention.
 */
final class InputHistory {

    private final NavigableMap<Long, Map<Integer, List<InputSplit>>> splits = new TreeMap<>();

    synchronized void record(long batchTimeMs, Map<Integer, List<InputSplit>> batchSplits) {
        splits.put(batchTimeMs, Map.copyOf(batchSplits));
    }

    /** The splits of the batch at {@code batchTimeMs}, or {@code null} when they are no longer kept. */
    synchronized Map<Integer, List<InputSplit>> at(long batchTimeMs) {
        return splits.get(batchTimeMs);
    }

    synchronized void forgetBefore(long batchTimeMs) {
        splits.headMap(batchTimeMs, false).clear();
    }
}
