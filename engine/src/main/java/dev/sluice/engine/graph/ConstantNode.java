package dev.sluice.engine.graph;

import dev.sluice.engine.exec.TaskContext;

import java.util.Iterator;
import java.util.List;

/** The same records in every batch, in one partition. Used to give whole-batch aggregates a zero. */
public final class ConstantNode extends Node {

    private final long slideMs;
    private final List<Object> records;

    public ConstantNode(int id, long slideMs, List<Object> records) {
        super(id, List.of());
        this.slideMs = slideMs;
        this.records = List.copyOf(records);
    }

    @Override
    public long slideMs() {
        return slideMs;
    }

    @Override
    public int numPartitions(BatchLayout layout, long timeMs) {
        return 1;
    }

    @Override
    public Iterator<Object> compute(int partition, long timeMs, TaskContext ctx) {
        return records.iterator();
    }

    @Override
    public String describe() {
        return "constant" + records;
    }
}
