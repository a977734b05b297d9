package dev.sluice.engine.graph;

import dev.sluice.engine.exec.TaskContext;
import dev.sluice.engine.shuffle.HashPartitioner;
import dev.sluice.engine.shuffle.ShuffleDependency;

import java.util.Iterator;
import java.util.List;

/**
 * One operator of a job graph, numbered in definition order. Like Spark's DStream
 * subclasses, each node says how to compute one partition of its batch at a given time
 * from its parents; the planner decides which nodes run together in a task.
 *
 * <p>A node reaches its parents in one of three ways: narrow parents are computed in the
 * same task ({@link TaskContext#iterator}); shuffle dependencies are read from the map
 * outputs of earlier stages; cache reads are partitions of persisted nodes that earlier
 * stages or earlier batches computed and kept on the workers.
 */
public abstract class Node {

    private final int id;
    private final List<Node> parents;
    private boolean persisted;
    private long checkpointIntervalMs;

    protected Node(int id, List<Node> parents) {
        this.id = id;
        this.parents = List.copyOf(parents);
    }

    /** The node's number, unique in its graph, in definition order. */
    public final int id() {
        return id;
    }

    /** Every node this one reads from, however. */
    public final List<Node> parents() {
        return parents;
    }

    /** The interval at which this node produces batches, in milliseconds. */
    public long slideMs() {
        return parents.get(0).slideMs();
    }

    /** How this node's output is partitioned by key, or {@code null} when it is not. */
    public HashPartitioner partitioner() {
        return null;
    }

    /** The parents computed in the same task as this node. */
    public List<Node> narrowParents() {
        return parents;
    }

    /** The shuffles whose reduce side this node reads. */
    public List<ShuffleDependency> shuffleDependencies() {
        return List.of();
    }

    /** The persisted nodes whose kept partitions this node reads (itself, for state of the previous batch). */
    public List<Node> cacheReads() {
        return List.of();
    }

    /** How far back before the current batch this node reads {@code persisted}'s kept partitions, in ms. */
    public long lookbackMs(Node persisted) {
        return 0;
    }

    /**
     * The batch times of {@code persisted}'s kept partitions this node reads to compute its
     * batch at {@code timeMs}: its own previous batch when it reads itself, else the batches
     * of {@code persisted} in (t − lookback, t], and at least the one at t. Recovery uses it
     * to restore exactly what a lost partition's recomputation reads.
     */
    public List<Long> cacheReadTimes(Node persisted, long timeMs, long zeroTimeMs) {
        if (persisted == this) {
            long previous = timeMs - slideMs();
            return previous > zeroTimeMs ? List.of(previous) : List.of();
        }
        long back = Math.max(lookbackMs(persisted), persisted.slideMs());
        return WindowNode.covered(persisted, timeMs - back, timeMs, zeroTimeMs);
    }

    /** Whether this node's partitions are kept on the workers once computed, and read from there. */
    public final boolean persisted() {
        return persisted;
    }

    final void persist() {
        persisted = true;
    }

    /** How often this node's kept partitions are also written to the checkpoint directory; 0 for never. */
    public final long checkpointIntervalMs() {
        return checkpointIntervalMs;
    }

    final void checkpointEvery(long intervalMs) {
        persist();
        checkpointIntervalMs = intervalMs;
    }

    /** Whether this node produces a batch at {@code timeMs}. */
    public final boolean firesAt(long timeMs, long zeroTimeMs) {
        return timeMs > zeroTimeMs && (timeMs - zeroTimeMs) % slideMs() == 0;
    }

    /** How many partitions this node has in its batch at {@code timeMs}. */
    public abstract int numPartitions(BatchLayout layout, long timeMs);

    /** Computes one partition of this node's batch at {@code timeMs}. */
    public abstract Iterator<Object> compute(int partition, long timeMs, TaskContext ctx);

    /** What this node is, for the graph fingerprint: operator name and parameters, no identities. */
    public abstract String describe();

    @Override
    public String toString() {
        return "#" + id + " " + describe();
    }
}
