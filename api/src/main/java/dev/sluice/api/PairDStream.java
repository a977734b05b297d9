package dev.sluice.api;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.BinaryOperator;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A stream of key-value pairs, with the per-key operations. Keys are partitioned by
 * {@code Math.floorMod(key.hashCode(), numPartitions)}, so keys need a stable
 * {@code hashCode} (strings, numbers, records of them) across processes.
 */
public interface PairDStream<K, V> extends DStream<Pair<K, V>> {

    @Override
    PairDStream<K, V> filter(Predicate<? super Pair<K, V>> p);

    @Override
    PairDStream<K, V> union(DStream<Pair<K, V>> other);

    @Override
    PairDStream<K, V> cache();

    @Override
    PairDStream<K, V> persist();

    @Override
    PairDStream<K, V> checkpoint(Duration interval);

    /** Applies {@code f} to every value, keeping the keys. */
    <W> PairDStream<K, W> mapValues(Function<? super V, ? extends W> f);

    /** Applies {@code f} to every value and pairs the key with each result. */
    <W> PairDStream<K, W> flatMapValues(Function<? super V, ? extends Iterable<? extends W>> f);

    /** All values of each key in each batch, over the default number of partitions. */
    PairDStream<K, List<V>> groupByKey();

    /** The values of each key in each batch combined with {@code f}, map-side first. */
    PairDStream<K, V> reduceByKey(BinaryOperator<V> f);

    /** The same over {@code numPartitions} shuffle partitions. */
    PairDStream<K, V> reduceByKey(BinaryOperator<V> f, int numPartitions);

    /**
     * The general per-key aggregation: {@code create} starts a combiner from a key's first
     * value in a partition, {@code mergeValue} folds further values into it, and
     * {@code mergeCombiners} merges combiners from different partitions.
     */
    <C> PairDStream<K, C> combineByKey(Function<? super V, C> create, BiFunction<C, ? super V, C> mergeValue,
            BinaryOperator<C> mergeCombiners, int numPartitions);

    /** The pairs (k, (v, w)) for every v and w of a key found in both streams' batches at the same time. */
    <W> PairDStream<K, Pair<V, W>> join(PairDStream<K, W> other);

    /** The same over {@code numPartitions} shuffle partitions. */
    <W> PairDStream<K, Pair<V, W>> join(PairDStream<K, W> other, int numPartitions);

    /** Every pair of this stream, with each matching value of {@code other} or {@code Optional.empty()}. */
    <W> PairDStream<K, Pair<V, Optional<W>>> leftOuterJoin(PairDStream<K, W> other);

    /** The same over {@code numPartitions} shuffle partitions. */
    <W> PairDStream<K, Pair<V, Optional<W>>> leftOuterJoin(PairDStream<K, W> other, int numPartitions);

    /** Every pair of {@code other}, with each matching value of this stream or {@code Optional.empty()}. */
    <W> PairDStream<K, Pair<Optional<V>, W>> rightOuterJoin(PairDStream<K, W> other);

    /** The same over {@code numPartitions} shuffle partitions. */
    <W> PairDStream<K, Pair<Optional<V>, W>> rightOuterJoin(PairDStream<K, W> other, int numPartitions);

    /** Every key of either stream, with the values of each side or {@code Optional.empty()}. */
    <W> PairDStream<K, Pair<Optional<V>, Optional<W>>> fullOuterJoin(PairDStream<K, W> other);

    /** The same over {@code numPartitions} shuffle partitions. */
    <W> PairDStream<K, Pair<Optional<V>, Optional<W>>> fullOuterJoin(PairDStream<K, W> other, int numPartitions);

    /** For every key of either stream, all its values on each side in the same batch. */
    <W> PairDStream<K, Pair<List<V>, List<W>>> cogroup(PairDStream<K, W> other);

    /** The same over {@code numPartitions} shuffle partitions. */
    <W> PairDStream<K, Pair<List<V>, List<W>>> cogroup(PairDStream<K, W> other, int numPartitions);

    /** All values of each key in each window of {@code length}, one window per batch. */
    PairDStream<K, List<V>> groupByKeyAndWindow(Duration length);

    /** All values of each key in each window of {@code length}, every {@code slide}. */
    PairDStream<K, List<V>> groupByKeyAndWindow(Duration length, Duration slide);

    /** The same over {@code numPartitions} shuffle partitions. */
    PairDStream<K, List<V>> groupByKeyAndWindow(Duration length, Duration slide, int numPartitions);

    /** The values of each key in each window of {@code length} combined with {@code f}, one window per batch. */
    PairDStream<K, V> reduceByKeyAndWindow(BinaryOperator<V> f, Duration length);

    /** The values of each key in each window combined with {@code f}, every {@code slide}. */
    PairDStream<K, V> reduceByKeyAndWindow(BinaryOperator<V> f, Duration length, Duration slide);

    /** The same over {@code numPartitions} shuffle partitions. */
    PairDStream<K, V> reduceByKeyAndWindow(BinaryOperator<V> f, Duration length, Duration slide, int numPartitions);

    /**
     * The values of each key in each window, kept incrementally: the previous window's value
     * combined with the batches entering by {@code f}, with {@code inverse} applied for the
     * batches leaving. A key stays (possibly with a "zero" value) until a filter drops it.
     */
    PairDStream<K, V> reduceByKeyAndWindow(BinaryOperator<V> f, BinaryOperator<V> inverse, Duration length,
                                           Duration slide);

    /** The same over {@code numPartitions} shuffle partitions. */
    PairDStream<K, V> reduceByKeyAndWindow(BinaryOperator<V> f, BinaryOperator<V> inverse, Duration length,
                                           Duration slide, int numPartitions);

    /** The same, keeping only the pairs for which {@code keep} holds (e.g. dropping zero counts). */
    PairDStream<K, V> reduceByKeyAndWindow(BinaryOperator<V> f, BinaryOperator<V> inverse, Duration length,
                                           Duration slide, int numPartitions, Predicate<? super Pair<K, V>> keep);

    /**
     * State per key across batches: every batch, {@code f} is called for every key that has
     * state or new values, with the key's new values (in arrival order) and its state; the
     * key's state becomes the result, and a key whose result is empty is dropped. The
     * stream holds every key's state after each batch.
     */
    <S> PairDStream<K, S> updateStateByKey(BiFunction<List<V>, Optional<S>, Optional<S>> f);

    /** The same over {@code numPartitions} partitions. */
    <S> PairDStream<K, S> updateStateByKey(BiFunction<List<V>, Optional<S>, Optional<S>> f, int numPartitions);

    /** The same, starting from {@code initialState}. */
    <S> PairDStream<K, S> updateStateByKey(BiFunction<List<V>, Optional<S>, Optional<S>> f, int numPartitions,
                                           List<Pair<K, S>> initialState);

    /**
     * State per key across batches, record by record: the spec's function is called once
     * per new pair with the key's {@link State}, and once for a key that timed out; the
     * stream holds what the calls returned.
     */
    <S, M> MapWithStateDStream<K, V, S, M> mapWithState(StateSpec<K, V, S, M> spec);

    /**
     * Writes every batch in Hadoop's {@code TextOutputFormat} layout: {@code key<TAB>value}
     * lines in {@code prefix-<batchTimeMs>[.suffix]/part-NNNNN}, plus a {@code _SUCCESS} marker.
     */
    void saveAsHadoopFiles(String prefix, String suffix);
}
