package dev.sluice.bench.jmh;

import dev.sluice.engine.codec.RecordCodec;
import dev.sluice.engine.exec.TaskContext;
import dev.sluice.engine.graph.BatchLayout;
import dev.sluice.engine.graph.InputSplit;
import dev.sluice.engine.shuffle.ShuffleStore;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * A task context over one process's shuffle store, as the engine's {@code LocalRunner} has it:
 * shuffle buckets are read from memory, still encoded as they cross between workers
 * ({@link RecordCodec#iterate}, the same reader a worker's {@code RemoteTaskContext} uses on
 * the buckets it fetched).
 */
final class BenchContext implements TaskContext {

    private final String job;
    private final BatchLayout layout;
    private final ShuffleStore shuffles;

    BenchContext(String job, BatchLayout layout, ShuffleStore shuffles) {
        this.job = job;
        this.layout = layout;
        this.shuffles = shuffles;
    }

    @Override
    public BatchLayout layout() {
        return layout;
    }

    @Override
    public Iterator<Object> readBlock(InputSplit.Block block) {
        throw new IllegalStateException("no receiver blocks in this benchmark");
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
        throw new IllegalStateException("no kept partitions in this benchmark");
    }
}
