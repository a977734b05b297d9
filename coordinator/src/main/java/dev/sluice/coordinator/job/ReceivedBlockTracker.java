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
 * reported again — a restarted receiver replaying its write-ahead log, or a receiver that
 * re-attached reporting what it holds — is never counted twice: an unprocessed block just
 * moves to the reported address, a processed one is answered as such so the receiver drops it;
 * one reported again with another source or record count is refused.
 *
 * <p>A receiver in replicate mode has a peer store a replica of each block before it reports
 * the block, and the peer reports the replica first. A replica is never input by itself (its
 * primary may have died before the block was acknowledged, and the client then sends the
 * records again); the tracker remembers it with its block, and {@link #failOver} moves the
 * blocks of a receiver that went away to their replicas.
 */
public final class ReceivedBlockTracker {

    /** What a report of a block or of a replica did. */
    public enum Outcome {
        /** A new block: it goes to the next batch cut. */
        ADDED,
        /** A known block, now at the reported address. */
        MOVED,
        /** The block is processed already: the reporter drops it. */
        ALREADY_PROCESSED,
        /** A replica, remembered with its block (or until its block is reported). */
        REPLICA,
        /** The block id is known with another source or record count: the report is refused, nothing changes. */
        CONFLICT
    }

    /** What {@link #failOver} did. */
    public record FailOver(int moved, List<String> stranded) {
    }

    /**
     * A known block: where it is, where its replica is ({@code null}: none), and the batch it
     * went to (0 while unallocated).
     */
    private static final class Known {
        final int node;
        InputSplit.Block block;
        String replica;
        long batchTimeMs;

        Known(int node, InputSplit.Block block) {
            this.node = node;
            this.block = block;
        }
    }

    /** A replica reported before its block, and when, so that one whose block never comes is forgotten. */
    private record PendingReplica(String address, long reportedAtMs) {
    }

    private final long rememberProcessedMs;
    private final Map<Integer, List<String>> unallocated = new HashMap<>();
    private final Map<String, Known> known = new HashMap<>();
    private final Map<String, PendingReplica> pendingReplicas = new HashMap<>();
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
        if (k != null && (k.node != node || k.block.records() != block.records())) {
            // The same block reported again (a replay, a re-attach) is the same data; anything else is not.
            return Outcome.CONFLICT;
        }
        if (k != null) {
            k.block = block;
            return Outcome.MOVED;
        }
        Known added = new Known(node, block);
        PendingReplica replica = pendingReplicas.remove(block.blockId());
        if (replica != null && !replica.address().equals(block.address())) {
            added.replica = replica.address();
        }
        known.put(block.blockId(), added);
        unallocated.computeIfAbsent(node, n -> new ArrayList<>()).add(block.blockId());
        return Outcome.ADDED;
    }

    /**
     * Records that a replica of block {@code blockId} is stored at {@code address}. Before its
     * block is reported the replica is only remembered (until {@code nowMs} + the remember
     * window): it becomes input only with its block.
     */
    public synchronized Outcome addReplica(String blockId, String address, long nowMs) {
        if (processed.containsKey(blockId)) {
            return Outcome.ALREADY_PROCESSED;
        }
        Known k = known.get(blockId);
        if (k == null) {
            pendingReplicas.put(blockId, new PendingReplica(address, nowMs));
        } else if (!address.equals(k.block.address())) {
            k.replica = address;
        }
        return Outcome.REPLICA;
    }

    /** Where the replica of block {@code blockId} is, or {@code null} when it has none the tracker knows of. */
    public synchronized String replica(String blockId) {
        Known k = known.get(blockId);
        if (k != null) {
            return k.replica;
        }
        PendingReplica p = pendingReplicas.get(blockId);
        return p == null ? null : p.address();
    }

    /**
     * The receiver at {@code address} went away: every unprocessed block stored there that has
     * a replica elsewhere moves to its replica, so later cuts and retried tasks read it there.
     * Replicas that were stored there are forgotten. A block that moved keeps its replica
     * address, which is now also where it is: if its primary comes back (it only lost its
     * connection) and reports it again, it moves back and has that replica again.
     *
     * @return how many blocks moved, and the ids of those left at {@code address} with no
     *         replica (readable again only if that receiver comes back with them)
     */
    public synchronized FailOver failOver(String address) {
        int moved = 0;
        List<String> stranded = new ArrayList<>();
        for (Map.Entry<String, Known> e : known.entrySet()) {
            Known k = e.getValue();
            boolean storedThere = k.block.address().equals(address);
            if (storedThere && k.replica != null && !k.replica.equals(address)) {
                k.block = new InputSplit.Block(k.block.blockId(), k.replica, k.block.records());
                moved++;
            } else if (storedThere) {
                stranded.add(e.getKey());
            }
            if (address.equals(k.replica)) {
                // The replica went with the receiver.
                k.replica = null;
            }
        }
        pendingReplicas.values().removeIf(p -> p.address().equals(address));
        return new FailOver(moved, stranded);
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
        // The primary of such a replica died before it reported the block: nothing will read it.
        pendingReplicas.values().removeIf(p -> p.reportedAtMs() < nowMs - rememberProcessedMs);
        return done;
    }
}
