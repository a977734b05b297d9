package dev.sluice.api;

import java.util.Iterator;
import java.util.List;
import java.util.function.BinaryOperator;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A discretized stream: a sequence of batches of {@code T}, one per batch interval.
 * Transformations return new streams; output operations register work that runs for
 * every batch. Functions given here run on the workers, so they must be deterministic
 * and must not depend on state outside their arguments.
 */
public interface DStream<T> {

    /** The context this stream was declared on. */
    StreamingContext context();

    /** Applies {@code f} to every element. */
    <R> DStream<R> map(Function<? super T, ? extends R> f);

    /** Applies {@code f} to every element and flattens the results. */
    <R> DStream<R> flatMap(Function<? super T, ? extends Iterable<? extends R>> f);

    /** Keeps the elements for which {@code p} holds. */
    DStream<T> filter(Predicate<? super T> p);

    /** Turns every element into a key-value pair. */
    <K, V> PairDStream<K, V> mapToPair(Function<? super T, Pair<K, V>> f);

    /** Turns every element into zero or more key-value pairs. */
    <K, V> PairDStream<K, V> flatMapToPair(Function<? super T, ? extends Iterable<Pair<K, V>>> f);

    /** Transforms each partition of each batch as a whole. */
    <R> DStream<R> mapPartitions(Function<Iterator<T>, Iterator<R>> f);

    /** Turns each partition of each batch into one list. */
    DStream<List<T>> glom();

    /** A stream of one element per batch: the number of elements in it ({@code 0} for an empty batch). */
    DStream<Long> count();

    /** How often each distinct element occurs in each batch. */
    PairDStream<T, Long> countByValue();

    /** The same over {@code numPartitions} shuffle partitions. */
    PairDStream<T, Long> countByValue(int numPartitions);

    /** A stream of at most one element per batch: all elements combined with {@code f}. */
    DStream<T> reduce(BinaryOperator<T> f);

    /** The elements of this stream and {@code other}, batch by batch. */
    DStream<T> union(DStream<T> other);

    /** Prints the first ten elements of every batch on the coordinator's standard output. */
    void print();

    /** Prints the first {@code n} elements of every batch on the coordinator's standard output. */
    void print(int n);

    /**
     * Writes every batch as text, one element per line, to
     * {@code prefix-<batchTimeMs>[.suffix]/part-NNNNN}, one file per partition, atomically
     * and idempotently (a retried batch overwrites, never duplicates).
     *
     * @param suffix may be {@code null} or empty for none
     */
    void saveAsTextFiles(String prefix, String suffix);

    /** Runs {@code f} on the coordinator for every batch (Spark's {@code foreachRDD}). */
    void foreachBatch(BatchConsumer<T> f);
}
