package dev.sluice.engine.exec;

import dev.sluice.engine.cache.CacheStore;
import dev.sluice.engine.codec.RecordCodec;
import dev.sluice.engine.codec.RecordReader;
import dev.sluice.engine.graph.BatchLayout;
import dev.sluice.engine.graph.InputSplit;
import dev.sluice.engine.graph.JobGraph;
import dev.sluice.engine.plan.ExecutionPlan;
import dev.sluice.engine.shuffle.ShuffleStore;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Several in-process places to run tasks, each with its own shuffle and cache stores, as
 * workers have. A place can die: its stores are gone, reading from it fails as a fetch
 * from a dead worker does, and no task runs there again. Tasks run one at a time, whichever
 * thread launches them.
 */
final class Places implements TaskLauncher {

    private final String job;
    private final JobGraph graph;
    private final Map<String, TaskRunner> runners = new LinkedHashMap<>();
    private final Map<String, ShuffleStore> shuffles = new LinkedHashMap<>();
    private final Map<String, CacheStore> caches = new LinkedHashMap<>();
    private final Set<String> dead = new HashSet<>();
    private final Set<String> retired = new HashSet<>();
    private final HeldTasks held = new HeldTasks();
    private boolean preplaces = true;
    int recomputations;
    int copies;
    private int launched;
    private int killAt = -1;
    private String killAtPlace;
    int checkpointReads;

    Places(String job, JobGraph graph, String... names) {
        this.job = job;
        this.graph = graph;
        for (String name : names) {
            shuffles.put(name, new ShuffleStore());
            caches.put(name, new CacheStore());
            runners.put(name, new TaskRunner(graph, shuffles.get(name), caches.get(name)));
        }
    }

    ExecutionPlan plan() {
        return runners.values().iterator().next().plan();
    }

    /** Takes no more tasks to {@code place}, which still serves what it holds: a draining worker. */
    synchronized void retire(String place) {
        retired.add(place);
    }

    /** Launches every stage once its map stages are done, as launchers that do not place ahead do. */
    Places launchingOnlyWhenReady() {
        preplaces = false;
        return this;
    }

    @Override
    public boolean preplaces() {
        return preplaces;
    }

    @Override
    public CompletableFuture<TaskOutcome> preplace(TaskSpec task, Set<Integer> awaited) {
        return held.launchWhenReady(task, awaited, this);
    }

    @Override
    public void shuffleReady(String job, long batchTimeMs, int stage, int shuffle, List<String> locations) {
        held.ready(job, batchTimeMs, stage, shuffle, locations);
    }

    @Override
    public void stageOver(String job, long batchTimeMs, int stage) {
        held.stageOver(job, batchTimeMs, stage);
    }

    /** Kills {@code place} with everything it held. */
    synchronized void kill(String place) {
        dead.add(place);
        shuffles.get(place).dropThrough(job, Long.MAX_VALUE);
        caches.get(place).dropExpired(job, Long.MAX_VALUE, Map.of());
    }

    /** Kills {@code place} just before task number {@code launch} (counted from the start) runs. */
    synchronized void killAtLaunch(String place, int launch) {
        killAtPlace = place;
        killAt = launch;
    }

    /** What workers do when a batch is done: drop its shuffle output and the kept partitions no batch reads again. */
    synchronized void batchDone(long batchTimeMs, Map<Integer, Long> retentionMs) {
        shuffles.values().forEach(s -> s.dropThrough(job, batchTimeMs));
        caches.values().forEach(c -> c.dropExpired(job, batchTimeMs, retentionMs));
    }

    @Override
    public synchronized CompletableFuture<TaskOutcome> launch(TaskSpec task) {
        // As workers do when they decode an assignment.
        task.layout().cached().keySet().forEach(k -> {
            if (k.timeMs() > task.batchTimeMs()) {
                throw new IllegalArgumentException("task " + task.name() + " lists kept batch " + k + ", later than its own");
            }
        });
        if (launched == killAt) {
            kill(killAtPlace);
        }
        if (task.attempt() >= 400) {
            copies++;
        } else if (task.attempt() >= 100) {
            recomputations++;
        }
        List<String> alive = runners.keySet().stream().filter(p -> !dead.contains(p) && !retired.contains(p)).toList();
        String place = alive.get(launched++ % alive.size());
        try {
            byte[] result = runners.get(place).run(task, new Context(task.layout()));
            return CompletableFuture.completedFuture(new TaskOutcome(place, result));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e instanceof FetchFailedException ? e
                    : new TaskFailedException(e.toString(), e));
        }
    }

    private final class Context implements TaskContext {
        private final BatchLayout layout;

        Context(BatchLayout layout) {
            this.layout = layout;
        }

        @Override
        public BatchLayout layout() {
            return layout;
        }

        @Override
        public Iterator<Object> readBlock(InputSplit.Block block) {
            throw new IllegalStateException("no blocks here");
        }

        @Override
        public Iterator<Object> readShuffle(int shuffle, int reducePartition) {
            List<String> at = layout.mapOutputsOf(shuffle);
            List<byte[]> buckets = new ArrayList<>();
            for (int m = 0; m < at.size(); m++) {
                buckets.add(shuffles.get(alive(at.get(m))).bucket(
                        new ShuffleStore.Key(job, layout.batchTimeMs(), shuffle, m), reducePartition));
            }
            return RecordCodec.iterate(buckets);
        }

        @Override
        public Iterator<Object> readCached(int node, long timeMs, int partition) {
            String at = layout.cachedOf(node, timeMs).get(partition);
            if (at.equals(CheckpointFiles.LOCATION)) {
                checkpointReads++;
                return new RecordReader(CheckpointFiles.read(graph.checkpointDirectory(), job, node, timeMs, partition));
            }
            return new RecordReader(caches.get(alive(at)).get(new CacheStore.Key(job, node, timeMs, partition)));
        }

        private String alive(String place) {
            if (dead.contains(place)) {
                throw new FetchFailedException(place, place + " is gone");
            }
            return place;
        }
    }
}
