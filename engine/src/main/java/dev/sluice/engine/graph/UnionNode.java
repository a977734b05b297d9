package dev.sluice.engine.graph;

import dev.sluice.engine.exec.TaskContext;
import dev.sluice.engine.shuffle.HashPartitioner;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * The batches of all parents together: a narrow dependency, no data moves. When every
 * parent is partitioned the same way, partition p is partition p of each parent in turn
 * (so the partitioning holds, as Spark's PartitionerAwareUnionRDD); otherwise the
 * parents' partitions follow one another.
 */
public final class UnionNode extends Node {

    private final String operator;

    public UnionNode(int id, String operator, List<Node> parents) {
        super(id, parents);
        this.operator = operator;
        DefinitionRules.requireSameSlide(operator, parents);
    }

    @Override
    public HashPartitioner partitioner() {
        HashPartitioner first = parents().get(0).partitioner();
        for (Node p : parents()) {
            if (first == null || !Objects.equals(first, p.partitioner())) {
                return null;
            }
        }
        return first;
    }

    @Override
    public int numPartitions(BatchLayout layout, long timeMs) {
        HashPartitioner shared = partitioner();
        if (shared != null) {
            return shared.numPartitions();
        }
        int n = 0;
        for (Node p : parents()) {
            n += layout.partitions(p, timeMs);
        }
        return n;
    }

    @Override
    public Iterator<Object> compute(int partition, long timeMs, TaskContext ctx) {
        if (partitioner() != null) {
            List<Iterator<Object>> parts = new ArrayList<>();
            for (Node p : parents()) {
                parts.add(ctx.iterator(p, timeMs, partition));
            }
            return Iterators.concat(parts);
        }
        int rest = partition;
        for (Node p : parents()) {
            int n = ctx.numPartitions(p, timeMs);
            if (rest < n) {
                return ctx.iterator(p, timeMs, rest);
            }
            rest -= n;
        }
        return Collections.emptyIterator();
    }

    @Override
    public String describe() {
        return operator;
    }
}
