package dev.sluice.coordinator.job;

import dev.sluice.api.JobArgs;
import dev.sluice.api.Pair;
import dev.sluice.engine.cache.CacheStore;
import dev.sluice.engine.exec.InProcessContext;
import dev.sluice.engine.exec.TaskLauncher;
import dev.sluice.engine.exec.TaskOutcome;
import dev.sluice.engine.exec.TaskRunner;
import dev.sluice.engine.exec.TaskSpec;
import dev.sluice.engine.graph.GraphBuilder;
import dev.sluice.engine.graph.JobGraph;
import dev.sluice.engine.shuffle.ShuffleStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.ToLongFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A job's batches on the wall clock, several at once: outputs, batch records and batch ends
 * come in batch order, and a failed batch with {@code on-batch-failure=stop} stops the job
 * as it did when batches ran one at a time.
 */
class JobRunnerTest {

    private static final int INTERVAL_MS = 100;

    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<Long> outputs = Collections.synchronizedList(new ArrayList<>());
    private final List<BatchRecord> done = Collections.synchronizedList(new ArrayList<>());
    private JobRunner job;

    @AfterEach
    void close() {
        if (job != null) {
            job.close();
        }
        threads.shutdownNow();
    }

    /** A word count over {@code input}, one list per batch, recording the batch times it outputs. */
    private JobGraph wordCount(List<List<String>> input) {
        GraphBuilder ctx = new GraphBuilder(Duration.ofMillis(INTERVAL_MS), 2, new PrintStream(OutputStream.nullOutputStream()));
        ctx.queueStream(input).flatMap(l -> {
            if (l.equals("boom")) {
                throw new IllegalStateException("a bad line");
            }
            return Arrays.asList(l.split(" "));
        }).mapToPair(w -> Pair.of(w, 1L)).reduceByKey(Long::sum).foreachBatch((b, t) -> outputs.add(t));
        return ctx.build();
    }

    /** Runs tasks in this process, each on a thread of its own after {@code delayMs}. */
    private TaskLauncher slowly(JobGraph graph, ToLongFunction<TaskSpec> delayMs) {
        ShuffleStore shuffles = new ShuffleStore();
        CacheStore caches = new CacheStore();
        TaskRunner runner = new TaskRunner(graph, shuffles, caches);
        return task -> CompletableFuture.supplyAsync(() -> {
            try {
                Thread.sleep(delayMs.applyAsLong(task));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new TaskOutcome("here", runner.run(task, new InProcessContext("job", task.layout(), shuffles, caches)));
        }, threads);
    }

    private JobRunner start(JobGraph graph, TaskLauncher launcher, boolean stopOnBatchFailure, int concurrentBatches) {
        job = new JobRunner("job", JobArgs.empty(), graph, launcher, 100, stopOnBatchFailure, concurrentBatches,
                (j, record) -> done.add(record));
        job.start();
        return job;
    }

    private static void awaitStopped(JobRunner job) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (job.state() != JobRunner.State.STOPPED && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(JobRunner.State.STOPPED, job.state());
    }

    private static void assertAscending(List<Long> times) {
        for (int i = 1; i < times.size(); i++) {
            assertTrue(times.get(i - 1) < times.get(i), "not in batch order: " + times);
        }
    }

    @Test
    void batchesThatTakeLongerThanTheIntervalOverlapAndEndInOrder() throws InterruptedException {
        List<List<String>> input = Collections.nCopies(12, List.of("a b a", "c b"));
        JobGraph graph = wordCount(input);
        // Each batch takes about two intervals: one at a time, the job could not keep up.
        JobRunner job = start(graph, slowly(graph, task -> (task.batchTimeMs() / INTERVAL_MS) % 3 == 0 ? 40 : 90), false, 3);
        long deadline = System.currentTimeMillis() + 10_000;
        while (done.size() < 8 && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        job.stop();
        awaitStopped(job);

        List<Long> ended = done.stream().map(BatchRecord::batchTimeMs).toList();
        assertAscending(ended);
        assertEquals(ended, outputs, "every batch output once, in batch order");
        boolean overlapped = false;
        for (int i = 0; i < done.size(); i++) {
            BatchRecord b = done.get(i);
            assertEquals(BatchRecord.Status.SUCCEEDED, b.status());
            assertTrue(b.schedulingDelayMs() >= 0 && b.serviceTimeMs() >= 0, "batch " + b.batchTimeMs());
            assertTrue(b.serviceTimeMs() <= b.processingTimeMs(), "batch " + b.batchTimeMs());
            if (i > 0 && b.serviceTimeMs() < b.processingTimeMs()) {
                overlapped = true;
            }
        }
        assertTrue(overlapped, "some batch should have started before the one before it ended");
        assertEquals(done.get(done.size() - 1), job.history().lastDone());
        assertEquals(0, job.history().pending());
    }

    @Test
    void aFailedBatchStopsTheJobAndTheBatchesCutBeforeStillRunInOrder() throws InterruptedException {
        List<List<String>> input = new ArrayList<>(Collections.nCopies(30, List.of("a b a")));
        input.set(1, List.of("a", "boom"));
        JobGraph graph = wordCount(input);
        JobRunner job = start(graph, slowly(graph, task -> 150), true, 2);
        awaitStopped(job);

        List<BatchRecord> batches = new ArrayList<>(job.history().newestFirst());
        Collections.reverse(batches);
        assertEquals(batches, done, "every batch cut ran to its end, and ended in order");
        assertTrue(batches.size() < input.size(), "the job should have stopped cutting");
        long failedAt = job.zeroTimeMs() + 2 * INTERVAL_MS;
        for (BatchRecord b : batches) {
            assertEquals(b.batchTimeMs() == failedAt ? BatchRecord.Status.FAILED : BatchRecord.Status.SUCCEEDED, b.status(),
                    "batch " + b.batchTimeMs());
        }
        assertTrue(batches.stream().anyMatch(b -> b.batchTimeMs() == failedAt));
        assertEquals(batches.stream().map(BatchRecord::batchTimeMs).filter(t -> t != failedAt).toList(), outputs);
    }
}
