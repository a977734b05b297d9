package dev.sluice.engine.batch;

import dev.sluice.api.Batch;
import dev.sluice.api.Pair;
import dev.sluice.api.PairBatch;
import dev.sluice.engine.shuffle.HashPartitioner;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BinaryOperator;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A batch held in memory, as a list of partitions: what {@code foreachBatch} and
 * {@code transform} functions get. Per-key operations hash keys into the job's default
 * number of partitions, as the streams' operators do.
 */
public class LocalBatch<T> implements Batch<T> {

    protected final List<List<T>> partitions;
    protected final int parallelism;

    /**
     * @param parallelism how many partitions per-key operations produce
     */
    public LocalBatch(List<List<T>> partitions, int parallelism) {
        this.partitions = partitions;
        this.parallelism = parallelism;
    }

    @Override
    public int numPartitions() {
        return partitions.size();
    }

    @Override
    public <R> Batch<R> map(Function<? super T, ? extends R> f) {
        List<List<R>> out = new ArrayList<>(partitions.size());
        for (List<T> p : partitions) {
            List<R> q = new ArrayList<>(p.size());
            for (T t : p) {
                q.add(f.apply(t));
            }
            out.add(q);
        }
        return new LocalBatch<>(out, parallelism);
    }

    @Override
    public <R> Batch<R> flatMap(Function<? super T, ? extends Iterable<? extends R>> f) {
        List<List<R>> out = new ArrayList<>(partitions.size());
        for (List<T> p : partitions) {
            List<R> q = new ArrayList<>();
            for (T t : p) {
                f.apply(t).forEach(q::add);
            }
            out.add(q);
        }
        return new LocalBatch<>(out, parallelism);
    }

    @Override
    public Batch<T> filter(Predicate<? super T> p) {
        return new LocalBatch<>(filtered(p), parallelism);
    }

    private List<List<T>> filtered(Predicate<? super T> p) {
        List<List<T>> out = new ArrayList<>(partitions.size());
        for (List<T> part : partitions) {
            List<T> q = new ArrayList<>();
            for (T t : part) {
                if (p.test(t)) {
                    q.add(t);
                }
            }
            out.add(q);
        }
        return out;
    }

    @Override
    public <K, V> PairBatch<K, V> mapToPair(Function<? super T, Pair<K, V>> f) {
        List<List<Pair<K, V>>> out = new ArrayList<>(partitions.size());
        for (List<T> p : partitions) {
            List<Pair<K, V>> q = new ArrayList<>(p.size());
            for (T t : p) {
                q.add(f.apply(t));
            }
            out.add(q);
        }
        return new LocalPairBatch<>(out, parallelism);
    }

    @Override
    public Batch<T> union(Batch<T> other) {
        List<List<T>> out = new ArrayList<>(partitions);
        if (other instanceof LocalBatch<T> local) {
            out.addAll(local.partitions);
        } else {
            out.add(other.collect());
        }
        return new LocalBatch<>(out, parallelism);
    }

    @Override
    public <K, V> PairBatch<K, V> reduceByKey(BinaryOperator<V> f) {
        HashPartitioner partitioner = new HashPartitioner(parallelism);
        List<Map<K, V>> reduced = new ArrayList<>(parallelism);
        for (int i = 0; i < parallelism; i++) {
            reduced.add(new LinkedHashMap<>());
        }
        for (T t : collect()) {
            Pair<K, V> kv = pair(t, "reduceByKey");
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
    public <K, V, W> PairBatch<K, Pair<V, W>> join(Batch<Pair<K, W>> other) {
        HashPartitioner partitioner = new HashPartitioner(parallelism);
        Map<K, List<W>> right = new LinkedHashMap<>();
        for (Pair<K, W> kw : other.collect()) {
            right.computeIfAbsent(kw.first(), k -> new ArrayList<>()).add(kw.second());
        }
        List<List<Pair<K, Pair<V, W>>>> out = new ArrayList<>(parallelism);
        for (int i = 0; i < parallelism; i++) {
            out.add(new ArrayList<>());
        }
        for (T t : collect()) {
            Pair<K, V> kv = pair(t, "join");
            for (W w : right.getOrDefault(kv.first(), List.of())) {
                out.get(partitioner.partition(kv.first())).add(Pair.of(kv.first(), Pair.of(kv.second(), w)));
            }
        }
        return new LocalPairBatch<>(out, parallelism);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <K, V> PairBatch<K, V> sortByKey(boolean ascending) {
        Comparator<K> natural = (a, b) -> ((Comparable<Object>) a).compareTo(b);
        Comparator<K> order = ascending ? natural : natural.reversed();
        List<Pair<K, V>> all = new ArrayList<>();
        for (T t : collect()) {
            all.add(pair(t, "sortByKey"));
        }
        all.sort((x, y) -> order.compare(x.first(), y.first()));
        return new LocalPairBatch<>(List.of(all), parallelism);
    }

    @SuppressWarnings("unchecked")
    private static <K, V> Pair<K, V> pair(Object element, String operator) {
        if (element instanceof Pair<?, ?> p) {
            return (Pair<K, V>) p;
        }
        throw new IllegalArgumentException("Batch." + operator + " needs key-value pairs, got "
                + (element == null ? "null" : element.getClass().getName()));
    }

    @Override
    public long count() {
        long n = 0;
        for (List<T> p : partitions) {
            n += p.size();
        }
        return n;
    }

    @Override
    public List<T> collect() {
        List<T> all = new ArrayList<>();
        for (List<T> p : partitions) {
            all.addAll(p);
        }
        return all;
    }

    @Override
    public void foreachPartition(Consumer<Iterator<T>> f) {
        for (List<T> p : partitions) {
            f.accept(p.iterator());
        }
    }
}
