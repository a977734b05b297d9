package dev.sluice.api;

import java.util.Comparator;

/** A batch of key-value pairs, as {@code mapToPair} gives it. */
public interface PairBatch<K, V> extends Batch<Pair<K, V>> {

    /** The pairs sorted by key with {@code order}, in one partition. */
    PairBatch<K, V> sortByKey(Comparator<? super K> order);
}
