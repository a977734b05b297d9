package dev.sluice.engine.exec;

import dev.sluice.engine.cache.CacheStore;
import dev.sluice.engine.codec.RecordCodec;
import dev.sluice.engine.codec.RecordReader;
import dev.sluice.engine.graph.BatchLayout;
import dev.sluice.engine.graph.InputSplit;
import dev.sluice.engine.shuffle.ShuffleStore;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * A task context over one process's own stores, for running tasks without workers
 * ({@link LocalRunner}, benchmarks): shuffle buckets and kept partitions are read from
 * memory, still encoded as they would cross between workers. There are no receiver blocks.
 */
public final class InProcessContext implements TaskContext {

    private final String job;
    private final BatchLayout layout;
    private final ShuffleStore shuffles;
    private final CacheStore caches;

    public InProcessContext(String job, BatchLayout layout, ShuffleStore shuffles, CacheStore caches) {
        this.job = job;
        this.layout = layout;
        this.shuffles = shuffles;
        this.caches = caches;
    }

    @Override
    public BatchLayout layout() {
        return layout;
    }

    @Override
    public Iterator<Object> readBlock(InputSplit.Block block) {
        throw new IllegalStateException("receiver blocks cannot be read in process");
    }

    @Override
    public Iterator<Object> readShuffle(int shuffle, int reducePartition) {
        int maps = layout.mapOutputsOf(shuffle).size();
        List<byte[]> buckets = new ArrayList<>(maps);
        for (int m = 0; m < maps; m++) {
            buckets.add(shuffles.bucket(new ShuffleStore.Key(job, layout.batchTimeMs(), shuffle, m), reducePartition));
        }
        return RecordCodec.iterate(buckets);
    }

    @Override
    public Iterator<Object> readCached(int node, long timeMs, int partition) {
        return new RecordReader(caches.get(new CacheStore.Key(job, node, timeMs, partition)));
    }
}
