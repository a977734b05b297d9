package dev.sluice.engine.graph;

import dev.sluice.api.Pair;
import dev.sluice.engine.exec.TaskContext;
import dev.sluice.engine.shuffle.HashPartitioner;
import dev.sluice.engine.shuffle.ShuffleDependency;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reduce side of two shuffles by the same partitioner: for every key of either
 * stream in the batch, the pair (values of the first, values of the second). join and
 * the outer joins are a function of this, as in Spark.
 */
public final class CoGroupedNode extends Node {

    private final String operator;
    private final List<ShuffleDependency> dependencies;
    private final HashPartitioner partitioner;

    public CoGroupedNode(int id, int firstShuffleId, String operator, Node left, Node right, int numPartitions) {
        super(id, List.of(left, right));
        DefinitionRules.requireSameSlide(operator, List.of(left, right));
        this.operator = operator;
        this.partitioner = new HashPartitioner(DefinitionRules.requirePartitions(operator, numPartitions));
        this.dependencies = List.of(
                new ShuffleDependency(firstShuffleId, operator, left, null, partitioner),
                new ShuffleDependency(firstShuffleId + 1, operator, right, null, partitioner));
    }

    @Override
    public HashPartitioner partitioner() {
        return partitioner;
    }

    @Override
    public List<Node> narrowParents() {
        return List.of();
    }

    @Override
    public List<ShuffleDependency> shuffleDependencies() {
        return dependencies;
    }

    @Override
    public int numPartitions(BatchLayout layout, long timeMs) {
        return partitioner.numPartitions();
    }

    @Override
    @SuppressWarnings("unchecked")
    public Iterator<Object> compute(int partition, long timeMs, TaskContext ctx) {
        Map<Object, List<Object>[]> groups = new LinkedHashMap<>();
        for (int side = 0; side < 2; side++) {
            Iterator<Object> in = ctx.readShuffle(dependencies.get(side).id(), partition);
            while (in.hasNext()) {
                Pair<?, ?> kv = (Pair<?, ?>) in.next();
                groups.computeIfAbsent(kv.first(), k -> new List[] {new ArrayList<>(), new ArrayList<>()})[side]
                        .add(kv.second());
            }
        }
        List<Object> out = new ArrayList<>(groups.size());
        groups.forEach((k, lists) -> out.add(Pair.of(k, Pair.of(lists[0], lists[1]))));
        return out.iterator();
    }

    @Override
    public String describe() {
        return operator + "(partitions=" + partitioner.numPartitions() + ")";
    }
}
