package dev.sluice.engine.output;

import dev.sluice.engine.graph.Node;

import java.util.Iterator;
import java.util.List;

/**
 * An output operation registered on a stream. Each batch it runs in two halves: one task
 * per partition of the stream (on the workers), then {@link #finish} once on the
 * coordinator with what the tasks returned. Both halves must be idempotent per
 * (batch time, operation) so a retried or speculative attempt changes nothing.
 */
public abstract class OutputOperation {

    private final int index;
    private final Node stream;

    protected OutputOperation(int index, Node stream) {
        this.index = index;
        this.stream = stream;
    }

    /** The operation's number, in definition order. */
    public final int index() {
        return index;
    }

    /** The stream whose batches this operation outputs. */
    public final Node stream() {
        return stream;
    }

    /** Consumes one partition on a worker and returns what {@link #finish} needs of it. */
    public abstract byte[] runTask(Iterator<Object> records, long batchTimeMs, int partition);

    /** Completes the batch on the coordinator, given each partition's task result in partition order. */
    public abstract void finish(long batchTimeMs, List<byte[]> partitionResults) throws Exception;

    /** What this operation is, for the graph fingerprint. */
    public abstract String describe();
}
