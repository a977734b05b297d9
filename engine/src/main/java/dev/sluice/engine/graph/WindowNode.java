package dev.sluice.engine.graph;

import dev.sluice.engine.exec.TaskContext;
import dev.sluice.engine.shuffle.HashPartitioner;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * A sliding window: every slide, the batches of its parent in (t − length, t]. The
 * parent is persisted, so each of its batches is computed once and read by every window
 * that covers it. Batches before the first are empty. When the parent is partitioned by
 * key, partition p of the window is partition p of each covered batch, so the
 * partitioning holds (Spark's PartitionerAwareUnionRDD); otherwise the batches'
 * partitions follow one another, oldest first.
 */
public final class WindowNode extends Node {

    private final long lengthMs;
    private final long slideMs;

    public WindowNode(int id, Node parent, long lengthMs, long slideMs) {
        super(id, List.of(parent));
        this.lengthMs = lengthMs;
        this.slideMs = slideMs;
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
        return List.of(parent());
    }

    @Override
    public long lookbackMs(Node persisted) {
        return lengthMs;
    }

    /** The parent's batch times this window covers at {@code timeMs}, oldest first. */
    static List<Long> covered(Node parent, long fromExclusiveMs, long toMs, long zeroTimeMs) {
        List<Long> times = new ArrayList<>();
        long step = parent.slideMs();
        for (long b = fromExclusiveMs + step; b <= toMs; b += step) {
            if (parent.firesAt(b, zeroTimeMs)) {
                times.add(b);
            }
        }
        return times;
    }

    private List<Long> covered(long timeMs, BatchLayout layout) {
        return covered(parent(), timeMs - lengthMs, timeMs, layout.zeroTimeMs());
    }

    @Override
    public int numPartitions(BatchLayout layout, long timeMs) {
        HashPartitioner p = partitioner();
        if (p != null) {
            return p.numPartitions();
        }
        int n = 0;
        for (long b : covered(timeMs, layout)) {
            n += layout.cachedOf(parent().id(), b).size();
        }
        return n;
    }

    @Override
    public Iterator<Object> compute(int partition, long timeMs, TaskContext ctx) {
        List<Long> times = covered(timeMs, ctx.layout());
        if (partitioner() != null) {
            List<Iterator<Object>> parts = new ArrayList<>(times.size());
            for (long b : times) {
                parts.add(ctx.readCached(parent().id(), b, partition));
            }
            return Iterators.concat(parts);
        }
        int rest = partition;
        for (long b : times) {
            int n = ctx.layout().cachedOf(parent().id(), b).size();
            if (rest < n) {
                return ctx.readCached(parent().id(), b, rest);
            }
            rest -= n;
        }
        return Collections.emptyIterator();
    }

    @Override
    public String describe() {
        return "window(length=" + lengthMs + ",slide=" + slideMs + ")";
    }
}
