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

/** A batch held in memory on the coordinator, as a list of partitions. */
public class LocalBatch<T> implements Batch<T> {

    protected final List<List<T>> partitions;

    public LocalBatch(List<List<T>> partitions) {
        this.partitions = partitions;
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
        return new LocalBatch<>(out);
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
        return new LocalBatch<>(out);
    }

    @Override
    public Batch<T> filter(Predicate<? super T> p) {
        return new LocalBatch<>(filtered(p));
    }

    protected List<List<T>> filtered(Predicate<? super T> p) {
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
        return new LocalPairBatch<>(out);
    }

    @Override
    public Batch<T> union(Batch<T> other) {
        List<List<T>> out = new ArrayList<>(partitions);
        if (other instanceof LocalBatch<T> local) {
            out.addAll(local.partitions);
        } else {
            out.add(other.collect());
        }
        return new LocalBatch<>(out);
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
