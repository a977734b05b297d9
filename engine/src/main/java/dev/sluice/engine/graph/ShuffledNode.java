package dev.sluice.engine.graph;

import dev.sluice.api.Pair;
import dev.sluice.engine.exec.TaskContext;
import dev.sluice.engine.shuffle.Aggregator;
import dev.sluice.engine.shuffle.HashPartitioner;
import dev.sluice.engine.shuffle.ShuffleDependency;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reduce side of a shuffle of key-value pairs (reduceByKey, groupByKey, combineByKey,
 * countByValue, repartition): partition p merges bucket p of every map output of its
 * parent. Without an aggregator the pairs come out as they arrive. Planning cuts a
 * stage boundary here.
 */
public final class ShuffledNode extends Node {

    private final ShuffleDependency dependency;

    public ShuffledNode(int id, int shuffleId, Node parent, String operator, Aggregator aggregator, int numPartitions) {
        super(id, List.of(parent));
        this.dependency = new ShuffleDependency(shuffleId, operator, parent, aggregator,
                new HashPartitioner(DefinitionRules.requirePartitions(operator, numPartitions)));
    }

    @Override
    public HashPartitioner partitioner() {
        return dependency.partitioner();
    }

    @Override
    public List<Node> narrowParents() {
        return List.of();
    }

    @Override
    public List<ShuffleDependency> shuffleDependencies() {
        return List.of(dependency);
    }

    @Override
    public int numPartitions(BatchLayout layout, long timeMs) {
        return dependency.partitioner().numPartitions();
    }

    @Override
    public Iterator<Object> compute(int partition, long timeMs, TaskContext ctx) {
        Iterator<Object> in = ctx.readShuffle(dependency.id(), partition);
        Aggregator aggregator = dependency.aggregator();
        if (aggregator == null) {
            return in;
        }
        // First-seen order over map partitions in order: deterministic for every attempt.
        Map<Object, Object> combined = new LinkedHashMap<>();
        boolean combinersIn = aggregator.mapSideCombine();
        while (in.hasNext()) {
            Pair<?, ?> kv = (Pair<?, ?>) in.next();
            Object key = kv.first();
            Object value = kv.second();
            Object old = combined.get(key);
            if (old == null && !combined.containsKey(key)) {
                combined.put(key, combinersIn ? value : aggregator.create().apply(value));
            } else {
                combined.put(key, combinersIn
                        ? aggregator.mergeCombiners().apply(old, value)
                        : aggregator.mergeValue().apply(old, value));
            }
        }
        return Iterators.pairs(combined);
    }

    @Override
    public String describe() {
        Aggregator a = dependency.aggregator();
        return dependency.operator() + "(partitions=" + dependency.partitioner().numPartitions()
                + (a == null ? ",raw" : ",mapSideCombine=" + a.mapSideCombine()) + ")";
    }
}
