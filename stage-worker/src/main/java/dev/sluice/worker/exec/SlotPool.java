package dev.sluice.worker.exec;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fixed number of task slots, each a thread. Tasks beyond the slots wait their turn here:
 * the coordinator may start more at once (a group-scheduled stage, placed tasks whose input
 * just became ready) than there are free slots.
 */
public final class SlotPool implements AutoCloseable {

    private final int slots;
    private final ExecutorService threads;
    private final AtomicInteger busy = new AtomicInteger();

    public SlotPool(int slots) {
        if (slots <= 0) {
            throw new IllegalArgumentException("a worker needs at least one slot, got " + slots);
        }
        this.slots = slots;
        AtomicInteger n = new AtomicInteger();
        this.threads = Executors.newFixedThreadPool(slots, r -> {
            Thread t = new Thread(r, "slot-" + n.getAndIncrement());
            t.setDaemon(true);
            return t;
        });
    }

    public int slots() {
        return slots;
    }

    /** Slots not running a task now, and with no task waiting for them. */
    public int free() {
        return Math.max(0, slots - busy.get());
    }

    /** What {@link #free()} will be once the calling task, which holds a slot, returns. */
    public int freeOnceDone() {
        return Math.max(0, slots - busy.get() + 1);
    }

    /** Runs {@code task} in a slot. */
    public void submit(Runnable task) {
        busy.incrementAndGet();
        threads.execute(() -> {
            try {
                task.run();
            } finally {
                busy.decrementAndGet();
            }
        });
    }

    @Override
    public void close() throws InterruptedException {
        threads.shutdownNow();
        threads.awaitTermination(5, TimeUnit.SECONDS);
    }
}
