package dev.sluice.engine.graph;

import dev.sluice.engine.exec.TaskContext;

import java.util.Iterator;
import java.util.List;

/** The partitions of all parents, one after another: a narrow dependency, no data moves. */
public final class UnionNode extends Node {

    public UnionNode(int id, List<Node> parents) {
        super(id, parents);
        long slide = parents.get(0).slideMs();
        for (Node p : parents) {
            if (p.slideMs() != slide) {
                throw new IllegalArgumentException("union: all streams must have the same slide, but " + parents.get(0)
                        + " slides every " + slide + " ms and " + p + " every " + p.slideMs() + " ms");
            }
        }
    }

    @Override
    public int numPartitions(BatchLayout layout) {
        int n = 0;
        for (Node p : parents()) {
            n += p.numPartitions(layout);
        }
        return n;
    }

    @Override
    public Iterator<Object> compute(int partition, TaskContext ctx) {
        int rest = partition;
        for (Node p : parents()) {
            int n = p.numPartitions(ctx.layout());
            if (rest < n) {
                return p.compute(rest, ctx);
            }
            rest -= n;
        }
        throw new IndexOutOfBoundsException("union " + this + " has no partition " + partition);
    }

    @Override
    public String describe() {
        return "union";
    }
}
