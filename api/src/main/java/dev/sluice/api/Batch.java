package dev.sluice.api;

import java.util.Iterator;
import java.util.List;
import java.util.function.BinaryOperator;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/** The data of one batch, split into partitions (Spark's RDD), as given to {@code foreachBatch}. */
public interface Batch<T> {

    /** The number of partitions. */
    int numPartitions();

    /** Applies {@code f} to every element. */
    <R> Batch<R> map(Function<? super T, ? extends R> f);

    /** Applies {@code f} to every element and flattens the results. */
    <R> Batch<R> flatMap(Function<? super T, ? extends Iterable<? extends R>> f);

    /** Keeps the elements for which {@code p} holds. */
    Batch<T> filter(Predicate<? super T> p);

    /** Turns every element into a key-value pair. */
    <K, V> PairBatch<K, V> mapToPair(Function<? super T, Pair<K, V>> f);

    /*
     * The per-key operations below need the elements to be Pairs; Java's generics cannot
     * say so on Batch itself, so they are checked when the operation runs.
     */

    /** The values of each key combined with {@code f}, hash-partitioned by key. */
    <K, V> PairBatch<K, V> reduceByKey(BinaryOperator<V> f);

    /** The pairs (k, (v, w)) for every v and w of a key found in both batches. */
    <K, V, W> PairBatch<K, Pair<V, W>> join(Batch<Pair<K, W>> other);

    /** The pairs sorted by key in natural order, ascending or not, in one partition. */
    <K, V> PairBatch<K, V> sortByKey(boolean ascending);

    /** The partitions of this batch followed by those of {@code other}. */
    Batch<T> union(Batch<T> other);

    /** The number of elements. */
    long count();

    /** All elements, partitions in order. */
    List<T> collect();

    /** Runs {@code f} once per partition. */
    void foreachPartition(Consumer<Iterator<T>> f);
}
