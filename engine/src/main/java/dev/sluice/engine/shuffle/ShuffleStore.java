package dev.sluice.engine.shuffle;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The map outputs a process holds, in memory: for each (job, batch, shuffle, map
 * partition), one encoded bucket per reduce partition. Speculative and retried attempts
 * write identical buckets, so the last write wins harmlessly.
 */
public final class ShuffleStore {

    /** Names one map task's output. */
    public record Key(String job, long batchTimeMs, int shuffle, int mapPartition) {
    }

    private final Map<Key, byte[][]> outputs = new ConcurrentHashMap<>();

    /** Stores the buckets of one map task. */
    public void put(Key key, byte[][] buckets) {
        outputs.put(key, buckets);
    }

    /**
     * The bucket for {@code reducePartition} of the map output {@code key}.
     *
     * @throws MissingShuffleOutputException when this store does not hold that output
     */
    public byte[] bucket(Key key, int reducePartition) {
        byte[][] buckets = outputs.get(key);
        if (buckets == null) {
            throw new MissingShuffleOutputException(key);
        }
        if (reducePartition < 0 || reducePartition >= buckets.length) {
            throw new IllegalArgumentException("shuffle " + key.shuffle() + " has " + buckets.length
                    + " reduce partitions, not " + (reducePartition + 1));
        }
        return buckets[reducePartition];
    }

    /** Drops every output of {@code job} for batches at or before {@code batchTimeMs}. */
    public void dropThrough(String job, long batchTimeMs) {
        outputs.keySet().removeIf(k -> k.job().equals(job) && k.batchTimeMs() <= batchTimeMs);
    }

    /** The number of map outputs held. */
    public int size() {
        return outputs.size();
    }
}
