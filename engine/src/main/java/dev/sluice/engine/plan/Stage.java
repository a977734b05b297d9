package dev.sluice.engine.plan;

import dev.sluice.engine.graph.BatchLayout;
import dev.sluice.engine.graph.Node;
import dev.sluice.engine.output.OutputOperation;
import dev.sluice.engine.shuffle.ShuffleDependency;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

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
 * @param nodes     the nodes its tasks compute, final node first
 */
public record Stage(int id, Kind kind, Node finalNode, ShuffleDependency writes, OutputOperation output,
                    List<Integer> parents, List<Integer> sources, List<Node> nodes) {

    /** What a stage's tasks do with their partitions. */
    public enum Kind { SHUFFLE_MAP, PERSIST, RESULT }

    public Stage {
        parents = List.copyOf(parents);
        sources = List.copyOf(sources);
        nodes = List.copyOf(nodes);
    }

    /**
     * The kept batches this stage's tasks read at {@code timeMs}: the persisted nodes it
     * starts from at that time, and the earlier batches its windows and state read. Its own
     * output is not among them.
     */
    public Set<BatchLayout.CachedBatch> keptReads(long timeMs, long zeroTimeMs) {
        Set<BatchLayout.CachedBatch> reads = new LinkedHashSet<>();
        if (finalNode.persisted() && kind != Kind.PERSIST) {
            reads.add(new BatchLayout.CachedBatch(finalNode.id(), timeMs));
        }
        for (Node n : nodes) {
            for (Node parent : n.narrowParents()) {
                if (parent.persisted() && !nodes.contains(parent)) {
                    reads.add(new BatchLayout.CachedBatch(parent.id(), timeMs));
                }
            }
            for (Node read : n.cacheReads()) {
                for (long b : n.cacheReadTimes(read, timeMs, zeroTimeMs)) {
                    reads.add(new BatchLayout.CachedBatch(read.id(), b));
                }
            }
        }
        if (kind == Kind.PERSIST) {
            reads.remove(new BatchLayout.CachedBatch(finalNode.id(), timeMs));
        }
        return reads;
    }

    /**
     * What this stage's tasks do: read source input, read a shuffle, keep or read kept
     * partitions. A stage that does none of these (a constant stream) counts as a map stage.
     */
    public Set<StageRole> roles() {
        Set<StageRole> roles = java.util.EnumSet.noneOf(StageRole.class);
        if (!sources.isEmpty()) {
            roles.add(StageRole.MAP);
        }
        if (kind == Kind.PERSIST || finalNode.persisted()) {
            roles.add(StageRole.STATE);
        }
        for (Node n : nodes) {
            if (!n.shuffleDependencies().isEmpty()) {
                roles.add(StageRole.REDUCE);
            }
            if (!n.cacheReads().isEmpty()) {
                roles.add(StageRole.STATE);
            }
            for (Node parent : n.narrowParents()) {
                if (parent.persisted() && !nodes.contains(parent)) {
                    roles.add(StageRole.STATE);
                }
            }
        }
        if (roles.isEmpty()) {
            roles.add(StageRole.MAP);
        }
        return roles;
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
