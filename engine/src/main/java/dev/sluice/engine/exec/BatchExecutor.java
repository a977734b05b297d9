package dev.sluice.engine.exec;

import dev.sluice.engine.graph.BatchLayout;
import dev.sluice.engine.graph.InputSplit;
import dev.sluice.engine.graph.JobGraph;
import dev.sluice.engine.graph.Node;
import dev.sluice.engine.output.OutputOperation;
import dev.sluice.engine.plan.ExecutionPlan;
import dev.sluice.engine.plan.Stage;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.logging.Logger;

/**
 * Runs the batches of one job, one at a time. In each batch it first keeps every
 * persisted node that produces a batch at that time (window input, state, cached
 * streams), then, for each output operation that fires, in definition order, runs the
 * stages it needs and its result stage, then its {@code finish} half here. Each stage
 * runs at most once per batch. Tasks go to a {@link TaskLauncher}; where kept partitions
 * live is remembered across batches for as long as later batches may read them.
 */
public final class BatchExecutor {

    private static final Logger LOG = Logger.getLogger(BatchExecutor.class.getName());
    private static final int MAX_FETCH_ROUNDS = 3;
    // Attempt numbers of a recomputation round start here, clear of the scheduler's retries.
    private static final int RETRY_ATTEMPTS = 100;

    private final String job;
    private final JobGraph graph;
    private final ExecutionPlan plan;
    private final TaskLauncher launcher;
    private final Map<BatchLayout.CachedBatch, List<String>> kept = new HashMap<>();

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
        Run run;
        synchronized (kept) {
            run = new Run(new BatchLayout(batchTimeMs, zeroTimeMs, splits, Map.of(), kept));
        }
        try {
            for (Stage persist : plan.persistStages()) {
                if (persist.finalNode().firesAt(batchTimeMs, zeroTimeMs)) {
                    run.stage(persist);
                }
            }
            for (OutputOperation output : graph.outputs()) {
                if (!output.stream().firesAt(batchTimeMs, zeroTimeMs)) {
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
            pruneCheckpoints(batchTimeMs, zeroTimeMs);
        } finally {
            forgetExpired(batchTimeMs);
        }
        return run.tasks;
    }

    /** Once a batch that checkpointed a node is done, that node's older checkpoints but one can go. */
    private void pruneCheckpoints(long batchTimeMs, long zeroTimeMs) {
        for (Stage persist : plan.persistStages()) {
            Node node = persist.finalNode();
            long every = node.checkpointIntervalMs();
            if (every > 0 && node.firesAt(batchTimeMs, zeroTimeMs) && (batchTimeMs - zeroTimeMs) % every == 0) {
                CheckpointFiles.prune(graph.checkpointDirectory(), job, node.id(), batchTimeMs - every);
            }
        }
    }

    private void forgetExpired(long doneTimeMs) {
        synchronized (kept) {
            kept.keySet().removeIf(k -> k.timeMs() <= doneTimeMs - plan.retentionMs().getOrDefault(k.node(), 0L));
        }
    }

    /** The state of one batch's run: the layout as outputs land, and which stages are done. */
    private final class Run {
        private BatchLayout layout;
        private final Map<Integer, List<TaskOutcome>> done = new HashMap<>();
        private int tasks;

        Run(BatchLayout layout) {
            this.layout = layout;
        }

        /**
         * Runs {@code partitions} of {@code stage}. A task that finds shuffle output lost (its
         * worker died) has that output recomputed and runs again, a few rounds at most.
         */
        private List<TaskOutcome> runPartitions(Stage stage, List<Integer> partitions, int round) {
            List<CompletableFuture<TaskOutcome>> futures = new ArrayList<>(partitions.size());
            for (int p : partitions) {
                futures.add(launcher.launch(new TaskSpec(job, graph.fingerprint(), stage.id(), p, round * RETRY_ATTEMPTS, layout)));
            }
            tasks += partitions.size();
            List<TaskOutcome> outcomes = new ArrayList<>(partitions.size());
            List<Integer> again = new ArrayList<>();
            Set<String> lost = new HashSet<>();
            for (int i = 0; i < futures.size(); i++) {
                try {
                    outcomes.add(join(futures.get(i)));
                } catch (FetchFailedLater e) {
                    if (round >= MAX_FETCH_ROUNDS) {
                        throw new TaskFailedException("task " + stage + " partition " + partitions.get(i)
                                + " still finds shuffle output lost after " + round + " recomputations: " + e.getMessage(), e);
                    }
                    outcomes.add(null);
                    again.add(i);
                    lost.add(e.location);
                }
            }
            if (!again.isEmpty()) {
                recomputeLostShuffleOutput(lost, round + 1);
                List<Integer> retry = again.stream().map(partitions::get).toList();
                List<TaskOutcome> redone = runPartitions(stage, retry, round + 1);
                for (int k = 0; k < again.size(); k++) {
                    outcomes.set(again.get(k), redone.get(k));
                }
            }
            return outcomes;
        }

        /** Runs again, elsewhere, every map task of this batch whose output was at a lost location. */
        private void recomputeLostShuffleOutput(Set<String> lost, int round) {
            for (Map.Entry<Integer, List<String>> e : new HashMap<>(layout.mapOutputs()).entrySet()) {
                List<Integer> gone = new ArrayList<>();
                for (int m = 0; m < e.getValue().size(); m++) {
                    if (lost.contains(e.getValue().get(m))) {
                        gone.add(m);
                    }
                }
                if (gone.isEmpty()) {
                    continue;
                }
                LOG.warning(() -> "batch " + layout.batchTimeMs() + ": map outputs " + gone + " of shuffle " + e.getKey()
                        + " were lost with " + lost + "; recomputing them");
                List<TaskOutcome> redone = runPartitions(plan.mapStage(e.getKey()), gone, round);
                List<String> locations = new ArrayList<>(layout.mapOutputsOf(e.getKey()));
                for (int k = 0; k < gone.size(); k++) {
                    locations.set(gone.get(k), redone.get(k).location());
                }
                layout = layout.withMapOutputs(e.getKey(), locations);
            }
        }

        List<TaskOutcome> stage(Stage stage) {
            List<TaskOutcome> cached = done.get(stage.id());
            if (cached != null) {
                return cached;
            }
            for (int parent : stage.parents()) {
                stage(plan.stage(parent));
            }
            Node node = stage.finalNode();
            long time = layout.batchTimeMs();
            int n = stage.kind() == Stage.Kind.PERSIST ? node.numPartitions(layout, time) : layout.partitions(node, time);
            List<TaskOutcome> outcomes = runPartitions(stage, allPartitions(n), 0);
            List<String> locations = outcomes.stream().map(TaskOutcome::location).toList();
            switch (stage.kind()) {
                case SHUFFLE_MAP -> layout = layout.withMapOutputs(stage.writes().id(), locations);
                case PERSIST -> {
                    layout = layout.withCached(node.id(), time, locations);
                    synchronized (kept) {
                        kept.put(new BatchLayout.CachedBatch(node.id(), time), locations);
                    }
                }
                case RESULT -> { }
            }
            done.put(stage.id(), outcomes);
            return outcomes;
        }
    }

    private static List<Integer> allPartitions(int n) {
        List<Integer> all = new ArrayList<>(n);
        for (int p = 0; p < n; p++) {
            all.add(p);
        }
        return all;
    }

    /** A fetch failure, carried out of {@link #join} to the stage that recomputes. */
    private static final class FetchFailedLater extends RuntimeException {
        final String location;

        FetchFailedLater(FetchFailedException cause) {
            super(cause.getMessage(), cause);
            this.location = cause.location();
        }
    }

    private static TaskOutcome join(CompletableFuture<TaskOutcome> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof FetchFailedException ffe) {
                throw new FetchFailedLater(ffe);
            }
            if (cause instanceof TaskFailedException tfe) {
                throw tfe;
            }
            throw new TaskFailedException(String.valueOf(cause), cause);
        }
    }
}
