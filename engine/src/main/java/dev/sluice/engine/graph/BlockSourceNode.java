package dev.sluice.engine.graph;

import dev.sluice.engine.exec.TaskContext;

import java.util.Iterator;

/** A source run by receivers: its splits are the blocks they cut and report. */
public abstract class BlockSourceNode extends SourceNode {

    protected BlockSourceNode(int id, long batchIntervalMs) {
        super(id, batchIntervalMs);
    }

    @Override
    protected final Iterator<Object> read(InputSplit split, TaskContext ctx) {
        if (split instanceof InputSplit.Block block) {
            return ctx.readBlock(block);
        }
        throw wrongSplit(split);
    }
}
