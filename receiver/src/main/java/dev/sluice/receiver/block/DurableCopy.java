package dev.sluice.receiver.block;

import dev.sluice.receiver.StreamCounters;

import java.io.IOException;

/**
 * How a stream keeps a copy of each block that outlives this receiver process, made before
 * the block is acknowledged: in the write-ahead log on disk, or as a replica in a peer
 * receiver's memory.
 */
public interface DurableCopy {

    /**
     * Makes the copy of {@code block}; when this returns, the block survives the loss of this
     * process.
     *
     * @throws IOException if no copy can be made now; none of the block's records may be
     *                     acknowledged then
     */
    void make(Block block) throws IOException;

    /**
     * Whether the copy alone lets the block be acknowledged before the coordinator knows of it.
     * A logged block does: the restarted receiver replays its log and reports it. A replica does
     * not: the coordinator moves a lost receiver's blocks to their replicas only for blocks it
     * knows, so a replicated block is acknowledged once it is reported as well.
     */
    boolean survivesUnreported();

    /** Drops the copy of {@code block}, which the coordinator says is processed already. */
    void drop(Block block);

    /** Counts, in the stream's {@code counters}, an attempt to make a copy that failed. */
    void countFailure(StreamCounters counters);

    /** Where the copies go, for messages: "the write-ahead log in /var/wal", "a peer receiver". */
    String describe();
}
