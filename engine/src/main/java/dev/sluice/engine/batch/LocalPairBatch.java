package dev.sluice.engine.batch;

import dev.sluice.api.Pair;
import dev.sluice.api.PairBatch;
import dev.sluice.engine.shuffle.HashPartitioner;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BinaryOperator;

/** A batch of key-value pairs held in memory. Per-key results are hash-partitioned by key. */
public final class LocalPairBatch<K, V> extends LocalBatch<Pair<K, V>> implements PairBatch<K, V> {

    public LocalPairBatch(List<List<Pair<K, V>>> partitions, int parallelism) {
        super(partitions, parallelism);
    }

    @Override
    public PairBatch<K, V> reduceByKey(BinaryOperator<V> f) {
        HashPartitioner partitioner = new HashPartitioner(parallelism);
        List<Map<K, V>> reduced = new ArrayList<>(parallelism);
        for (int i = 0; i < parallelism; i++) {
            reduced.add(new LinkedHashMap<>());
        }
        for (Pair<K, V> kv : collect()) {
            reduced.get(partitioner.partition(kv.first())).merge(kv.first(), kv.second(), f);
        }
        List<List<Pair<K, V>>> out = new ArrayList<>(parallelism);
        for (Map<K, V> m : reduced) {
            List<Pair<K, V>> part = new ArrayList<>(m.size());
            m.forEach((k, v) -> part.add(Pair.of(k, v)));
            out.add(part);
        }
        return new LocalPairBatch<>(out, parallelism);
    }

    @Override
    public <W> PairBatch<K, Pair<V, W>> join(PairBatch<K, W> other) {
        HashPartitioner partitioner = new HashPartitioner(parallelism);
        Map<K, List<W>> right = new LinkedHashMap<>();
        for (Pair<K, W> kw : other.collect()) {
            right.computeIfAbsent(kw.first(), k -> new ArrayList<>()).add(kw.second());
        }
        List<List<Pair<K, Pair<V, W>>>> out = new ArrayList<>(parallelism);
        for (int i = 0; i < parallelism; i++) {
            out.add(new ArrayList<>());
        }
        for (Pair<K, V> kv : collect()) {
            for (W w : right.getOrDefault(kv.first(), List.of())) {
                out.get(partitioner.partition(kv.first())).add(Pair.of(kv.first(), Pair.of(kv.second(), w)));
            }
        }
        return new LocalPairBatch<>(out, parallelism);
    }

    @Override
    @SuppressWarnings("unchecked")
    public PairBatch<K, V> sortByKey(boolean ascending) {
        Comparator<K> natural = (a, b) -> ((Comparable<Object>) a).compareTo(b);
        return sortByKey(ascending ? natural : natural.reversed());
    }

    @Override
    public PairBatch<K, V> sortByKey(Comparator<? super K> order) {
        List<Pair<K, V>> all = collect();
        all.sort((x, y) -> order.compare(x.first(), y.first()));
        return new LocalPairBatch<>(List.of(all), parallelism);
    }
}
