package dev.sluice.engine.exec;

import dev.sluice.engine.cache.CacheStore;
import dev.sluice.engine.graph.InputSplit;
import dev.sluice.engine.graph.JobGraph;
import dev.sluice.engine.graph.QueueSourceNode;
import dev.sluice.engine.graph.SourceNode;
import dev.sluice.engine.shuffle.ShuffleStore;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Runs a job in this process, one task at a time, with shuffle data and kept partitions
 * held in memory, still encoded as they would be between workers. Only queue streams can
 * feed it.
 */
public final class LocalRunner implements TaskLauncher {

    private static final String LOCATION = "local";

    private final String job;
    private final TaskRunner runner;
    private final BatchExecutor executor;
    private final ShuffleStore shuffles = new ShuffleStore();
    private final CacheStore caches = new CacheStore();
    private final HeldTasks held = new HeldTasks();
    private final int inputPartitions;

    /**
     * @param inputPartitions how many slices each queue batch is cut into
     */
    public LocalRunner(String job, JobGraph graph, int inputPartitions) {
        if (inputPartitions <= 0) {
            throw new IllegalArgumentException("number of input partitions must be positive, got " + inputPartitions);
        }
        this.job = job;
        this.runner = new TaskRunner(graph, shuffles, caches);
        this.executor = new BatchExecutor(job, graph, runner.plan(), this);
        this.inputPartitions = inputPartitions;
    }

    /** Runs batch {@code index} (1-based) at time {@code index × batchInterval}, zero time 0. */
    public void runBatch(int index) {
        JobGraph graph = runner.graph();
        Map<Integer, List<InputSplit>> splits = new HashMap<>();
        for (SourceNode source : graph.sources()) {
            if (!(source instanceof QueueSourceNode queue)) {
                throw new IllegalStateException(source.describe() + " cannot run in process: use queueStream input");
            }
            splits.put(source.id(), queue.splits(index, inputPartitions));
        }
        long time = index * graph.batchIntervalMs();
        try {
            executor.run(time, 0, splits);
        } finally {
            held.batchDone(job, time);
            shuffles.dropThrough(job, time);
            caches.dropExpired(job, time, runner.plan().retentionMs());
        }
    }

    /** The number of kept partitions held, for tests of retention. */
    public int keptPartitions() {
        return caches.size();
    }

    @Override
    public CompletableFuture<TaskOutcome> launch(TaskSpec task) {
        try {
            byte[] result = runner.run(task, new InProcessContext(job, task.layout(), shuffles, caches));
            return CompletableFuture.completedFuture(new TaskOutcome(LOCATION, result));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(new TaskFailedException("task " + task.name() + " failed: " + e, e));
        }
    }

    @Override
    public boolean preplaces() {
        return true;
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
}
