package dev.sluice.engine.exec;

import dev.sluice.engine.graph.BatchLayout;
import dev.sluice.engine.graph.BatchLayout.CachedBatch;
import dev.sluice.engine.graph.InputSplit;
import dev.sluice.engine.graph.JobGraph;
import dev.sluice.engine.graph.Node;
import dev.sluice.engine.output.OutputOperation;
import dev.sluice.engine.plan.ExecutionPlan;
import dev.sluice.engine.plan.Stage;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * Runs the batches of one job. In each batch it first keeps every persisted node that
 * produces a batch at that time (window input, state, cached streams), then, for each
 * output operation that fires, in definition order, runs the stages it needs and its result
 * stage, then its {@code finish} half here. Each stage runs at most once per batch. Tasks go
 * to a {@link TaskLauncher}.
 *
 * <p>Batches may run at once, from several threads ({@link BatchPipeline}), and still give
 * what running them one at a time gives: each takes a {@link BatchTurn} in batch order, keeps
 * only once the batch before has kept (so state and windows read whole earlier batches and
 * are computed in order), finishes its outputs only once the batch before has finished its
 * own (so every finish half runs in the order one batch at a time would run it), and ends
 * only once the batch before has ended (so what it forgets no running batch reads). Between
 * those points their tasks overlap.
 *
 * <p>Where kept partitions live is remembered across batches for as long as later batches
 * may read them. When a task finds a location lost (its worker died), the map outputs and
 * kept partitions that lived there are restored before the task runs again: a kept
 * partition from its checkpoint when it has one, else recomputed from the input of its
 * batch and the kept batches that batch read, back to the last checkpoint (Spark's
 * lineage). The same path rebuilds everything after a coordinator restart. Restores run one
 * at a time, and no batch ends while one runs: a batch's end lets workers drop the shuffle
 * output of its time and before, which a restore of an earlier batch writes and reads.
 */
public final class BatchExecutor {

    private static final Logger LOG = Logger.getLogger(BatchExecutor.class.getName());
    private static final int MAX_FETCH_ROUNDS = 3;
    // Attempt numbers of a recomputation round start here, clear of the scheduler's retries.
    private static final int RETRY_ATTEMPTS = 100;
    // Attempt numbers of copies off a leaving worker: clear of every recomputation round.
    private static final int COPY_ATTEMPTS = RETRY_ATTEMPTS * (MAX_FETCH_ROUNDS + 1);

    private final String job;
    private final JobGraph graph;
    private final ExecutionPlan plan;
    private final TaskLauncher launcher;
    private final KeptBatches kept = new KeptBatches();
    private final InputHistory inputs = new InputHistory();
    // Held by a restore of kept partitions, and by a batch's end (see the class comment).
    private final Object restoring = new Object();
    private BatchTurn lastTurn = BatchTurn.start();

    public BatchExecutor(String job, JobGraph graph, ExecutionPlan plan, TaskLauncher launcher) {
        this.job = job;
        this.graph = graph;
        this.plan = plan;
        this.launcher = launcher;
    }

    /** How long after a batch its input must stay readable, for recomputing what it fed. */
    public long inputRetentionMs() {
        return plan.inputRetentionMs();
    }

    /**
     * The worker at {@code address} is leaving (scale-down): what it keeps is copied off it
     * at the start of the next batch, while it still serves it.
     */
    public void leaving(String address) {
        int n = kept.leave(address);
        LOG.info(() -> "job " + job + ": " + n + " kept partitions will be copied off leaving worker " + address);
    }

    /** Whether a kept partition still lives on, or has to be copied off, the worker at {@code address}. */
    public boolean holds(String address) {
        return kept.holds(address);
    }

    /**
     * Remembers the input of a batch that ran before this executor existed (a coordinator
     * restart), so that the kept partitions it produced can be recomputed.
     */
    public void remember(long batchTimeMs, Map<Integer, List<InputSplit>> splits) {
        inputs.record(batchTimeMs, splits);
    }

    /**
     * Runs the batch at {@code batchTimeMs} over the given source splits, after every batch
     * this executor ran before.
     *
     * @return the number of tasks that ran, recomputations included
     * @throws TaskFailedException when a task failed past its retries
     * @throws OutputFailedException when an output operation's finish half failed
     */
    public int run(long batchTimeMs, long zeroTimeMs, Map<Integer, List<InputSplit>> splits) {
        Outcome outcome = new Outcome();
        run(turn(batchTimeMs), zeroTimeMs, splits, outcome);
        if (outcome.failure != null) {
            throw outcome.failure;
        }
        return outcome.tasks;
    }

    /** Takes the next place in line for the batch at {@code batchTimeMs}. */
    synchronized BatchTurn turn(long batchTimeMs) {
        lastTurn = lastTurn.next(batchTimeMs);
        return lastTurn;
    }

    /**
     * Runs a batch in its turn, and tells {@code listener} when it starts and, in batch order,
     * how it ended. Only an exception of the listener's comes out of here.
     */
    void run(BatchTurn turn, long zeroTimeMs, Map<Integer, List<InputSplit>> splits, BatchListener listener) {
        long batchTimeMs = turn.timeMs();
        AtomicInteger tasks = new AtomicInteger();
        RuntimeException failure = null;
        try {
            listener.started();
            inputs.record(batchTimeMs, splits);
            Run run = new Run(batchTimeMs, zeroTimeMs, splits, tasks);
            keep(turn, run);
            output(turn, run);
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            turn.awaitPreviousEnded();
            synchronized (restoring) {
                try {
                    if (failure == null) {
                        pruneCheckpoints(batchTimeMs, zeroTimeMs);
                    }
                    kept.forget(k -> k.timeMs() <= batchTimeMs - plan.retentionMs().getOrDefault(k.node(), 0L));
                    inputs.forgetBefore(batchTimeMs - plan.inputRetentionMs());
                    listener.ended(tasks.get(), failure);
                } finally {
                    turn.end();
                }
            }
        }
    }

    /** Copies kept partitions off leaving workers and runs the persist stages that fire, once the batch before kept. */
    private void keep(BatchTurn turn, Run run) {
        turn.awaitPreviousKept();
        try {
            for (CachedBatch leaving : kept.toEvacuate()) {
                restore(leaving, run.zeroTimeMs, run.tasks);
            }
            for (Stage persist : plan.persistStages()) {
                if (persist.finalNode().firesAt(run.time, run.zeroTimeMs)) {
                    run.stage(persist);
                }
            }
        } finally {
            turn.kept();
        }
    }

    /**
     * Runs the result stage of every output that fires, in definition order, each followed by
     * its finish half. While the batch before has not finished its outputs, finish halves
     * wait, in order, and the next result stages run meanwhile.
     */
    private void output(BatchTurn turn, Run run) {
        List<Runnable> waiting = new ArrayList<>();
        for (OutputOperation output : graph.outputs()) {
            if (!output.stream().firesAt(run.time, run.zeroTimeMs)) {
                continue;
            }
            List<TaskOutcome> outcomes = run.stage(plan.resultStage(output.index()));
            waiting.add(() -> finish(output, run.time, outcomes));
            if (turn.previousFinished()) {
                waiting.forEach(Runnable::run);
                waiting.clear();
            }
        }
        turn.awaitPreviousFinished();
        waiting.forEach(Runnable::run);
        turn.finished();
    }

    private static void finish(OutputOperation output, long batchTimeMs, List<TaskOutcome> outcomes) {
        List<byte[]> results = new ArrayList<>(outcomes.size());
        outcomes.forEach(o -> results.add(o.result()));
        try {
            output.finish(batchTimeMs, results);
        } catch (Exception e) {
            throw new OutputFailedException(output.describe() + " failed for batch " + batchTimeMs + ": " + e, e);
        }
    }

    /** What a batch run one at a time came to. */
    private static final class Outcome implements BatchListener {
        int tasks;
        RuntimeException failure;

        @Override
        public void ended(int tasks, RuntimeException failure) {
            this.tasks = tasks;
            this.failure = failure;
        }
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

    /**
     * Makes every partition of a kept batch available again: from its checkpoint when all
     * the missing partitions have one, else by running its persist stage again at its time.
     * Does nothing when another batch restored it meanwhile.
     */
    private void restore(CachedBatch batch, long zeroTimeMs, AtomicInteger tasks) {
        synchronized (restoring) {
            if (kept.isWhole(batch)) {
                return;
            }
            Node node = graph.node(batch.node());
            List<Integer> missing = kept.missing(batch);
            int total = kept.size(batch);
            if (missing == null && node.partitioner() != null) {
                total = node.partitioner().numPartitions();
                missing = allPartitions(total);
            }
            List<String> copySources = kept.withCopySources(batch);
            if (copySources != null && copy(batch, total, missing, copySources, zeroTimeMs, tasks)) {
                return;
            }
            if (missing != null && node.checkpointIntervalMs() > 0
                    && CheckpointFiles.hasAll(graph.checkpointDirectory(), job, node.id(), batch.timeMs(), missing)) {
                kept.place(batch, total, missing, Collections.nCopies(missing.size(), CheckpointFiles.LOCATION));
                LOG.info(() -> "job " + job + ": kept batch " + batch.timeMs() + " of " + node + " restored from its checkpoint");
                return;
            }
            Map<Integer, List<InputSplit>> splits = inputs.at(batch.timeMs());
            if (splits == null) {
                throw new TaskFailedException("cannot recompute the lost partitions of " + node + " at " + batch.timeMs()
                        + ": the input of that batch is no longer kept (input retention " + plan.inputRetentionMs()
                        + " ms) and it has no checkpoint", null);
            }
            LOG.warning(() -> "job " + job + ": recomputing " + (kept.missing(batch) == null ? "all" : kept.missing(batch))
                    + " partitions of kept batch " + batch.timeMs() + " of " + node);
            new Run(batch.timeMs(), zeroTimeMs, splits, tasks).stage(plan.persistStage(node.id()));
        }
    }

    /**
     * Copies the missing partitions of {@code batch} off the leaving worker that still keeps
     * them, each by a task elsewhere that reads the partition and keeps it. Returns false
     * when the copy failed (the worker went away first): the caller recomputes instead.
     */
    private boolean copy(CachedBatch batch, int total, List<Integer> missing, List<String> sources, long zeroTimeMs,
                         AtomicInteger tasks) {
        Stage stage = plan.persistStage(batch.node());
        Map<CachedBatch, List<String>> cached = keptThrough(batch.timeMs());
        cached.put(batch, sources);
        BatchLayout layout = new BatchLayout(batch.timeMs(), zeroTimeMs, Map.of(), Map.of(), cached);
        List<CompletableFuture<TaskOutcome>> futures = new ArrayList<>(missing.size());
        for (int p : missing) {
            futures.add(launcher.launch(new TaskSpec(job, graph.fingerprint(), stage.id(), p, COPY_ATTEMPTS, layout)));
        }
        tasks.addAndGet(missing.size());
        List<String> locations = new ArrayList<>(missing.size());
        try {
            for (CompletableFuture<TaskOutcome> f : futures) {
                locations.add(join(f).location());
            }
        } catch (FetchFailedLater | TaskFailedException e) {
            LOG.warning(() -> "job " + job + ": cannot copy kept batch " + batch.timeMs() + " of node " + batch.node()
                    + " off a leaving worker (" + e.getMessage() + "); recomputing it instead");
            Set<String> gone = new HashSet<>();
            missing.forEach(p -> gone.add(sources.get(p)));
            kept.lose(gone);
            return false;
        }
        kept.place(batch, total, missing, locations);
        LOG.info(() -> "job " + job + ": copied partitions " + missing + " of kept batch " + batch.timeMs() + " of node "
                + batch.node() + " off a leaving worker");
        return true;
    }

    /** The whole kept batches up to {@code timeMs}: a past batch run again cannot read later ones. */
    private Map<CachedBatch, List<String>> keptThrough(long timeMs) {
        Map<CachedBatch, List<String>> whole = kept.whole();
        whole.keySet().removeIf(k -> k.timeMs() > timeMs);
        return whole;
    }

    /**
     * One batch time's run: its layout as outputs land, and which stages are done. Used by
     * one thread; {@code tasks} counts for the batch it runs for (a restore counts for the
     * batch that needed it).
     */
    private final class Run {
        private final long time;
        private final long zeroTimeMs;
        private final AtomicInteger tasks;
        private BatchLayout layout;
        private final Map<Integer, List<TaskOutcome>> done = new HashMap<>();

        Run(long time, long zeroTimeMs, Map<Integer, List<InputSplit>> splits, AtomicInteger tasks) {
            this.time = time;
            this.zeroTimeMs = zeroTimeMs;
            this.tasks = tasks;
            this.layout = new BatchLayout(time, zeroTimeMs, splits, Map.of(), keptThrough(time));
        }

        List<TaskOutcome> stage(Stage stage) {
            List<TaskOutcome> cached = done.get(stage.id());
            if (cached != null) {
                return cached;
            }
            List<Stage> waiting = new ArrayList<>();
            for (int parent : stage.parents()) {
                if (!done.containsKey(parent)) {
                    waiting.add(plan.stage(parent));
                }
            }
            if (launcher.preplaces() && !waiting.isEmpty()
                    && waiting.stream().allMatch(p -> p.kind() == Stage.Kind.SHUFFLE_MAP)) {
                return withMapStages(stage, waiting);
            }
            waiting.forEach(this::stage);
            restoreReads(stage);
            Partitions own = partitions(stage);
            return completed(stage, own, runPartitions(stage, own.numbers, 0));
        }

        /**
         * Runs {@code stage} together with its map stages {@code maps}: its tasks are placed
         * while the maps run and start as each shuffle's outputs are told to the launcher, so
         * the stage costs no scheduling round after its maps (Drizzle's pre-placed stages).
         */
        private List<TaskOutcome> withMapStages(Stage stage, List<Stage> maps) {
            for (Stage map : maps) {
                for (int parent : map.parents()) {
                    stage(plan.stage(parent));
                }
                restoreReads(map);
            }
            restoreReads(stage);
            List<Partitions> mapPartitions = new ArrayList<>();
            List<List<CompletableFuture<TaskOutcome>>> mapFutures = new ArrayList<>();
            for (Stage map : maps) {
                Partitions p = partitions(map);
                mapPartitions.add(p);
                mapFutures.add(launchPartitions(map, p.numbers, 0, Set.of()));
            }
            Set<Integer> awaited = new HashSet<>();
            maps.forEach(m -> awaited.add(m.writes().id()));
            Partitions own = partitions(stage);
            List<CompletableFuture<TaskOutcome>> placed = launchPartitions(stage, own.numbers, 0, awaited);
            try {
                for (int i = 0; i < maps.size(); i++) {
                    Stage map = maps.get(i);
                    completed(map, mapPartitions.get(i), awaitPartitions(map, mapPartitions.get(i).numbers, mapFutures.get(i), 0));
                    int shuffle = map.writes().id();
                    launcher.shuffleReady(job, time, stage.id(), shuffle, layout.mapOutputsOf(shuffle));
                }
                return completed(stage, own, awaitPartitions(stage, own.numbers, placed, 0));
            } finally {
                launcher.stageOver(job, time, stage.id());
            }
        }

        /** Which partitions of {@code stage} run, of how many. */
        private record Partitions(List<Integer> numbers, int total) {
        }

        private Partitions partitions(Stage stage) {
            Node node = stage.finalNode();
            if (stage.kind() == Stage.Kind.PERSIST) {
                CachedBatch own = new CachedBatch(node.id(), time);
                if (kept.missing(own) != null) {
                    // Kept already, in part: only the lost partitions run again.
                    return new Partitions(kept.missing(own), kept.size(own));
                }
                int total = node.numPartitions(layout, time);
                return new Partitions(allPartitions(total), total);
            }
            int total = layout.partitions(node, time);
            return new Partitions(allPartitions(total), total);
        }

        /** Takes what {@code stage}'s tasks produced into the layout, and remembers the stage done. */
        private List<TaskOutcome> completed(Stage stage, Partitions partitions, List<TaskOutcome> outcomes) {
            List<String> locations = outcomes.stream().map(TaskOutcome::location).toList();
            switch (stage.kind()) {
                case SHUFFLE_MAP -> layout = layout.withMapOutputs(stage.writes().id(), locations);
                case PERSIST -> {
                    kept.place(new CachedBatch(stage.finalNode().id(), time), partitions.total, partitions.numbers, locations);
                    layout = layout.withCached(keptThrough(time));
                }
                case RESULT -> { }
            }
            done.put(stage.id(), outcomes);
            return outcomes;
        }

        private TaskSpec task(Stage stage, int partition, int round) {
            return new TaskSpec(job, graph.fingerprint(), stage.id(), partition, round * RETRY_ATTEMPTS, layout);
        }

        /**
         * Restores every kept batch {@code stage} reads that lost partitions, then points the
         * layout at them. A place that dies while this runs can take some of them again, so
         * it checks once more until all are whole.
         */
        private void restoreReads(Stage stage) {
            for (int round = 0; ; round++) {
                List<CachedBatch> broken = stage.keptReads(time, zeroTimeMs).stream().filter(r -> !kept.isWhole(r)).toList();
                if (broken.isEmpty()) {
                    break;
                }
                if (round > MAX_FETCH_ROUNDS) {
                    throw new TaskFailedException("cannot keep the input of " + stage + " at " + time
                            + " whole: kept batches " + broken + " were lost again after " + round + " restores", null);
                }
                for (CachedBatch read : broken) {
                    restore(read, zeroTimeMs, tasks);
                }
            }
            Map<CachedBatch, List<String>> now = keptThrough(time);
            if (!now.equals(layout.cached())) {
                layout = layout.withCached(now);
            }
        }

        /**
         * Runs {@code partitions} of {@code stage}. A task that finds a location lost (its
         * worker died) has what lived there restored and runs again, a few rounds at most.
         */
        private List<TaskOutcome> runPartitions(Stage stage, List<Integer> partitions, int round) {
            return awaitPartitions(stage, partitions, launchPartitions(stage, partitions, round, Set.of()), round);
        }

        private List<CompletableFuture<TaskOutcome>> launchPartitions(Stage stage, List<Integer> partitions, int round,
                                                                      Set<Integer> awaited) {
            List<TaskSpec> specs = new ArrayList<>(partitions.size());
            for (int p : partitions) {
                specs.add(task(stage, p, round));
            }
            tasks.addAndGet(partitions.size());
            return launcher.launchStage(specs, awaited);
        }

        /** Waits for the tasks of {@code partitions} launched in {@code round}, running again those that lost their input. */
        private List<TaskOutcome> awaitPartitions(Stage stage, List<Integer> partitions,
                                                  List<CompletableFuture<TaskOutcome>> futures, int round) {
            List<TaskOutcome> outcomes = new ArrayList<>(partitions.size());
            List<Integer> again = new ArrayList<>();
            Set<String> lost = new HashSet<>();
            for (int i = 0; i < futures.size(); i++) {
                try {
                    outcomes.add(join(futures.get(i)));
                } catch (FetchFailedLater e) {
                    if (round >= MAX_FETCH_ROUNDS) {
                        throw new TaskFailedException("task " + stage + " partition " + partitions.get(i)
                                + " still finds its input lost after " + round + " recomputations: " + e.getMessage(), e);
                    }
                    outcomes.add(null);
                    again.add(i);
                    lost.add(e.location);
                }
            }
            if (!again.isEmpty()) {
                int keptLost = kept.lose(lost);
                if (keptLost > 0) {
                    LOG.warning(() -> "batch " + time + ": " + keptLost + " kept partitions were lost with " + lost);
                }
                recomputeLostShuffleOutput(lost, round + 1);
                restoreReads(stage);
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
                LOG.warning(() -> "batch " + time + ": map outputs " + gone + " of shuffle " + e.getKey()
                        + " were lost with " + lost + "; recomputing them");
                Stage mapStage = plan.mapStage(e.getKey());
                restoreReads(mapStage);
                List<TaskOutcome> redone = runPartitions(mapStage, gone, round);
                List<String> locations = new ArrayList<>(layout.mapOutputsOf(e.getKey()));
                for (int k = 0; k < gone.size(); k++) {
                    locations.set(gone.get(k), redone.get(k).location());
                }
                layout = layout.withMapOutputs(e.getKey(), locations);
            }
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
