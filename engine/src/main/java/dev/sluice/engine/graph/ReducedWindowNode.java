package dev.sluice.engine.graph;

import dev.sluice.api.Pair;
import dev.sluice.engine.exec.TaskContext;
import dev.sluice.engine.shuffle.HashPartitioner;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BinaryOperator;
import java.util.function.Predicate;

/**
 * reduceByKeyAndWindow with an inverse function, kept incrementally as Spark's
 * ReducedWindowedDStream: the window at t is the window at t − slide, with the batches
 * leaving it taken out by the inverse function and the batches entering it added by the
 * reduce function, then filtered. The parent is the per-batch reduced stream,
 * partitioned like this node, so partition p only ever meets partition p.
 */
public final class ReducedWindowNode extends Node {

    private final BinaryOperator<Object> reduce;
    private final BinaryOperator<Object> inverse;
    private final long lengthMs;
    private final long slideMs;
    private final Predicate<Object> keep;

    public ReducedWindowNode(int id, Node reducedParent, BinaryOperator<Object> reduce, BinaryOperator<Object> inverse,
                             long lengthMs, long slideMs, Predicate<Object> keep) {
        super(id, List.of(reducedParent));
        if (reducedParent.partitioner() == null) {
            throw new IllegalArgumentException("reduceByKeyAndWindow: the parent must be partitioned by key");
        }
        this.reduce = reduce;
        this.inverse = inverse;
        this.lengthMs = lengthMs;
        this.slideMs = slideMs;
        this.keep = keep;
    }

    private Node parent() {
        return parents().get(0);
    }

    @Override
    public long slideMs() {
        return slideMs;
    }

    @Override
    public HashPartitioner partitioner() {
        return parent().partitioner();
    }

    @Override
    public List<Node> narrowParents() {
        return List.of();
    }

    @Override
    public List<Node> cacheReads() {
        return List.of(parent(), this);
    }

    @Override
    public long lookbackMs(Node persisted) {
        return persisted == this ? slideMs : lengthMs + slideMs;
    }

    @Override
    public int numPartitions(BatchLayout layout, long timeMs) {
        return partitioner().numPartitions();
    }

    /** A key's previous window value, and its values in the batches leaving and entering. */
    private static final class Values {
        Object previous;
        boolean hasPrevious;
        final List<Object> leaving = new ArrayList<>();
        final List<Object> entering = new ArrayList<>();
    }

    @Override
    public Iterator<Object> compute(int partition, long timeMs, TaskContext ctx) {
        long zero = ctx.layout().zeroTimeMs();
        Map<Object, Values> keys = new LinkedHashMap<>();
        long previousTime = timeMs - slideMs;
        if (previousTime > zero) {
            ctx.readCached(id(), previousTime, partition).forEachRemaining(r -> {
                Values v = keys.computeIfAbsent(((Pair<?, ?>) r).first(), k -> new Values());
                v.previous = ((Pair<?, ?>) r).second();
                v.hasPrevious = true;
            });
        }
        // Entering: (t − slide, t]; leaving: (t − slide − length, t − length].
        for (long b : WindowNode.covered(parent(), previousTime, timeMs, zero)) {
            collect(keys, ctx.readCached(parent().id(), b, partition), true);
        }
        for (long b : WindowNode.covered(parent(), previousTime - lengthMs, timeMs - lengthMs, zero)) {
            collect(keys, ctx.readCached(parent().id(), b, partition), false);
        }
        List<Object> out = new ArrayList<>(keys.size());
        keys.forEach((key, v) -> {
            Pair<Object, Object> kv = Pair.of(key, merge(key, v));
            if (keep.test(kv)) {
                out.add(kv);
            }
        });
        return out.iterator();
    }

    private static void collect(Map<Object, Values> keys, Iterator<Object> batch, boolean entering) {
        batch.forEachRemaining(r -> {
            Pair<?, ?> kv = (Pair<?, ?>) r;
            Values v = keys.computeIfAbsent(kv.first(), k -> new Values());
            (entering ? v.entering : v.leaving).add(kv.second());
        });
    }

    private Object merge(Object key, Values v) {
        if (!v.hasPrevious) {
            if (v.entering.isEmpty()) {
                throw new IllegalStateException("reduceByKeyAndWindow: key " + key + " leaves a window it was never in; "
                        + "does its class hash consistently?");
            }
            return fold(v.entering);
        }
        Object value = v.previous;
        if (!v.leaving.isEmpty()) {
            value = inverse.apply(value, fold(v.leaving));
        }
        if (!v.entering.isEmpty()) {
            value = reduce.apply(value, fold(v.entering));
        }
        return value;
    }

    private Object fold(List<Object> values) {
        Object acc = values.get(0);
        for (int i = 1; i < values.size(); i++) {
            acc = reduce.apply(acc, values.get(i));
        }
        return acc;
    }

    @Override
    public String describe() {
        return "reduceByKeyAndWindow(length=" + lengthMs + ",slide=" + slideMs + ",inverse)";
    }
}
