package dev.sluice.receiver.replica;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The replicas this receiver keeps for its peers, by block id. A replica leaves when the
 * coordinator says its block is processed, or, like a block of this receiver's own, once it
 * has been kept longer than the retention ({@link #sweep()}): a replica whose primary died
 * before it reported the block is never read, and goes that way.
 */
public final class ReplicaStore {

    private record Kept(Replica replica, long storedAtMs) {
    }

    private final Map<String, Kept> replicas = new ConcurrentHashMap<>();
    private final long retentionMillis;
    private final Clock clock;

    /** A store that keeps each replica for {@code retention} after it was (last) stored. */
    public ReplicaStore(Duration retention, Clock clock) {
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("replica retention must be positive, got " + retention);
        }
        this.retentionMillis = retention.toMillis();
        this.clock = clock;
    }

    /** Keeps {@code replica}; keeping it again restarts its retention. */
    public void put(Replica replica) {
        replicas.put(replica.id(), new Kept(replica, clock.millis()));
    }

    /** The replica of block {@code blockId}, if it is kept here. */
    public Optional<Replica> get(String blockId) {
        Kept k = replicas.get(blockId);
        return k == null ? Optional.empty() : Optional.of(k.replica());
    }

    /** Drops the replica of block {@code blockId}; returns whether it was kept. */
    public boolean remove(String blockId) {
        return replicas.remove(blockId) != null;
    }

    /** Every replica kept now. */
    public List<Replica> all() {
        return replicas.values().stream().map(Kept::replica).toList();
    }

    /** Drops every replica kept longer than the retention; returns how many were dropped. */
    public int sweep() {
        long cutoff = clock.millis() - retentionMillis;
        int before = replicas.size();
        replicas.values().removeIf(k -> k.storedAtMs() < cutoff);
        return before - replicas.size();
    }

    /** How many replicas are kept. */
    public int size() {
        return replicas.size();
    }

    /** The total size in bytes of the replicas kept. */
    public long bytes() {
        long total = 0;
        for (Kept k : replicas.values()) {
            total += k.replica().block().data().length;
        }
        return total;
    }
}
