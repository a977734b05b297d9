package dev.sluice.engine.cache;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The kept partitions of persisted nodes a process holds, encoded: window input, state,
 * cached streams. Entries go when no later batch can read them any more.
 */
public final class CacheStore {

    /** Names one kept partition. */
    public record Key(String job, int node, long timeMs, int partition) {
    }

    private final Map<Key, byte[]> partitions = new ConcurrentHashMap<>();

    /** Keeps one partition. */
    public void put(Key key, byte[] records) {
        partitions.put(key, records);
    }

    /**
     * The kept partition {@code key}.
     *
     * @throws MissingCachedPartitionException when this store does not hold it
     */
    public byte[] get(Key key) {
        byte[] records = partitions.get(key);
        if (records == null) {
            throw new MissingCachedPartitionException(key);
        }
        return records;
    }

    /**
     * Drops what no batch after {@code doneTimeMs} can read: the partitions of node n from
     * batches at or before {@code doneTimeMs − retention(n)}.
     *
     * @param retentionMs for each persisted node, how far back later batches read it
     */
    public void dropExpired(String job, long doneTimeMs, Map<Integer, Long> retentionMs) {
        partitions.keySet().removeIf(k -> k.job().equals(job)
                && k.timeMs() <= doneTimeMs - retentionMs.getOrDefault(k.node(), 0L));
    }

    /** The number of partitions kept. */
    public int size() {
        return partitions.size();
    }
}
