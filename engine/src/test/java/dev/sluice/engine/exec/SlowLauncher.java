package dev.sluice.engine.exec;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

/**
 * Runs every task on a thread of its own, after a delay and, for a held batch, once the
 * batch is released, then hands it to another launcher: tasks of several batches are in
 * flight at once, and finish in another order than they started, as on workers. Counts the
 * tasks in flight per batch.
 */
final class SlowLauncher implements TaskLauncher, AutoCloseable {

    private final TaskLauncher inner;
    private final ToLongFunction<TaskSpec> delayMs;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "slow-task");
        t.setDaemon(true);
        return t;
    });
    private final Map<Long, CountDownLatch> held = new ConcurrentHashMap<>();
    private final Map<Long, Integer> inFlight = new HashMap<>();
    private final Map<Long, Integer> completed = new HashMap<>();
    private int mostBatchesInFlight;

    SlowLauncher(TaskLauncher inner, ToLongFunction<TaskSpec> delayMs) {
        this.inner = inner;
        this.delayMs = delayMs;
    }

    /** Keeps the tasks of the batch at {@code batchTimeMs} from running until {@link #release}. */
    void hold(long batchTimeMs) {
        held.put(batchTimeMs, new CountDownLatch(1));
    }

    void release(long batchTimeMs) {
        held.get(batchTimeMs).countDown();
    }

    /** The most batches that had tasks in flight at one moment. */
    synchronized int mostBatchesInFlight() {
        return mostBatchesInFlight;
    }

    /** Waits until {@code n} tasks of the batch at {@code batchTimeMs} completed; false after 10 s. */
    synchronized boolean awaitCompleted(long batchTimeMs, int n) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (completed.getOrDefault(batchTimeMs, 0) < n) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        return true;
    }

    @Override
    public CompletableFuture<TaskOutcome> launch(TaskSpec task) {
        long batch = task.batchTimeMs();
        started(batch);
        return CompletableFuture.runAsync(() -> pause(task), threads)
                .thenCompose(v -> inner.launch(task))
                .whenComplete((outcome, failure) -> ended(batch));
    }

    private void pause(TaskSpec task) {
        try {
            CountDownLatch latch = held.get(task.batchTimeMs());
            if (latch != null && !latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("batch " + task.batchTimeMs() + " was never released");
            }
            Thread.sleep(delayMs.applyAsLong(task));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private synchronized void started(long batch) {
        inFlight.merge(batch, 1, Integer::sum);
        mostBatchesInFlight = Math.max(mostBatchesInFlight, inFlight.size());
    }

    private synchronized void ended(long batch) {
        if (inFlight.merge(batch, -1, Integer::sum) == 0) {
            inFlight.remove(batch);
        }
        completed.merge(batch, 1, Integer::sum);
        notifyAll();
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}
