package dev.sluice.engine.shuffle;

import dev.sluice.api.Pair;
import dev.sluice.engine.codec.RecordWriter;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * The map side of a shuffle: hashes key-value pairs into buckets, combining each key's
 * values first when the dependency allows it, and encodes each bucket.
 */
public final class ShuffleWriter {

    private ShuffleWriter() {
    }

    /**
     * Partitions {@code records} (each a {@link Pair}) into encoded buckets, one per reduce partition.
     *
     * @return bucket {@code i} holds the records for reduce partition {@code i}
     */
    public static byte[][] write(Iterator<Object> records, ShuffleDependency dependency) {
        HashPartitioner partitioner = dependency.partitioner();
        int n = partitioner.numPartitions();
        RecordWriter[] writers = new RecordWriter[n];
        for (int i = 0; i < n; i++) {
            writers[i] = new RecordWriter();
        }
        if (dependency.combinesMapSide()) {
            combineThenWrite(records, dependency, writers);
        } else {
            while (records.hasNext()) {
                Pair<?, ?> kv = asPair(records.next(), dependency);
                writers[partitioner.partition(KeyCheck.checked(kv.first(), dependency.operator()))].write(kv);
            }
        }
        byte[][] buckets = new byte[n][];
        for (int i = 0; i < n; i++) {
            buckets[i] = writers[i].toByteArray();
        }
        return buckets;
    }

    private static void combineThenWrite(Iterator<Object> records, ShuffleDependency dependency, RecordWriter[] writers) {
        Aggregator aggregator = dependency.aggregator();
        Map<Object, Object> combiners = new HashMap<>();
        while (records.hasNext()) {
            Pair<?, ?> kv = asPair(records.next(), dependency);
            Object key = kv.first();
            Object value = kv.second();
            Object old = combiners.get(key);
            if (old == null && !combiners.containsKey(key)) {
                combiners.put(KeyCheck.checked(key, dependency.operator()), aggregator.create().apply(value));
            } else {
                combiners.put(key, aggregator.mergeValue().apply(old, value));
            }
        }
        for (Map.Entry<Object, Object> e : combiners.entrySet()) {
            writers[dependency.partitioner().partition(e.getKey())].write(Pair.of(e.getKey(), e.getValue()));
        }
    }

    private static Pair<?, ?> asPair(Object record, ShuffleDependency dependency) {
        if (record instanceof Pair<?, ?> p) {
            return p;
        }
        throw new IllegalArgumentException(dependency.operator() + " needs key-value pairs, got "
                + (record == null ? "null" : record.getClass().getName() + " " + record));
    }
}
