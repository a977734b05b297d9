package dev.sluice.coordinator.job;

import dev.sluice.engine.graph.InputSplit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The blocks receivers reported for one job, from report to processing. As in Spark, a
 * batch at time t gets every block of a source reported before it was cut. A block id
 * reported again — a restarted receiver replaying its write-ahead log — is never counted
 * twice: an unprocessed block just moves to the receiver's new address, a processed one
 * is answered as such so the receiver drops it.
 */
public final class ReceivedBlockTracker {

    /** What a report of a block did. */
    public enum Outcome { ADDED, MOVED, ALREADY_PROCESSED }

    /** A known block: where it is, and the batch it went to (0 while unallocated). */
    private static final class Known {
        final int node;
        InputSplit.Block block;
        long batchTimeMs;

        Known(int node, InputSplit.Block block) {
            this.node = node;
            this.block = block;
        }
    }

    private final long rememberProcessedMs;
    private final Map<Integer, List<String>> unallocated = new HashMap<>();
    private final Map<String, Known> known = new HashMap<>();
    // Processed block ids and when they were processed, oldest first, for answering replays.
    private final LinkedHashMap<String, Long> processed = new LinkedHashMap<>();

    /**
     * @param rememberProcessedMs how long a processed block id is remembered, to answer a late replay
     */
    public ReceivedBlockTracker(long rememberProcessedMs) {
        this.rememberProcessedMs = rememberProcessedMs;
    }

    /** Records a report of a block of source {@code node}. */
    public synchronized Outcome add(int node, InputSplit.Block block) {
        if (processed.containsKey(block.blockId())) {
            return Outcome.ALREADY_PROCESSED;
        }
        Known k = known.get(block.blockId());
        if (k != null) {
            k.block = block;
            return Outcome.MOVED;
        }
        known.put(block.blockId(), new Known(node, block));
        unallocated.computeIfAbsent(node, n -> new ArrayList<>()).add(block.blockId());
        return Outcome.ADDED;
    }

    /** Takes every block of source {@code node} reported so far, in report order, for the batch at {@code batchTimeMs}. */
    public synchronized List<InputSplit> allocate(int node, long batchTimeMs) {
        List<String> ids = unallocated.remove(node);
        if (ids == null) {
            return List.of();
        }
        List<InputSplit> blocks = new ArrayList<>(ids.size());
        for (String id : ids) {
            Known k = known.get(id);
            k.batchTimeMs = batchTimeMs;
            blocks.add(k.block);
        }
        return blocks;
    }

    /**
     * After a coordinator restart: the blocks of source {@code node} that the batch at
     * {@code batchTimeMs} was cut with before. They are not allocated again, and a receiver
     * that reports them again only moves them.
     */
    public synchronized void recovered(int node, List<InputSplit> blocks, long batchTimeMs) {
        for (InputSplit split : blocks) {
            if (split instanceof InputSplit.Block block) {
                Known k = new Known(node, block);
                k.batchTimeMs = batchTimeMs;
                known.put(block.blockId(), k);
            }
        }
    }

    /** Where block {@code blockId} is now, or {@code null} when unknown or processed. */
    public synchronized InputSplit.Block current(String blockId) {
        Known k = known.get(blockId);
        return k == null ? null : k.block;
    }

    /**
     * Marks every block allocated to batches at or before {@code batchTimeMs} processed.
     *
     * @return their ids, per source node
     */
    public synchronized Map<Integer, List<String>> processedThrough(long batchTimeMs, long nowMs) {
        Map<Integer, List<String>> done = new HashMap<>();
        for (Iterator<Map.Entry<String, Known>> it = known.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Known> e = it.next();
            Known k = e.getValue();
            if (k.batchTimeMs != 0 && k.batchTimeMs <= batchTimeMs) {
                it.remove();
                processed.put(e.getKey(), nowMs);
                done.computeIfAbsent(k.node, n -> new ArrayList<>()).add(e.getKey());
            }
        }
        processed.values().removeIf(at -> at < nowMs - rememberProcessedMs);
        return done;
    }
}
