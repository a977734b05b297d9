package dev.sluice.coordinator.job;

import dev.sluice.engine.graph.FileSourceNode;
import dev.sluice.engine.graph.InputSplit;
import dev.sluice.engine.graph.JobGraph;
import dev.sluice.engine.graph.QueueSourceNode;
import dev.sluice.engine.graph.SocketSourceNode;
import dev.sluice.engine.graph.SourceNode;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Decides what each source of a job contributes to a batch at the moment the batch is cut. */
public final class BatchInputs {

    private final JobGraph graph;
    private final long zeroTimeMs;
    private final ReceivedBlockTracker blocks = new ReceivedBlockTracker();
    private final Map<Integer, FileArrivals> files = new HashMap<>();

    public BatchInputs(JobGraph graph, long zeroTimeMs) {
        this.graph = graph;
        this.zeroTimeMs = zeroTimeMs;
        for (SourceNode s : graph.sources()) {
            if (s instanceof FileSourceNode f) {
                files.put(f.id(), new FileArrivals(f.directory(), zeroTimeMs));
            }
        }
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
        if (source instanceof SocketSourceNode) {
            return blocks.allocate(source.id());
        }
        if (source instanceof FileSourceNode) {
            return files.get(source.id()).take(batchTimeMs);
        }
        if (source instanceof QueueSourceNode q) {
            int index = (int) ((batchTimeMs - zeroTimeMs) / graph.batchIntervalMs());
            return q.splits(index, graph.defaultParallelism());
        }
        throw new IllegalStateException("no way to cut input for " + source.describe());
    }
}
