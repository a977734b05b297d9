package dev.sluice.engine.plan;

import dev.sluice.engine.graph.JobGraph;
import dev.sluice.engine.graph.Node;
import dev.sluice.engine.graph.ShuffledNode;
import dev.sluice.engine.graph.SourceNode;
import dev.sluice.engine.output.OutputOperation;

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
 * Cuts a job graph into stages at its shuffles, as Spark's DAGScheduler does: one
 * shuffle-map stage per shuffle (shared by every output that needs it) and one result
 * stage per output operation. Narrow operators between cuts are fused into their stage.
 */
public final class StagePlanner {

    private final List<Stage> stages = new ArrayList<>();
    private final Map<Integer, Integer> mapStageByShuffle = new HashMap<>();

    private StagePlanner() {
    }

    /** Plans {@code graph}. */
    public static ExecutionPlan plan(JobGraph graph) {
        StagePlanner planner = new StagePlanner();
        for (OutputOperation output : graph.outputs()) {
            planner.newStage(output.stream(), null, output);
        }
        return new ExecutionPlan(planner.stages);
    }

    private int mapStage(ShuffledNode shuffle) {
        Integer existing = mapStageByShuffle.get(shuffle.id());
        if (existing != null) {
            return existing;
        }
        int id = newStage(shuffle.parents().get(0), shuffle, null);
        mapStageByShuffle.put(shuffle.id(), id);
        return id;
    }

    private int newStage(Node finalNode, ShuffledNode writes, OutputOperation output) {
        Set<Integer> parents = new TreeSet<>();
        Set<Integer> sources = new TreeSet<>();
        Set<Integer> seen = new HashSet<>();
        Deque<Node> todo = new ArrayDeque<>();
        todo.push(finalNode);
        while (!todo.isEmpty()) {
            Node n = todo.pop();
            if (!seen.add(n.id())) {
                continue;
            }
            if (n instanceof ShuffledNode shuffle) {
                // The reduce side runs here; its map side is a parent stage.
                parents.add(mapStage(shuffle));
            } else {
                if (n instanceof SourceNode) {
                    sources.add(n.id());
                }
                n.parents().forEach(todo::push);
            }
        }
        // Parent stages were created by the recursion above, so they get the smaller ids.
        Stage stage = new Stage(stages.size(), finalNode, writes, output, new ArrayList<>(parents), new ArrayList<>(sources));
        stages.add(stage);
        return stage.id();
    }
}
