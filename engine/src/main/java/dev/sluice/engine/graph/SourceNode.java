package dev.sluice.engine.graph;

import dev.sluice.engine.exec.TaskContext;

import java.util.Iterator;
import java.util.List;

/** An input stream: its partitions in a batch are the batch's splits of this source. */
public abstract class SourceNode extends Node {

    private final long batchIntervalMs;

    protected SourceNode(int id, long batchIntervalMs) {
        super(id, List.of());
        this.batchIntervalMs = batchIntervalMs;
    }

    @Override
    public long slideMs() {
        return batchIntervalMs;
    }

    @Override
    public int numPartitions(BatchLayout layout, long timeMs) {
        requireCurrent(layout, timeMs);
        return layout.splitsOf(id()).size();
    }

    @Override
    public Iterator<Object> compute(int partition, long timeMs, TaskContext ctx) {
        requireCurrent(ctx.layout(), timeMs);
        return read(ctx.layout().splitsOf(id()).get(partition), ctx);
    }

    // Input of earlier batches is read from kept partitions of the nodes that need it, never again from the source.
    private void requireCurrent(BatchLayout layout, long timeMs) {
        if (timeMs != layout.batchTimeMs()) {
            throw new IllegalStateException(describe() + ": the input of batch " + timeMs
                    + " is not available in batch " + layout.batchTimeMs());
        }
    }

    /** The records of one split. */
    protected abstract Iterator<Object> read(InputSplit split, TaskContext ctx);

    protected IllegalArgumentException wrongSplit(InputSplit split) {
        return new IllegalArgumentException(describe() + " cannot read split " + split);
    }
}
