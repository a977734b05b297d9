package dev.sluice.coordinator.job;

import dev.sluice.engine.graph.InputSplit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The blocks receivers reported for one job, per source, until a batch takes them: as in
 * Spark, a batch at time t gets every block reported before it was cut.
 */
public final class ReceivedBlockTracker {

    private final Map<Integer, List<InputSplit.Block>> unallocated = new HashMap<>();

    /** Records a block of source {@code node}. */
    public synchronized void add(int node, InputSplit.Block block) {
        unallocated.computeIfAbsent(node, n -> new ArrayList<>()).add(block);
    }

    /** Takes every block of source {@code node} reported so far, in report order. */
    public synchronized List<InputSplit> allocate(int node) {
        List<InputSplit.Block> blocks = unallocated.remove(node);
        return blocks == null ? List.of() : List.copyOf(blocks);
    }
}
