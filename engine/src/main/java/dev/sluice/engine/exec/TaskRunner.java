package dev.sluice.engine.exec;

import dev.sluice.engine.graph.JobGraph;
import dev.sluice.engine.graph.ShuffledNode;
import dev.sluice.engine.plan.ExecutionPlan;
import dev.sluice.engine.plan.Stage;
import dev.sluice.engine.plan.StagePlanner;
import dev.sluice.engine.shuffle.ShuffleStore;
import dev.sluice.engine.shuffle.ShuffleWriter;

import java.util.Iterator;

/**
 * Runs tasks of one job graph: pulls the stage's final node's partition through the
 * fused narrow operators, then either writes shuffle buckets or runs the output
 * operation's task half. The same code runs in {@code StreamTest} and on workers.
 */
public final class TaskRunner {

    private static final byte[] NO_RESULT = new byte[0];

    private final JobGraph graph;
    private final ExecutionPlan plan;

    public TaskRunner(JobGraph graph) {
        this.graph = graph;
        this.plan = StagePlanner.plan(graph);
    }

    public JobGraph graph() {
        return graph;
    }

    public ExecutionPlan plan() {
        return plan;
    }

    /**
     * Runs {@code task}, storing any shuffle output in {@code shuffles}.
     *
     * @return the output operation's task result, empty for shuffle-map tasks
     * @throws IllegalArgumentException when the task was planned from a different graph
     */
    public byte[] run(TaskSpec task, TaskContext ctx, ShuffleStore shuffles) {
        if (!graph.fingerprint().equals(task.fingerprint())) {
            throw new IllegalArgumentException("task " + task.name() + " was planned for graph " + task.fingerprint()
                    + " but this process defined job " + task.job() + " as graph " + graph.fingerprint()
                    + ": the job's code or arguments differ between processes");
        }
        Stage stage = plan.stage(task.stage());
        Iterator<Object> records = stage.finalNode().compute(task.partition(), ctx);
        if (stage.isShuffleMap()) {
            ShuffledNode shuffle = stage.writes();
            byte[][] buckets = ShuffleWriter.write(records, shuffle.aggregator(), shuffle.partitioner());
            shuffles.put(new ShuffleStore.Key(task.job(), task.batchTimeMs(), shuffle.id(), task.partition()), buckets);
            return NO_RESULT;
        }
        return stage.output().runTask(records, task.batchTimeMs(), task.partition());
    }
}
