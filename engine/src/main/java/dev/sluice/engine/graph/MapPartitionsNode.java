package dev.sluice.engine.graph;

import dev.sluice.engine.exec.TaskContext;

import java.util.Iterator;
import java.util.List;
import java.util.function.Function;

/**
 * A narrow operator: transforms each partition of its parent as an iterator. map,
 * flatMap, filter, mapToPair and friends are all this node with a different function;
 * chained nodes run fused, pulling records through one pass per partition.
 */
public final class MapPartitionsNode extends Node {

    private final String operator;
    private final Function<Iterator<Object>, Iterator<Object>> f;

    public MapPartitionsNode(int id, Node parent, String operator, Function<Iterator<Object>, Iterator<Object>> f) {
        super(id, List.of(parent));
        this.operator = operator;
        this.f = f;
    }

    @Override
    public int numPartitions(BatchLayout layout) {
        return parents().get(0).numPartitions(layout);
    }

    @Override
    public Iterator<Object> compute(int partition, TaskContext ctx) {
        return f.apply(parents().get(0).compute(partition, ctx));
    }

    @Override
    public String describe() {
        return operator;
    }
}
