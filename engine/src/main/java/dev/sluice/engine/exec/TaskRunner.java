package dev.sluice.engine.exec;

import dev.sluice.engine.cache.CacheStore;
import dev.sluice.engine.codec.RecordCodec;
import dev.sluice.engine.graph.JobGraph;
import dev.sluice.engine.graph.Node;
import dev.sluice.engine.plan.ExecutionPlan;
import dev.sluice.engine.plan.Stage;
import dev.sluice.engine.plan.StagePlanner;
import dev.sluice.engine.shuffle.ShuffleStore;
import dev.sluice.engine.shuffle.ShuffleWriter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;

/**
 * Runs tasks of one job graph in one process: pulls the stage's final node's partition
 * through the fused narrow operators, then writes shuffle buckets, keeps the partition
 * (and checkpoints it when due), or runs the output operation's task half. The same
 * code runs in {@code StreamTest} and on workers.
 */
public final class TaskRunner {

    private static final byte[] NO_RESULT = new byte[0];

    private final JobGraph graph;
    private final ExecutionPlan plan;
    private final ShuffleStore shuffles;
    private final CacheStore caches;

    public TaskRunner(JobGraph graph, ShuffleStore shuffles, CacheStore caches) {
        this.graph = graph;
        this.plan = StagePlanner.plan(graph);
        this.shuffles = shuffles;
        this.caches = caches;
    }

    public JobGraph graph() {
        return graph;
    }

    public ExecutionPlan plan() {
        return plan;
    }

    /**
     * Runs {@code task}.
     *
     * @return the output operation's task result; empty for shuffle-map and persist tasks
     * @throws IllegalArgumentException when the task was planned from a different graph
     */
    public byte[] run(TaskSpec task, TaskContext ctx) {
        if (!graph.fingerprint().equals(task.fingerprint())) {
            throw new IllegalArgumentException("task " + task.name() + " was planned for graph " + task.fingerprint()
                    + " but this process defined job " + task.job() + " as graph " + graph.fingerprint()
                    + ": the job's code or arguments differ between processes");
        }
        Stage stage = plan.stage(task.stage());
        Node node = stage.finalNode();
        long time = task.batchTimeMs();
        int partition = task.partition();
        switch (stage.kind()) {
            case SHUFFLE_MAP -> {
                byte[][] buckets = ShuffleWriter.write(cancellable(ctx.iterator(node, time, partition), task), stage.writes());
                shuffles.put(new ShuffleStore.Key(task.job(), time, stage.writes().id(), partition), buckets);
                return NO_RESULT;
            }
            case PERSIST -> {
                // Read rather than computed when the layout names where it is kept: a copy off a
                // worker that is leaving.
                byte[] records = RecordCodec.encode(cancellable(ctx.iterator(node, time, partition), task));
                caches.put(new CacheStore.Key(task.job(), node.id(), time, partition), records);
                long every = node.checkpointIntervalMs();
                if (every > 0 && (time - task.layout().zeroTimeMs()) % every == 0) {
                    checkpoint(task.job(), node, time, partition, records);
                }
                return NO_RESULT;
            }
            case RESULT -> {
                Iterator<Object> records = cancellable(ctx.iterator(node, time, partition), task);
                return stage.output().runTask(records, time, partition);
            }
        }
        throw new IllegalStateException("unknown stage kind " + stage.kind());
    }

    /**
     * {@code records}, stopping with {@link TaskCancelledException} once the running thread
     * is interrupted — how a worker cancels an attempt that lost to a copy. Checked every
     * 256 records, so the check costs nothing measurable.
     */
    private static Iterator<Object> cancellable(Iterator<Object> records, TaskSpec task) {
        return new Iterator<>() {
            private int n;

            @Override
            public boolean hasNext() {
                if ((++n & 0xFF) == 0 && Thread.currentThread().isInterrupted()) {
                    throw new TaskCancelledException("task " + task.name() + " was cancelled: another attempt won");
                }
                return records.hasNext();
            }

            @Override
            public Object next() {
                return records.next();
            }
        };
    }

    /** Writes a kept partition to the checkpoint directory, atomically, so lineage stays bounded. */
    private void checkpoint(String job, Node node, long time, int partition, byte[] records) {
        Path part = CheckpointFiles.partFile(graph.checkpointDirectory(), job, node.id(), time, partition);
        Path dir = part.getParent();
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "." + part.getFileName() + "-", ".tmp");
            Files.write(tmp, records);
            Files.move(tmp, part, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot checkpoint node " + node + " of job " + job + " at " + time + " to " + part, e);
        }
    }
}
