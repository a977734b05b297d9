package dev.sluice.engine.graph;

import dev.sluice.engine.exec.TaskContext;
import dev.sluice.engine.shuffle.HashPartitioner;

import java.util.Iterator;
import java.util.List;
import java.util.function.Function;

/**
 * A narrow operator: transforms each partition of its parent as an iterator. map,
 * flatMap, filter, mapToPair and friends are all this node with a different function;
 * chained nodes run fused, pulling records through one pass per partition.
 */
public final class MapPartitionsNode extends Node {

    /** A function of a partition's index and records. */
    @FunctionalInterface
    public interface PartitionFunction {
        Iterator<Object> apply(int partition, Iterator<Object> records);
    }

    private final String operator;
    private final PartitionFunction f;
    private final boolean preservesPartitioning;

    /**
     * @param preservesPartitioning whether {@code f} keeps every pair's key, so the parent's partitioner still holds
     */
    public MapPartitionsNode(int id, Node parent, String operator, PartitionFunction f, boolean preservesPartitioning) {
        super(id, List.of(parent));
        this.operator = operator;
        this.f = f;
        this.preservesPartitioning = preservesPartitioning;
    }

    /** A node applying {@code f} to every partition, whatever its index. */
    public MapPartitionsNode(int id, Node parent, String operator, Function<Iterator<Object>, Iterator<Object>> f,
                             boolean preservesPartitioning) {
        this(id, parent, operator, (partition, records) -> f.apply(records), preservesPartitioning);
    }

    @Override
    public HashPartitioner partitioner() {
        return preservesPartitioning ? parents().get(0).partitioner() : null;
    }

    @Override
    public int numPartitions(BatchLayout layout, long timeMs) {
        return layout.partitions(parents().get(0), timeMs);
    }

    @Override
    public Iterator<Object> compute(int partition, long timeMs, TaskContext ctx) {
        return f.apply(partition, ctx.iterator(parents().get(0), timeMs, partition));
    }

    @Override
    public String describe() {
        return operator;
    }
}
