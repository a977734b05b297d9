package dev.sluice.engine.exec;

import dev.sluice.engine.graph.BatchLayout;
import dev.sluice.engine.graph.InputSplit;

import java.util.Iterator;

/**
 * What a running task can read: the batch's layout, receiver blocks and shuffle data.
 * In-process runs read from memory; workers fetch over gRPC.
 */
public interface TaskContext {

    /** The inputs of the batch the task belongs to. */
    BatchLayout layout();

    /** The records of a receiver block. */
    Iterator<Object> readBlock(InputSplit.Block block);

    /**
     * The records every map partition of {@code shuffle} wrote for {@code reducePartition},
     * map partitions in order.
     */
    Iterator<Object> readShuffle(int shuffle, int reducePartition);
}
