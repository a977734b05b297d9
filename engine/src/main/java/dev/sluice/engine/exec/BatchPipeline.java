package dev.sluice.engine.exec;

import dev.sluice.engine.graph.InputSplit;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs the batches of one {@link BatchExecutor} with up to {@code depth} of them at once
 * (Spark's {@code spark.streaming.concurrentJobs}, made safe): the tasks of the next batch
 * start while the previous one still runs, and the executor keeps what must stay in order
 * in order (kept state, output finish halves, batch ends; see {@link BatchExecutor}). So a
 * batch's tail — its last tasks, the coordinator's round trips between stages — no longer
 * holds the next batch back. With a depth of 1, batches run one at a time.
 */
public final class BatchPipeline implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(BatchPipeline.class.getName());

    private final BatchExecutor executor;
    private final int depth;
    private final Semaphore places;
    private final ExecutorService threads;

    /**
     * @param depth      the most batches in flight at once, at least 1
     * @param threadName the prefix of the names of the threads that run batches
     */
    public BatchPipeline(BatchExecutor executor, int depth, String threadName) {
        if (depth < 1) {
            throw new IllegalArgumentException("at least one batch must be able to run, got " + depth);
        }
        this.executor = executor;
        this.depth = depth;
        this.places = new Semaphore(depth);
        AtomicInteger n = new AtomicInteger();
        this.threads = Executors.newFixedThreadPool(depth, r -> {
            Thread t = new Thread(r, threadName + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts the batch at {@code batchTimeMs}, after every batch submitted before (batches are
     * submitted in the order of their times), once fewer than {@code depth} batches are in
     * flight. {@code listener} hears when it starts and, in batch order, how it ended.
     *
     * @throws InterruptedException when interrupted while every place is taken
     */
    public void submit(long batchTimeMs, long zeroTimeMs, Map<Integer, List<InputSplit>> splits, BatchListener listener)
            throws InterruptedException {
        places.acquire();
        BatchTurn turn = executor.turn(batchTimeMs);
        try {
            threads.execute(() -> {
                try {
                    executor.run(turn, zeroTimeMs, splits, listener);
                } catch (RuntimeException e) {
                    LOG.log(Level.SEVERE, "the listener of batch " + batchTimeMs + " failed: " + e.getMessage(), e);
                } finally {
                    places.release();
                }
            });
        } catch (RejectedExecutionException e) {
            // Closed: the batch never runs, and none after it waits for it.
            turn.end();
            places.release();
            throw e;
        }
    }

    /** Waits until no batch is in flight. */
    public void awaitIdle() throws InterruptedException {
        places.acquire(depth);
        places.release(depth);
    }

    /** Stops the threads; batches in flight end with the tasks they wait for. */
    @Override
    public void close() {
        threads.shutdownNow();
    }
}
