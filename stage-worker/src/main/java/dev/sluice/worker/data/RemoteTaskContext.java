package dev.sluice.worker.data;

import dev.sluice.engine.cache.CacheStore;
import dev.sluice.engine.codec.RecordCodec;
import dev.sluice.engine.codec.RecordReader;
import dev.sluice.engine.graph.BatchLayout;
import dev.sluice.engine.graph.InputSplit;
import dev.sluice.engine.exec.CheckpointFiles;
import dev.sluice.engine.exec.TaskContext;
import dev.sluice.engine.shuffle.ShuffleStore;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A task's view of its inputs on a worker: receiver blocks, and map outputs and kept
 * partitions held by peers, are fetched over gRPC; what this worker holds is read from
 * its own stores.
 */
public final class RemoteTaskContext implements TaskContext {

    private final String job;
    private final BatchLayout layout;
    private final String selfAddress;
    private final ShuffleStore localShuffles;
    private final CacheStore localCaches;
    private final DataFetcher fetcher;
    private final String checkpointDirectory;

    public RemoteTaskContext(String job, BatchLayout layout, String selfAddress, ShuffleStore localShuffles,
                             CacheStore localCaches, DataFetcher fetcher, String checkpointDirectory) {
        this.job = job;
        this.layout = layout;
        this.selfAddress = selfAddress;
        this.localShuffles = localShuffles;
        this.localCaches = localCaches;
        this.fetcher = fetcher;
        this.checkpointDirectory = checkpointDirectory;
    }

    @Override
    public BatchLayout layout() {
        return layout;
    }

    @Override
    public Iterator<Object> readBlock(InputSplit.Block block) {
        return new RecordReader(fetcher.fetchBlock(block.address(), block.blockId()));
    }

    @Override
    public Iterator<Object> readShuffle(int shuffle, int reducePartition) {
        List<String> locations = layout.mapOutputsOf(shuffle);
        byte[][] buckets = new byte[locations.size()][];
        // One request per peer, carrying all the map partitions it holds.
        Map<String, List<Integer>> byPeer = new LinkedHashMap<>();
        for (int m = 0; m < locations.size(); m++) {
            String at = locations.get(m);
            if (at.equals(selfAddress)) {
                buckets[m] = localShuffles.bucket(new ShuffleStore.Key(job, layout.batchTimeMs(), shuffle, m), reducePartition);
            } else {
                byPeer.computeIfAbsent(at, a -> new ArrayList<>()).add(m);
            }
        }
        byPeer.forEach((peer, maps) -> fetcher.fetchShuffle(peer, job, layout.batchTimeMs(), shuffle, reducePartition, maps)
                .forEach((m, bytes) -> buckets[m] = bytes));
        return RecordCodec.iterate(List.of(buckets));
    }

    @Override
    public Iterator<Object> readCached(int node, long timeMs, int partition) {
        String at = layout.cachedOf(node, timeMs).get(partition);
        byte[] records;
        if (at.equals(selfAddress)) {
            records = localCaches.get(new CacheStore.Key(job, node, timeMs, partition));
        } else if (at.equals(CheckpointFiles.LOCATION)) {
            records = CheckpointFiles.read(checkpointDirectory, job, node, timeMs, partition);
        } else {
            records = fetcher.fetchCached(at, job, node, timeMs, partition);
        }
        return new RecordReader(records);
    }
}
