package dev.sluice.engine.plan;

import dev.sluice.engine.graph.Node;
import dev.sluice.engine.output.OutputOperation;
import dev.sluice.engine.shuffle.ShuffleDependency;

import java.util.List;

/**
 * A set of nodes that run fused in one task per partition: everything reachable from
 * {@link #finalNode} through narrow dependencies. A shuffle-map stage ends by writing the
 * map side of {@link #writes}; a persist stage keeps its final node's partitions on the
 * workers; a result stage ends in {@link #output}.
 *
 * @param id        the stage's number; parents have smaller numbers
 * @param kind      what the stage's tasks do with the final node's partitions
 * @param finalNode the node whose partitions the stage's tasks compute
 * @param writes    the shuffle a shuffle-map stage feeds, else {@code null}
 * @param output    the output operation a result stage runs, else {@code null}
 * @param parents   the stages whose shuffle output or kept partitions this stage reads in the same batch
 * @param sources   the ids of the source nodes whose splits this stage reads
 */
public record Stage(int id, Kind kind, Node finalNode, ShuffleDependency writes, OutputOperation output,
                    List<Integer> parents, List<Integer> sources) {

    /** What a stage's tasks do with their partitions. */
    public enum Kind { SHUFFLE_MAP, PERSIST, RESULT }

    public Stage {
        parents = List.copyOf(parents);
        sources = List.copyOf(sources);
    }

    /** Whether this stage writes the map side of a shuffle. */
    public boolean isShuffleMap() {
        return kind == Kind.SHUFFLE_MAP;
    }

    @Override
    public String toString() {
        return "stage " + id + " (" + switch (kind) {
            case SHUFFLE_MAP -> "map side of shuffle " + writes.id();
            case PERSIST -> "keep node " + finalNode.id();
            case RESULT -> output.describe();
        } + ") over " + finalNode;
    }
}
