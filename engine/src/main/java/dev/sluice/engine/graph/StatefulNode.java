package dev.sluice.engine.graph;

import dev.sluice.engine.exec.TaskContext;
import dev.sluice.engine.shuffle.HashPartitioner;
import dev.sluice.engine.shuffle.ShuffleDependency;

import java.util.Iterator;
import java.util.List;

/**
 * A node whose batch at t is a function of its own batch at t − slide and its parent's
 * pairs at t, shuffled by key into its partitions: state lives on the workers,
 * partitioned by key, and each batch reads the previous batch's partition p to write
 * partition p.
 */
abstract class StatefulNode extends Node {

    private final ShuffleDependency dependency;

    StatefulNode(int id, int shuffleId, String operator, Node parent, int numPartitions) {
        super(id, List.of(parent));
        this.dependency = new ShuffleDependency(shuffleId, operator, parent, null,
                new HashPartitioner(DefinitionRules.requirePartitions(operator, numPartitions)));
    }

    @Override
    public final HashPartitioner partitioner() {
        return dependency.partitioner();
    }

    @Override
    public final List<Node> narrowParents() {
        return List.of();
    }

    @Override
    public final List<ShuffleDependency> shuffleDependencies() {
        return List.of(dependency);
    }

    @Override
    public final List<Node> cacheReads() {
        return List.of(this);
    }

    @Override
    public final long lookbackMs(Node persisted) {
        return slideMs();
    }

    @Override
    public final int numPartitions(BatchLayout layout, long timeMs) {
        return partitioner().numPartitions();
    }

    /** The parent's new pairs for {@code partition} in this batch, in arrival order. */
    final Iterator<Object> newPairs(int partition, TaskContext ctx) {
        return ctx.readShuffle(dependency.id(), partition);
    }

    /** This node's own partition of the previous batch, or {@code null} in the first batch. */
    final Iterator<Object> previous(int partition, long timeMs, TaskContext ctx) {
        long previous = timeMs - slideMs();
        return previous > ctx.layout().zeroTimeMs() ? ctx.readCached(id(), previous, partition) : null;
    }

    final String operator() {
        return dependency.operator();
    }
}
