package dev.sluice.engine.exec;

import dev.sluice.engine.graph.BatchLayout;
import dev.sluice.engine.graph.InputSplit;
import dev.sluice.engine.graph.Node;

import java.util.Iterator;

/**
 * What a running task can read: the batch's layout, receiver blocks, shuffle data and
 * the kept partitions of persisted nodes. In-process runs read from memory; workers
 * fetch over gRPC.
 */
public interface TaskContext {

    /** Where the inputs of the task's batch live. */
    BatchLayout layout();

    /** The records of a receiver block. */
    Iterator<Object> readBlock(InputSplit.Block block);

    /**
     * The records every map partition of {@code shuffle} wrote for {@code reducePartition},
     * map partitions in order.
     */
    Iterator<Object> readShuffle(int shuffle, int reducePartition);

    /** The kept records of partition {@code partition} of persisted node {@code node}'s batch at {@code timeMs}. */
    Iterator<Object> readCached(int node, long timeMs, int partition);

    /**
     * Partition {@code partition} of {@code node}'s batch at {@code timeMs}: read from where it
     * is kept when it is, computed here otherwise (Spark's {@code RDD.iterator}).
     */
    default Iterator<Object> iterator(Node node, long timeMs, int partition) {
        if (node.persisted() && layout().isCached(node.id(), timeMs)) {
            return readCached(node.id(), timeMs, partition);
        }
        return node.compute(partition, timeMs, this);
    }

    /** The number of partitions of {@code node}'s batch at {@code timeMs}. */
    default int numPartitions(Node node, long timeMs) {
        return layout().partitions(node, timeMs);
    }
}
