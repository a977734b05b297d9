package dev.sluice.engine.source;

import dev.sluice.engine.graph.InputSplit;

import java.util.Iterator;
import java.util.List;

/**
 * A source read without a receiver (Spark's "direct" approach): the coordinator decides
 * each batch's input when it cuts the batch, as a list of splits such as offset ranges, and
 * the workers read exactly those splits. Because a batch's splits are fixed when it is cut,
 * a task that is retried, speculated or recomputed from lineage reads the same records.
 *
 * <p>One instance runs on the coordinator for each running job ({@link #splitsFor},
 * {@link #completed}); on workers, instances only {@link #read}. Implementations come from a
 * {@link DirectSourceProvider}; creating one must not connect anywhere, so that defining a
 * job never does.
 */
public interface DirectSource extends AutoCloseable {

    /**
     * On the coordinator: the splits of the batch at {@code batchTimeMs}, in partition order.
     * Called once per batch, in batch order. Each call continues where the previous one ended:
     * it must not hand out the same input twice.
     *
     * @param batchIntervalMs the job's batch interval, for rate limits
     * @throws RuntimeException with a message naming the source when the input cannot be
     *                          determined; the batch then gets no input from this source and the
     *                          next call tries again from the same place
     */
    List<InputSplit> splitsFor(long batchTimeMs, long batchIntervalMs);

    /**
     * On the coordinator: the outputs of the batch at {@code batchTimeMs}, and of all batches
     * before it, are done, so their input can be marked consumed (e.g. offsets committed).
     */
    void completed(long batchTimeMs);

    /**
     * On the coordinator, after a restart from a checkpoint: the batch at {@code batchTimeMs}
     * was cut before with {@code splits} and will run again. The next {@link #splitsFor}
     * continues after them. Batches are reported in batch order, before the first new cut.
     * By default nothing happens.
     */
    default void recovered(long batchTimeMs, List<InputSplit> splits) {
    }

    /** On a worker: the records of one split this source's {@link #splitsFor} made. */
    Iterator<Object> read(InputSplit split);

    /** Releases connections; the source is not used afterwards. */
    @Override
    void close();
}
