package dev.sluice.engine.exec;

import dev.sluice.api.DStream;
import dev.sluice.api.Pair;
import dev.sluice.api.PairDStream;
import dev.sluice.engine.graph.GraphBuilder;
import dev.sluice.engine.graph.InputSplit;
import dev.sluice.engine.graph.JobGraph;
import dev.sluice.engine.graph.QueueSourceNode;
import dev.sluice.engine.plan.ExecutionPlan;
import dev.sluice.engine.plan.Stage;
import dev.sluice.engine.plan.StagePlanner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.ToLongFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Batches run pipelined — the next batch's tasks in flight while the previous batch still
 * runs — give exactly what running them one at a time gives: outputs finish in batch order,
 * state and windows come out the same, a place dying mid-run changes nothing, and a failed
 * batch fails alone.
 */
class BatchPipelineTest {

    private static final int BATCHES = 12;
    private static final List<List<String>> INPUT = WordBatches.of(BATCHES);

    @TempDir
    Path checkpoints;

    /** A job over {@link #INPUT}, and what its outputs saw, in the order their finish halves ran. */
    private static final class Job {
        final List<String> out = Collections.synchronizedList(new ArrayList<>());
        final JobGraph graph;
        final QueueSourceNode source;

        Job(List<List<String>> input, BiConsumer<DStream<String>, List<String>> define, String checkpoint) {
            GraphBuilder ctx = new GraphBuilder(Duration.ofSeconds(1), 2, new PrintStream(OutputStream.nullOutputStream()));
            ctx.checkpoint(checkpoint);
            define.accept(ctx.queueStream(input), out);
            graph = ctx.build();
            source = (QueueSourceNode) graph.sources().get(0);
        }

        Map<Integer, List<InputSplit>> splits(long timeMs) {
            return Map.of(source.id(), source.splits((int) (timeMs / 1000), 2));
        }
    }

    private static PairDStream<String, Long> pairs(DStream<String> lines) {
        return lines.flatMap(l -> {
            if (l.equals("boom")) {
                throw new IllegalStateException("a bad line");
            }
            return Arrays.asList(l.split(" "));
        }).mapToPair(w -> Pair.of(w, 1L));
    }

    private static void wordCount(DStream<String> lines, List<String> out) {
        pairs(lines).reduceByKey(Long::sum).foreachBatch((b, t) -> out.add("count@" + t + sorted(b.collect())));
    }

    /** State checkpointed every 3 batches, an inverse-reduced window and a plain window, each an output. */
    private static void stateAndWindows(DStream<String> lines, List<String> out) {
        var pairs = pairs(lines);
        pairs.<Long>updateStateByKey((vs, s) -> Optional.of(s.orElse(0L) + vs.stream().mapToLong(v -> v).sum()))
                .checkpoint(Duration.ofSeconds(3))
                .foreachBatch((b, t) -> out.add("state@" + t + sorted(b.collect())));
        pairs.reduceByKeyAndWindow(Long::sum, (x, y) -> x - y, Duration.ofSeconds(3), Duration.ofSeconds(1))
                .foreachBatch((b, t) -> out.add("inverse@" + t + sorted(b.collect())));
        lines.window(Duration.ofSeconds(4), Duration.ofSeconds(2)).countByValue()
                .foreachBatch((b, t) -> out.add("window@" + t + sorted(b.collect())));
    }

    private static <K, V> String sorted(List<Pair<K, V>> pairs) {
        Map<String, String> m = new TreeMap<>();
        pairs.forEach(p -> m.put(String.valueOf(p.first()), String.valueOf(p.second())));
        return m.toString();
    }

    /** How each batch ended, in the order the listener heard it. */
    private static final class Ends {
        final List<Long> order = Collections.synchronizedList(new ArrayList<>());
        final Map<Long, RuntimeException> failures = Collections.synchronizedMap(new TreeMap<>());
        final AtomicInteger tasks = new AtomicInteger();

        BatchListener of(long timeMs, Runnable onEnd) {
            return (batchTasks, failure) -> {
                order.add(timeMs);
                tasks.addAndGet(batchTasks);
                failures.put(timeMs, failure);
                onEnd.run();
            };
        }
    }

    /** What a run output, and how many tasks it took. */
    private record Result(List<String> out, int tasks) {
    }

    /** Runs the job one batch at a time, as before pipelining. */
    private Result sequential(BiConsumer<DStream<String>, List<String>> define) {
        Job job = new Job(INPUT, define, checkpoints.resolve("sequential").toString());
        Places places = new Places("job", job.graph, "a", "b", "c");
        BatchExecutor executor = new BatchExecutor("job", job.graph, places.plan(), places);
        int tasks = 0;
        for (long t = 1000; t <= BATCHES * 1000L; t += 1000) {
            tasks += executor.run(t, 0, job.splits(t));
            places.batchDone(t, places.plan().retentionMs());
        }
        return new Result(job.out, tasks);
    }

    /**
     * Runs the job with up to {@code depth} batches in flight, every task delayed by {@code delayMs};
     * workers drop what each batch leaves as it ends, as they do on the coordinator's word.
     */
    private Result pipelined(BiConsumer<DStream<String>, List<String>> define, String name, int depth,
                            ToLongFunction<TaskSpec> delayMs, int killAtLaunch) throws InterruptedException {
        Job job = new Job(INPUT, define, checkpoints.resolve(name).toString());
        Places places = new Places("job", job.graph, "a", "b", "c");
        if (killAtLaunch >= 0) {
            places.killAtLaunch("b", killAtLaunch);
        }
        Ends ends = new Ends();
        try (SlowLauncher launcher = new SlowLauncher(places, delayMs);
             BatchPipeline pipeline = new BatchPipeline(new BatchExecutor("job", job.graph, places.plan(), launcher), depth,
                     "test-batch")) {
            for (long t = 1000; t <= BATCHES * 1000L; t += 1000) {
                long time = t;
                pipeline.submit(t, 0, job.splits(t), ends.of(t, () -> places.batchDone(time, places.plan().retentionMs())));
            }
            pipeline.awaitIdle();
            assertTrue(launcher.mostBatchesInFlight() >= 2, "batches should have overlapped");
        }
        ends.failures.forEach((t, failure) -> assertNull(failure, "batch " + t));
        assertEquals(ends.failures.keySet().stream().toList(), ends.order, "batches end in order");
        return new Result(job.out, ends.tasks.get());
    }

    /** The word count's batch at {@code timeMs} run alone: its output, and how many tasks it takes. */
    private Result wordCountAlone(long timeMs) {
        Job job = new Job(INPUT, BatchPipelineTest::wordCount, checkpoints.toString());
        Places places = new Places("job", job.graph, "a", "b");
        int tasks = new BatchExecutor("job", job.graph, places.plan(), places).run(timeMs, 0, job.splits(timeMs));
        return new Result(job.out, tasks);
    }

    @Test
    void theNextBatchRunsItsTasksWhileASlowBatchStillRuns() throws InterruptedException {
        Job job = new Job(INPUT, BatchPipelineTest::wordCount, checkpoints.toString());
        Places places = new Places("job", job.graph, "a", "b");
        int tasksOfBatch2 = wordCountAlone(2000).tasks();
        Ends ends = new Ends();
        try (SlowLauncher launcher = new SlowLauncher(places, task -> 0);
             BatchPipeline pipeline = new BatchPipeline(new BatchExecutor("job", job.graph, places.plan(), launcher), 2,
                     "test-batch")) {
            launcher.hold(1000);
            pipeline.submit(1000, 0, job.splits(1000), ends.of(1000, () -> { }));
            pipeline.submit(2000, 0, job.splits(2000), ends.of(2000, () -> { }));
            assertTrue(launcher.awaitCompleted(2000, tasksOfBatch2), "batch 2's tasks should all run while batch 1 waits");
            assertEquals(2, launcher.mostBatchesInFlight());
            launcher.release(1000);
            pipeline.awaitIdle();
        }
        assertEquals(List.of(1000L, 2000L), ends.order);
    }

    @Test
    void outputsFinishInBatchOrderWhenTheLaterBatchsTasksFinishFirst() throws InterruptedException {
        Job job = new Job(INPUT, BatchPipelineTest::wordCount, checkpoints.toString());
        Places places = new Places("job", job.graph, "a", "b");
        List<String> expected = new ArrayList<>(wordCountAlone(1000).out());
        expected.addAll(wordCountAlone(2000).out());
        int tasksOfBatch2 = wordCountAlone(2000).tasks();
        Ends ends = new Ends();
        try (SlowLauncher launcher = new SlowLauncher(places, task -> 0);
             BatchPipeline pipeline = new BatchPipeline(new BatchExecutor("job", job.graph, places.plan(), launcher), 2,
                     "test-batch")) {
            launcher.hold(1000);
            pipeline.submit(1000, 0, job.splits(1000), ends.of(1000, () -> { }));
            pipeline.submit(2000, 0, job.splits(2000), ends.of(2000, () -> { }));
            assertTrue(launcher.awaitCompleted(2000, tasksOfBatch2));
            // Time enough for batch 2's finish half to run, were it not waiting for batch 1's.
            Thread.sleep(200);
            assertEquals(List.of(), job.out, "batch 2's output must wait for batch 1's");
            launcher.release(1000);
            pipeline.awaitIdle();
        }
        assertEquals(expected, job.out);
        assertEquals(List.of(1000L, 2000L), ends.order);
    }

    @Test
    void stateAndWindowsComeOutAsWhenBatchesRunOneAtATime() throws InterruptedException {
        // Result tasks slower than the rest, so the next batch keeps while the previous one outputs.
        ExecutionPlan plan = StagePlanner.plan(new Job(INPUT, BatchPipelineTest::stateAndWindows, checkpoints.toString()).graph);
        ToLongFunction<TaskSpec> delay = task -> plan.stage(task.stage()).kind() == Stage.Kind.RESULT ? 15 : 1;
        // As many tasks too: no batch recomputed a kept batch that was only not kept yet.
        assertEquals(sequential(BatchPipelineTest::stateAndWindows),
                pipelined(BatchPipelineTest::stateAndWindows, "pipelined", 3, delay, -1));
    }

    @Test
    void aPlaceDyingWhileBatchesOverlapChangesNoOutput() throws InterruptedException {
        List<String> expected = sequential(BatchPipelineTest::stateAndWindows).out();
        // Batches launch about 20 tasks each: kills in batches 3 to 9, with restores racing batch ends.
        for (int launch = 60; launch < 180; launch += 17) {
            long seed = launch;
            ToLongFunction<TaskSpec> delay = task -> Math.floorMod(task.name().hashCode() * 31 + seed, 4);
            assertEquals(expected, pipelined(BatchPipelineTest::stateAndWindows, "kill-" + launch, 2, delay, launch).out(),
                    "with the kill at launch " + launch);
        }
    }

    @Test
    void aFailedBatchFailsAloneAndTheNextOnesStillRunInOrder() throws InterruptedException {
        List<List<String>> input = new ArrayList<>(INPUT.subList(0, 4));
        input.set(1, List.of("a b", "boom"));
        Job job = new Job(input, BatchPipelineTest::wordCount, checkpoints.toString());
        Places places = new Places("job", job.graph, "a", "b");
        Ends ends = new Ends();
        try (SlowLauncher launcher = new SlowLauncher(places, task -> task.batchTimeMs() == 2000 ? 50 : 0);
             BatchPipeline pipeline = new BatchPipeline(new BatchExecutor("job", job.graph, places.plan(), launcher), 2,
                     "test-batch")) {
            for (long t = 1000; t <= 4000; t += 1000) {
                pipeline.submit(t, 0, job.splits(t), ends.of(t, () -> { }));
            }
            pipeline.awaitIdle();
        }
        assertEquals(List.of(1000L, 2000L, 3000L, 4000L), ends.order);
        assertInstanceOf(TaskFailedException.class, ends.failures.get(2000L));
        assertNull(ends.failures.get(3000L));
        assertEquals(List.of("count@1000", "count@3000", "count@4000"),
                job.out.stream().map(o -> o.substring(0, o.indexOf('{'))).toList());
    }
}
