package dev.sluice.engine.plan;

import dev.sluice.engine.graph.Node;
import dev.sluice.engine.graph.ShuffledNode;
import dev.sluice.engine.output.OutputOperation;

import java.util.List;

/**
 * A set of nodes that run fused in one task per partition: everything reachable from
 * {@link #finalNode} without crossing a shuffle. A shuffle-map stage ends by writing the
 * map side of {@link #writes}; a result stage ends in {@link #output}.
 *
 * @param id          the stage's number; parents have smaller numbers
 * @param finalNode   the node whose partitions the stage's tasks compute
 * @param writes      the shuffle this stage feeds, or {@code null} for a result stage
 * @param output      the output operation this stage runs, or {@code null} for a shuffle-map stage
 * @param parents     the stages whose shuffle output this stage reads
 * @param sources     the ids of the source nodes this stage reads
 */
public record Stage(int id, Node finalNode, ShuffledNode writes, OutputOperation output,
                    List<Integer> parents, List<Integer> sources) {

    public Stage {
        parents = List.copyOf(parents);
        sources = List.copyOf(sources);
    }

    /** Whether this stage writes shuffle output rather than running an output operation. */
    public boolean isShuffleMap() {
        return writes != null;
    }

    @Override
    public String toString() {
        return "stage " + id + (isShuffleMap() ? " (map side of shuffle " + writes.id() + ")" : " (" + output.describe() + ")")
                + " over " + finalNode;
    }
}
