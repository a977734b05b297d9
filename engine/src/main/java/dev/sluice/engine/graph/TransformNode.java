package dev.sluice.engine.graph;

import dev.sluice.api.Batch;
import dev.sluice.api.MultiBatchTransform;
import dev.sluice.engine.batch.LocalBatch;
import dev.sluice.engine.exec.TaskContext;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * transform: a user function from whole batches of its parents to a new batch. The
 * parents are persisted; one task gathers every kept partition of each, hands them to
 * the function as {@link Batch}es, and its result is this node's batch, in one partition.
 */
public final class TransformNode extends Node {

    private final String operator;
    private final MultiBatchTransform<Object> f;
    private final int defaultParallelism;

    public TransformNode(int id, String operator, List<Node> parents, MultiBatchTransform<Object> f, int defaultParallelism) {
        super(id, parents);
        DefinitionRules.requireSameSlide(operator, parents);
        this.operator = operator;
        this.f = f;
        this.defaultParallelism = defaultParallelism;
    }

    @Override
    public List<Node> narrowParents() {
        return List.of();
    }

    @Override
    public List<Node> cacheReads() {
        return parents();
    }

    @Override
    public int numPartitions(BatchLayout layout, long timeMs) {
        return 1;
    }

    @Override
    public Iterator<Object> compute(int partition, long timeMs, TaskContext ctx) {
        List<Batch<?>> batches = new ArrayList<>(parents().size());
        for (Node parent : parents()) {
            int n = ctx.layout().cachedOf(parent.id(), timeMs).size();
            List<List<Object>> partitions = new ArrayList<>(n);
            for (int p = 0; p < n; p++) {
                List<Object> records = new ArrayList<>();
                ctx.readCached(parent.id(), timeMs, p).forEachRemaining(records::add);
                partitions.add(records);
            }
            batches.add(new LocalBatch<>(partitions, defaultParallelism));
        }
        Batch<Object> result = f.apply(batches, timeMs);
        if (result == null) {
            throw new IllegalStateException(operator + ": the function returned null for batch " + timeMs
                    + "; return an empty batch instead (e.g. batch.filter(x -> false))");
        }
        return result.collect().iterator();
    }

    @Override
    public String describe() {
        return operator;
    }
}
