package dev.sluice.engine.graph;

import dev.sluice.engine.exec.TaskContext;

import java.util.Iterator;
import java.util.List;

/**
 * One operator of a job graph, numbered in definition order. Like Spark's DStream
 * subclasses, each node says how to compute one partition of one batch from its
 * parents; the planner decides which nodes run together in a task.
 */
public abstract class Node {

    private final int id;
    private final List<Node> parents;

    protected Node(int id, List<Node> parents) {
        this.id = id;
        this.parents = List.copyOf(parents);
    }

    /** The node's number, unique in its graph, in definition order. */
    public final int id() {
        return id;
    }

    /** The nodes this one reads from. */
    public final List<Node> parents() {
        return parents;
    }

    /** The interval at which this node produces batches, in milliseconds. */
    public long slideMs() {
        return parents.get(0).slideMs();
    }

    /** How many partitions this node has in the batch described by {@code ctx}. */
    public abstract int numPartitions(BatchLayout layout);

    /** Computes one partition of the batch described by {@code ctx}. */
    public abstract Iterator<Object> compute(int partition, TaskContext ctx);

    /** What this node is, for the graph fingerprint: operator name and parameters, no identities. */
    public abstract String describe();

    @Override
    public String toString() {
        return "#" + id + " " + describe();
    }
}
