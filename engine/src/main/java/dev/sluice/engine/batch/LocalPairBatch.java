package dev.sluice.engine.batch;

import dev.sluice.api.Pair;
import dev.sluice.api.PairBatch;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BinaryOperator;

/** A batch of key-value pairs held in memory on the coordinator. Per-key results come in one partition. */
public final class LocalPairBatch<K, V> extends LocalBatch<Pair<K, V>> implements PairBatch<K, V> {

    public LocalPairBatch(List<List<Pair<K, V>>> partitions) {
        super(partitions);
    }

    @Override
    public PairBatch<K, V> reduceByKey(BinaryOperator<V> f) {
        Map<K, V> reduced = new LinkedHashMap<>();
        for (Pair<K, V> kv : collect()) {
            reduced.merge(kv.first(), kv.second(), f);
        }
        List<Pair<K, V>> out = new ArrayList<>(reduced.size());
        reduced.forEach((k, v) -> out.add(Pair.of(k, v)));
        return new LocalPairBatch<>(List.of(out));
    }

    @Override
    public <W> PairBatch<K, Pair<V, W>> join(PairBatch<K, W> other) {
        Map<K, List<W>> right = new LinkedHashMap<>();
        for (Pair<K, W> kw : other.collect()) {
            right.computeIfAbsent(kw.first(), k -> new ArrayList<>()).add(kw.second());
        }
        List<Pair<K, Pair<V, W>>> out = new ArrayList<>();
        for (Pair<K, V> kv : collect()) {
            for (W w : right.getOrDefault(kv.first(), List.of())) {
                out.add(Pair.of(kv.first(), Pair.of(kv.second(), w)));
            }
        }
        return new LocalPairBatch<>(List.of(out));
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
        return new LocalPairBatch<>(List.of(all));
    }
}
