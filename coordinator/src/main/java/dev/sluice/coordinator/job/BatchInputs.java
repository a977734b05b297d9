package dev.sluice.coordinator.job;

import dev.sluice.engine.graph.DirectSourceNode;
import dev.sluice.engine.graph.FileSourceNode;
import dev.sluice.engine.graph.InputSplit;
import dev.sluice.engine.graph.JobGraph;
import dev.sluice.engine.graph.QueueSourceNode;
import dev.sluice.engine.graph.BlockSourceNode;
import dev.sluice.engine.graph.SourceNode;
import dev.sluice.engine.source.DirectSource;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Decides what each source of a job contributes to a batch at the moment the batch is cut. */
public final class BatchInputs {

    private static final Logger LOG = Logger.getLogger(BatchInputs.class.getName());

    private final JobGraph graph;
    private final long zeroTimeMs;
    private static final long REMEMBER_PROCESSED_MS = 10 * 60_000;

    private final ReceivedBlockTracker blocks = new ReceivedBlockTracker(REMEMBER_PROCESSED_MS);
    private final Map<Integer, FileArrivals> files = new HashMap<>();
    /** The job's direct sources (Kafka), by node: made at the first cut, once per job, closed by {@link #close}. */
    private final Map<Integer, DirectSource> direct = new ConcurrentHashMap<>();
    private final Map<Integer, Long> sourceErrors = new ConcurrentHashMap<>();
    private final Map<Integer, String> lastSourceError = new ConcurrentHashMap<>();
    private final String job;

    public BatchInputs(String job, JobGraph graph, long zeroTimeMs) {
        this.job = job;
        this.graph = graph;
        this.zeroTimeMs = zeroTimeMs;
        for (SourceNode s : graph.sources()) {
            if (s instanceof FileSourceNode f) {
                Path progress = Path.of(graph.checkpointDirectory(), job, "sources", "node-" + f.id() + ".files");
                files.put(f.id(), new FileArrivals(f.directory(), zeroTimeMs, progress));
            }
        }
    }

    /**
     * After a coordinator restart: the batch at {@code batchTimeMs} was cut with {@code splits}
     * before. Whatever they hold is never handed to a new batch again. Called in batch
     * order, before the first new cut.
     */
    public void recovered(long batchTimeMs, Map<Integer, List<InputSplit>> splits) {
        splits.forEach((node, list) -> {
            SourceNode source = (SourceNode) graph.node(node);
            if (source instanceof BlockSourceNode) {
                blocks.recovered(node, list, batchTimeMs);
            } else if (source instanceof FileSourceNode) {
                files.get(node).recovered(batchTimeMs, list);
            } else if (source instanceof DirectSourceNode d) {
                direct.computeIfAbsent(node, n -> d.createSource()).recovered(batchTimeMs, list);
            }
        });
    }

    /** Records that the batch at {@code batchTimeMs} and all before it are done. */
    public void completed(long batchTimeMs) {
        files.values().forEach(f -> f.completed(batchTimeMs));
        direct.forEach((node, source) -> {
            try {
                source.completed(batchTimeMs);
            } catch (RuntimeException e) {
                // The batch's outputs are done; the source commits a later batch's progress next time.
                sourceFailed(node, "cannot record batch " + batchTimeMs + " as done", e);
            }
        });
    }

    /**
     * How many times each source (by node id) failed to provide a batch's input or to record
     * a batch as done, since the job started: for metrics.
     */
    public Map<Integer, Long> sourceErrors() {
        return Map.copyOf(sourceErrors);
    }

    /** Closes the job's direct sources (their connections). */
    public void close() {
        direct.values().forEach(source -> {
            try {
                source.close();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "job " + job + ": closing " + source + " failed: " + e.getMessage(), e);
            }
        });
        direct.clear();
    }

    /** Where receivers' block reports for this job go. */
    public ReceivedBlockTracker blocks() {
        return blocks;
    }

    /** The splits of every source for the batch at {@code batchTimeMs}. */
    public Map<Integer, List<InputSplit>> cut(long batchTimeMs) {
        Map<Integer, List<InputSplit>> splits = new HashMap<>();
        for (SourceNode s : graph.sources()) {
            splits.put(s.id(), splitsOf(s, batchTimeMs));
        }
        return splits;
    }

    private List<InputSplit> splitsOf(SourceNode source, long batchTimeMs) {
        if (source instanceof BlockSourceNode) {
            return blocks.allocate(source.id(), batchTimeMs);
        }
        if (source instanceof FileSourceNode) {
            try {
                List<InputSplit> taken = files.get(source.id()).take(batchTimeMs);
                lastSourceError.remove(source.id());
                return taken;
            } catch (RuntimeException e) {
                sourceFailed(source.id(), "gives batch " + batchTimeMs + " no input", e);
                return List.of();
            }
        }
        if (source instanceof DirectSourceNode d) {
            return directSplits(d, batchTimeMs);
        }
        if (source instanceof QueueSourceNode q) {
            int index = (int) ((batchTimeMs - zeroTimeMs) / graph.batchIntervalMs());
            return q.splits(index, graph.defaultParallelism());
        }
        throw new IllegalStateException("no way to cut input for " + source.describe());
    }

    /**
     * The splits a direct source assigns to the batch. A source that fails (bad settings, a
     * broker that is down, a missing topic) gives this batch no input, is logged and counted,
     * and is asked again at the next cut, from where it was: the other sources go on.
     */
    private List<InputSplit> directSplits(DirectSourceNode node, long batchTimeMs) {
        try {
            DirectSource source = direct.get(node.id());
            if (source == null) {
                source = node.createSource();
                direct.put(node.id(), source);
            }
            List<InputSplit> splits = source.splitsFor(batchTimeMs, graph.batchIntervalMs());
            lastSourceError.remove(node.id());
            return splits;
        } catch (RuntimeException e) {
            sourceFailed(node.id(), "gives batch " + batchTimeMs + " no input", e);
            return List.of();
        }
    }

    private void sourceFailed(int node, String what, RuntimeException e) {
        sourceErrors.merge(node, 1L, Long::sum);
        String source = graph.node(node) instanceof DirectSourceNode d ? d.label() : graph.node(node).describe();
        String message = "job " + job + ": source #" + node + " " + source + " " + what + ": " + e.getMessage();
        // A source that stays broken fails every batch: logged once, counted every time.
        boolean repeated = String.valueOf(e.getMessage()).equals(lastSourceError.put(node, String.valueOf(e.getMessage())));
        if (repeated) {
            LOG.fine(() -> message + " (again)");
        } else {
            LOG.log(Level.WARNING, message, e);
        }
    }
}
