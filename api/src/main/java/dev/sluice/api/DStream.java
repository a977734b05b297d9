package dev.sluice.api;

import java.time.Duration;
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

    /** Transforms each partition of each batch as a whole into key-value pairs. */
    <K, V> PairDStream<K, V> mapPartitionsToPair(Function<Iterator<T>, Iterator<Pair<K, V>>> f);

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

    /** The same elements spread evenly over {@code numPartitions} partitions, with a shuffle. */
    DStream<T> repartition(int numPartitions);

    /** The elements of this stream and {@code other}, batch by batch. */
    DStream<T> union(DStream<T> other);

    /** Applies {@code f} to every batch as a whole (Spark's {@code transform}). */
    <R> DStream<R> transform(Function<Batch<T>, Batch<R>> f);

    /** Applies {@code f} to every batch and its time. */
    <R> DStream<R> transform(BatchTransform<T, R> f);

    /** Applies {@code f} to every batch, giving key-value pairs. */
    <K, V> PairDStream<K, V> transformToPair(Function<Batch<T>, Batch<Pair<K, V>>> f);

    /** Applies {@code f} to every batch and its time, giving key-value pairs. */
    <K, V> PairDStream<K, V> transformToPair(BatchTransform<T, Pair<K, V>> f);

    /** Applies {@code f} to the batches of this stream and {@code other} at the same time. */
    <U, R> DStream<R> transformWith(DStream<U> other, BatchTransform2<T, U, R> f);

    /** Every batch holds the elements of the last {@code length} of input; one window per batch. */
    DStream<T> window(Duration length);

    /**
     * Every {@code slide}, the elements of the batches in (t − length, t]. Both must be
     * multiples of this stream's slide.
     */
    DStream<T> window(Duration length, Duration slide);

    /** The number of elements in each window, kept incrementally. */
    DStream<Long> countByWindow(Duration length, Duration slide);

    /** The elements of each window combined with {@code f}. */
    DStream<T> reduceByWindow(BinaryOperator<T> f, Duration length, Duration slide);

    /**
     * The elements of each window combined with {@code f}, kept incrementally: the previous
     * window's value, plus the batches entering, with {@code inverse} applied for the batches leaving.
     */
    DStream<T> reduceByWindow(BinaryOperator<T> f, BinaryOperator<T> inverse, Duration length, Duration slide);

    /** How often each distinct element occurs in each window. */
    PairDStream<T, Long> countByValueAndWindow(Duration length, Duration slide);

    /** The same over {@code numPartitions} shuffle partitions. */
    PairDStream<T, Long> countByValueAndWindow(Duration length, Duration slide, int numPartitions);

    /** Keeps each batch's partitions on the workers once computed, so several outputs share them. */
    DStream<T> cache();

    /** The same as {@link #cache()}. */
    DStream<T> persist();

    /** Keeps each batch's partitions and writes them to the checkpoint directory every {@code interval}. */
    DStream<T> checkpoint(Duration interval);

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
