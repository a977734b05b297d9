package dev.sluice.engine.graph;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where everything a batch's tasks read lives: the splits of every source, the map
 * outputs of every shuffle of this batch, and the kept partitions of persisted nodes
 * (of this batch and earlier ones). With the graph it determines the batch's output.
 *
 * @param batchTimeMs the batch's time
 * @param zeroTimeMs  the job's zero time: batch times are zero + k × batch interval, k ≥ 1
 * @param splits      for each source node id, its input splits in partition order
 * @param mapOutputs  for each shuffle id, the location of each map partition's output
 * @param cached      for each persisted node and batch time, the location of each kept partition
 */
public record BatchLayout(long batchTimeMs, long zeroTimeMs, Map<Integer, List<InputSplit>> splits,
                          Map<Integer, List<String>> mapOutputs, Map<CachedBatch, List<String>> cached) {

    /** Names one persisted node's batch. */
    public record CachedBatch(int node, long timeMs) {
    }

    public BatchLayout {
        splits = Map.copyOf(splits);
        mapOutputs = Map.copyOf(mapOutputs);
        cached = Map.copyOf(cached);
    }

    /** A layout with only the sources' splits. */
    public static BatchLayout of(long batchTimeMs, long zeroTimeMs, Map<Integer, List<InputSplit>> splits) {
        return new BatchLayout(batchTimeMs, zeroTimeMs, splits, Map.of(), Map.of());
    }

    /** The splits of source {@code node}; none when the source had no input in this batch. */
    public List<InputSplit> splitsOf(int node) {
        return splits.getOrDefault(node, List.of());
    }

    /** The map output locations of {@code shuffle}. */
    public List<String> mapOutputsOf(int shuffle) {
        List<String> locations = mapOutputs.get(shuffle);
        if (locations == null) {
            throw new IllegalStateException("batch " + batchTimeMs + " has no map outputs for shuffle " + shuffle);
        }
        return locations;
    }

    /** Whether the batch at {@code timeMs} of persisted node {@code node} is kept somewhere. */
    public boolean isCached(int node, long timeMs) {
        return cached.containsKey(new CachedBatch(node, timeMs));
    }

    /**
     * The locations of the kept partitions of {@code node}'s batch at {@code timeMs}.
     *
     * @throws IllegalStateException when that batch is not kept
     */
    public List<String> cachedOf(int node, long timeMs) {
        List<String> locations = cached.get(new CachedBatch(node, timeMs));
        if (locations == null) {
            throw new IllegalStateException("the batch at " + timeMs + " of node " + node + " is not kept anywhere");
        }
        return locations;
    }

    /** The number of partitions of {@code node}'s batch at {@code timeMs}: as kept, or as it would compute. */
    public int partitions(Node node, long timeMs) {
        if (node.persisted()) {
            List<String> kept = cached.get(new CachedBatch(node.id(), timeMs));
            if (kept != null) {
                return kept.size();
            }
        }
        return node.numPartitions(this, timeMs);
    }

    /** This layout with other source splits. */
    public BatchLayout withSplits(Map<Integer, List<InputSplit>> newSplits) {
        return new BatchLayout(batchTimeMs, zeroTimeMs, newSplits, mapOutputs, cached);
    }

    /** This layout with {@code shuffle}'s map outputs at {@code locations}. */
    public BatchLayout withMapOutputs(int shuffle, List<String> locations) {
        Map<Integer, List<String>> m = new HashMap<>(mapOutputs);
        m.put(shuffle, locations);
        return new BatchLayout(batchTimeMs, zeroTimeMs, splits, m, cached);
    }

    /** This layout with {@code kept} as the kept partitions of every persisted node. */
    public BatchLayout withCached(Map<CachedBatch, List<String>> kept) {
        return new BatchLayout(batchTimeMs, zeroTimeMs, splits, mapOutputs, kept);
    }
}
