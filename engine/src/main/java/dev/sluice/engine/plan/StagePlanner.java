package dev.sluice.engine.plan;

import dev.sluice.engine.graph.JobGraph;
import dev.sluice.engine.graph.Node;
import dev.sluice.engine.graph.SourceNode;
import dev.sluice.engine.output.OutputOperation;
import dev.sluice.engine.shuffle.ShuffleDependency;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Cuts a job graph into stages, as Spark's DAGScheduler does: at every shuffle (one
 * shuffle-map stage per shuffle) and at every persisted node (one persist stage that
 * computes and keeps it each batch), with one result stage per output operation. Narrow
 * operators between cuts are fused into their stage. Stages are shared by every stage
 * that needs them.
 */
public final class StagePlanner {

    private final List<Stage> stages = new ArrayList<>();
    private final Map<Integer, Integer> mapStageByShuffle = new HashMap<>();
    private final Map<Integer, Integer> persistStageByNode = new HashMap<>();

    private StagePlanner() {
    }

    /** Plans {@code graph}. */
    public static ExecutionPlan plan(JobGraph graph) {
        StagePlanner planner = new StagePlanner();
        for (OutputOperation output : graph.outputs()) {
            planner.newStage(Stage.Kind.RESULT, output.stream(), null, output);
        }
        Map<Integer, Long> retention = retention(graph);
        return new ExecutionPlan(planner.stages, retention,
                new InputRetention(planner.stages, planner.persistStageByNode).compute(retention) + graph.batchIntervalMs());
    }

    private int mapStage(ShuffleDependency dep) {
        Integer existing = mapStageByShuffle.get(dep.id());
        if (existing != null) {
            return existing;
        }
        int id = newStage(Stage.Kind.SHUFFLE_MAP, dep.parent(), dep, null);
        mapStageByShuffle.put(dep.id(), id);
        return id;
    }

    private int persistStage(Node node) {
        Integer existing = persistStageByNode.get(node.id());
        if (existing != null) {
            return existing;
        }
        int id = newStage(Stage.Kind.PERSIST, node, null, null);
        persistStageByNode.put(node.id(), id);
        return id;
    }

    private int newStage(Stage.Kind kind, Node finalNode, ShuffleDependency writes, OutputOperation output) {
        Set<Integer> parents = new TreeSet<>();
        Set<Integer> sources = new TreeSet<>();
        Set<Integer> seen = new HashSet<>();
        List<Node> nodes = new ArrayList<>();
        Deque<Node> todo = new ArrayDeque<>();
        todo.push(finalNode);
        while (!todo.isEmpty()) {
            Node n = todo.pop();
            if (!seen.add(n.id())) {
                continue;
            }
            if (n.persisted() && (n != finalNode || kind != Stage.Kind.PERSIST)) {
                // Kept partitions are read, not recomputed: the persist stage is a parent.
                parents.add(persistStage(n));
                continue;
            }
            nodes.add(n);
            for (ShuffleDependency dep : n.shuffleDependencies()) {
                parents.add(mapStage(dep));
            }
            for (Node read : n.cacheReads()) {
                if (read != n) {
                    parents.add(persistStage(read));
                }
            }
            if (n instanceof SourceNode) {
                sources.add(n.id());
            }
            n.narrowParents().forEach(todo::push);
        }
        // Parent stages were created by the recursion above, so they get the smaller ids.
        Stage stage = new Stage(stages.size(), kind, finalNode, writes, output, new ArrayList<>(parents), new ArrayList<>(sources), nodes);
        stages.add(stage);
        return stage.id();
    }

    /** For each persisted node, the furthest back any node reads its kept partitions. */
    private static Map<Integer, Long> retention(JobGraph graph) {
        Map<Integer, Long> retention = new HashMap<>();
        for (Node n : graph.nodes()) {
            if (n.persisted()) {
                retention.merge(n.id(), graph.rememberMs(), Math::max);
            }
            for (Node read : n.cacheReads()) {
                retention.merge(read.id(), n.lookbackMs(read), Math::max);
            }
        }
        return retention;
    }
}
