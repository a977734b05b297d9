package dev.sluice.receiver.block;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Hands out block ids of the form {@code <receiverId>-<node>-<runId>.<sequence>}. The run id
 * (the receiver's start time, base 36) keeps a restarted receiver with the same id from
 * reusing the ids of its previous run; the sequence is shared by all streams of the receiver
 * because node numbers are only unique within one job.
 */
public final class BlockIds {

    private final String receiverId;
    private final String runId;
    private final AtomicLong sequence = new AtomicLong();

    /** Ids for {@code receiverId} in the run identified by {@code runId}. */
    public BlockIds(String receiverId, String runId) {
        this.receiverId = receiverId;
        this.runId = runId;
    }

    /** Ids for {@code receiverId}, with a run id taken from the current time. */
    public static BlockIds startingNow(String receiverId) {
        return new BlockIds(receiverId, Long.toString(System.currentTimeMillis(), 36));
    }

    /** A fresh id for a block of source node {@code node}. */
    public String next(int node) {
        return receiverId + "-" + node + "-" + runId + "." + sequence.incrementAndGet();
    }
}
