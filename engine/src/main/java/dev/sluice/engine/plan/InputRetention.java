package dev.sluice.engine.plan;

import dev.sluice.engine.graph.Node;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How long source input must outlive its batch. A kept partition that is lost is
 * recomputed from its lineage: the input of its own batch, and of every earlier batch its
 * windows and state read, back to the last state checkpoint. So input is kept for as long
 * as any kept batch may still be read, plus that lineage.
 */
final class InputRetention {

    private final List<Stage> stages;
    private final Map<Integer, Integer> persistStageByNode;
    private final Map<Integer, Long> lineage = new HashMap<>();

    InputRetention(List<Stage> stages, Map<Integer, Integer> persistStageByNode) {
        this.stages = stages;
        this.persistStageByNode = persistStageByNode;
    }

    /** The input retention, in ms, given how long each persisted node's batches are read. */
    long compute(Map<Integer, Long> retentionMs) {
        long longest = 0;
        for (Map.Entry<Integer, Integer> e : persistStageByNode.entrySet()) {
            long keptFor = retentionMs.getOrDefault(e.getKey(), 0L);
            longest = Math.max(longest, keptFor + lineage(stages.get(e.getValue())));
        }
        return longest;
    }

    /** How far before its batch time recomputing {@code stage} may need input. */
    private long lineage(Stage stage) {
        Long known = lineage.get(stage.id());
        if (known != null) {
            return known;
        }
        long back = 0;
        for (int parent : stage.parents()) {
            // Parent stages of the same batch: their lineage is this stage's lineage.
            back = Math.max(back, lineage(stages.get(parent)));
        }
        for (Node n : stage.nodes()) {
            for (Node read : n.cacheReads()) {
                if (read == stage.finalNode()) {
                    // State reads itself: recomputation goes back to the last whole checkpoint,
                    // which may be the one before the latest if the latest was cut short.
                    back = Math.max(back, 2 * read.checkpointIntervalMs() + read.slideMs());
                } else {
                    long reach = Math.max(n.lookbackMs(read), read.slideMs());
                    back = Math.max(back, reach + lineage(stages.get(persistStageByNode.get(read.id()))));
                }
            }
        }
        lineage.put(stage.id(), back);
        return back;
    }
}
