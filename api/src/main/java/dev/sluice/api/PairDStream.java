package dev.sluice.api;

import java.util.List;
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

    /**
     * Writes every batch in Hadoop's {@code TextOutputFormat} layout: {@code key<TAB>value}
     * lines in {@code prefix-<batchTimeMs>[.suffix]/part-NNNNN}, plus a {@code _SUCCESS} marker.
     */
    void saveAsHadoopFiles(String prefix, String suffix);
}
