package dev.sluice.engine.shuffle;

/**
 * Sends a key to partition {@code Math.floorMod(key.hashCode(), numPartitions)}, and
 * {@code null} to partition 0, as Spark's HashPartitioner does.
 */
public record HashPartitioner(int numPartitions) {

    public HashPartitioner {
        if (numPartitions <= 0) {
            throw new IllegalArgumentException("number of partitions must be positive, got " + numPartitions);
        }
    }

    /** The partition of {@code key}. */
    public int partition(Object key) {
        return key == null ? 0 : Math.floorMod(key.hashCode(), numPartitions);
    }
}
