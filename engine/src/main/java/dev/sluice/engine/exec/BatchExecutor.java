package dev.sluice.engine.exec;

import dev.sluice.engine.graph.BatchLayout;
import dev.sluice.engine.graph.InputSplit;
import dev.sluice.engine.graph.JobGraph;
import dev.sluice.engine.output.OutputOperation;
import dev.sluice.engine.plan.ExecutionPlan;
import dev.sluice.engine.plan.Stage;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Runs one batch of a job: for each output operation that fires at the batch's time, in
 * definition order, runs the stages it needs (each shuffle-map stage once per batch, even
 * when several outputs share it), then the output's result stage, then its
 * {@code finish} half here. Tasks go to a {@link TaskLauncher}.
 */
public final class BatchExecutor {

    private final String job;
    private final JobGraph graph;
    private final ExecutionPlan plan;
    private final TaskLauncher launcher;

    public BatchExecutor(String job, JobGraph graph, ExecutionPlan plan, TaskLauncher launcher) {
        this.job = job;
        this.graph = graph;
        this.plan = plan;
        this.launcher = launcher;
    }

    /**
     * Runs the batch at {@code batchTimeMs} over the given source splits.
     *
     * @return the number of tasks that ran
     * @throws TaskFailedException when a task failed past its retries
     * @throws OutputFailedException when an output operation's finish half failed
     */
    public int run(long batchTimeMs, long zeroTimeMs, Map<Integer, List<InputSplit>> splits) {
        Run run = new Run(new BatchLayout(batchTimeMs, splits, Map.of()));
        for (OutputOperation output : graph.outputs()) {
            if (!output.firesAt(batchTimeMs, zeroTimeMs)) {
                continue;
            }
            List<TaskOutcome> outcomes = run.stage(plan.resultStage(output.index()));
            List<byte[]> results = new ArrayList<>(outcomes.size());
            outcomes.forEach(o -> results.add(o.result()));
            try {
                output.finish(batchTimeMs, results);
            } catch (Exception e) {
                throw new OutputFailedException(output.describe() + " failed for batch " + batchTimeMs + ": " + e, e);
            }
        }
        return run.tasks;
    }

    /** The state of one batch's run: the layout as map outputs land, and which stages are done. */
    private final class Run {
        private BatchLayout layout;
        private final Map<Integer, List<TaskOutcome>> done = new HashMap<>();
        private int tasks;

        Run(BatchLayout layout) {
            this.layout = layout;
        }

        List<TaskOutcome> stage(Stage stage) {
            List<TaskOutcome> cached = done.get(stage.id());
            if (cached != null) {
                return cached;
            }
            for (int parent : stage.parents()) {
                stage(plan.stage(parent));
            }
            int n = stage.finalNode().numPartitions(layout);
            List<CompletableFuture<TaskOutcome>> futures = new ArrayList<>(n);
            for (int p = 0; p < n; p++) {
                futures.add(launcher.launch(new TaskSpec(job, graph.fingerprint(), stage.id(), p, 0, layout)));
            }
            tasks += n;
            List<TaskOutcome> outcomes = new ArrayList<>(n);
            for (CompletableFuture<TaskOutcome> f : futures) {
                outcomes.add(join(f));
            }
            if (stage.isShuffleMap()) {
                Map<Integer, List<String>> mapOutputs = new HashMap<>(layout.mapOutputs());
                mapOutputs.put(stage.writes().id(), outcomes.stream().map(TaskOutcome::location).toList());
                layout = new BatchLayout(layout.batchTimeMs(), layout.splits(), mapOutputs);
            }
            done.put(stage.id(), outcomes);
            return outcomes;
        }
    }

    private static TaskOutcome join(CompletableFuture<TaskOutcome> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof TaskFailedException tfe) {
                throw tfe;
            }
            throw new TaskFailedException(String.valueOf(cause), cause);
        }
    }
}
