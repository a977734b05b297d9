package dev.sluice.engine.batch;

import dev.sluice.api.Batch;
import dev.sluice.api.Pair;
import dev.sluice.api.PairBatch;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
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
