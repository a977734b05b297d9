package dev.sluice.engine.graph;

import dev.sluice.api.Pair;
import dev.sluice.engine.exec.TaskContext;
import dev.sluice.engine.shuffle.Aggregator;
import dev.sluice.engine.shuffle.HashPartitioner;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reduce side of a shuffle of key-value pairs (reduceByKey, groupByKey, combineByKey,
 * countByValue): its parent's partitions are hashed by key into {@code numPartitions}
 * buckets, and partition p merges bucket p of every map output. The shuffle is
 * identified by this node's id. Planning cuts a stage boundary here.
 */
public final class ShuffledNode extends Node {

    private final String operator;
    private final Aggregator aggregator;
    private final HashPartitioner partitioner;

    public ShuffledNode(int id, Node parent, String operator, Aggregator aggregator, int numPartitions) {
        super(id, List.of(parent));
        this.operator = operator;
        this.aggregator = aggregator;
        this.partitioner = new HashPartitioner(numPartitions);
    }

    public Aggregator aggregator() {
        return aggregator;
    }

    public HashPartitioner partitioner() {
        return partitioner;
    }

    @Override
    public int numPartitions(BatchLayout layout) {
        return partitioner.numPartitions();
    }

    @Override
    public Iterator<Object> compute(int partition, TaskContext ctx) {
        // First-seen order over map partitions in order: deterministic for every attempt.
        Map<Object, Object> combined = new LinkedHashMap<>();
        Iterator<Object> in = ctx.readShuffle(id(), partition);
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
        Iterator<Map.Entry<Object, Object>> entries = combined.entrySet().iterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return entries.hasNext();
            }

            @Override
            public Object next() {
                Map.Entry<Object, Object> e = entries.next();
                return Pair.of(e.getKey(), e.getValue());
            }
        };
    }

    @Override
    public String describe() {
        return operator + "(partitions=" + partitioner.numPartitions() + ",mapSideCombine=" + aggregator.mapSideCombine() + ")";
    }
}
