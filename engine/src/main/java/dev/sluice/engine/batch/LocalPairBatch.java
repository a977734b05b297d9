package dev.sluice.engine.batch;

import dev.sluice.api.Pair;
import dev.sluice.api.PairBatch;

import java.util.Comparator;
import java.util.List;

/** A batch of key-value pairs held in memory. */
public final class LocalPairBatch<K, V> extends LocalBatch<Pair<K, V>> implements PairBatch<K, V> {

    public LocalPairBatch(List<List<Pair<K, V>>> partitions, int parallelism) {
        super(partitions, parallelism);
    }

    @Override
    public PairBatch<K, V> sortByKey(Comparator<? super K> order) {
        List<Pair<K, V>> all = collect();
        all.sort((x, y) -> order.compare(x.first(), y.first()));
        return new LocalPairBatch<>(List.of(all), parallelism);
    }
}
