package dev.sluice.receiver.block;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The blocks this receiver holds in memory, by id, for workers to fetch. A block is dropped
 * by {@link #sweep()} once it has been stored for longer than the retention.
 */
public final class ReceivedBlockStore {

    private record Stored(Block block, long storedAtMs) {
    }

    private final Map<String, Stored> blocks = new ConcurrentHashMap<>();
    private final long retentionMillis;
    private final Clock clock;

    /** A store that keeps each block for {@code retention} after it was (last) stored. */
    public ReceivedBlockStore(Duration retention, Clock clock) {
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("block retention must be positive, got " + retention);
        }
        this.retentionMillis = retention.toMillis();
        this.clock = clock;
    }

    /** Stores {@code block}; storing it again restarts its retention. */
    public void put(Block block) {
        blocks.put(block.id(), new Stored(block, clock.millis()));
    }

    /** The block with id {@code blockId}, if it is held. */
    public Optional<Block> get(String blockId) {
        Stored s = blocks.get(blockId);
        return s == null ? Optional.empty() : Optional.of(s.block());
    }

    /** Drops the block with id {@code blockId}; returns whether it was held. */
    public boolean remove(String blockId) {
        return blocks.remove(blockId) != null;
    }

    /** Every block held now. */
    public List<Block> all() {
        return blocks.values().stream().map(Stored::block).toList();
    }

    /** Drops every block stored longer ago than the retention; returns how many were dropped. */
    public int sweep() {
        long cutoff = clock.millis() - retentionMillis;
        int before = blocks.size();
        blocks.values().removeIf(s -> s.storedAtMs() < cutoff);
        return before - blocks.size();
    }

    /** How many blocks are held. */
    public int size() {
        return blocks.size();
    }

    /** The total size in bytes of the blocks held. */
    public long bytes() {
        long total = 0;
        for (Stored s : blocks.values()) {
            total += s.block().data().length;
        }
        return total;
    }
}
