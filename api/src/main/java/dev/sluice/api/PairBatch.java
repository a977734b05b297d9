package dev.sluice.api;

import java.util.Comparator;
import java.util.function.BinaryOperator;

/** A batch of key-value pairs, with the per-key operations. */
public interface PairBatch<K, V> extends Batch<Pair<K, V>> {

    /** The values of each key combined with {@code f}. */
    PairBatch<K, V> reduceByKey(BinaryOperator<V> f);

    /** The pairs of keys found in both batches. */
    <W> PairBatch<K, Pair<V, W>> join(PairBatch<K, W> other);

    /** The pairs sorted by key in natural order, ascending or not. */
    PairBatch<K, V> sortByKey(boolean ascending);

    /** The pairs sorted by key with {@code order}. */
    PairBatch<K, V> sortByKey(Comparator<? super K> order);
}
