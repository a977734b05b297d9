package dev.sluice.receiver.block;

import dev.sluice.engine.codec.RecordWriter;
import dev.sluice.protocol.client.Backoff;
import dev.sluice.receiver.StreamCounters;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Turns the records of one receiver stream into blocks. Records are buffered as they arrive;
 * every block interval the buffer, if not empty, is cut into a {@link Block}. A separate
 * pushing thread takes the blocks in the order they were cut, stores each in the
 * {@link ReceivedBlockStore} and then reports it, retrying with backoff until the coordinator
 * accepts it, so no accepted record is lost and reports keep the cut order.
 *
 * <p>At most {@link #MAX_PENDING_BLOCKS} cut blocks wait for reporting. When that many are
 * waiting (the coordinator is unreachable), cutting waits, and so does {@link #add}: the
 * source stops reading and the sender is slowed by TCP flow control instead of the receiver
 * running out of memory.
 */
public final class BlockGenerator {

    /** How many cut blocks may wait to be reported before the stream is slowed down. */
    public static final int MAX_PENDING_BLOCKS = 16;

    private static final Logger LOG = Logger.getLogger(BlockGenerator.class);

    private final String job;
    private final int node;
    private final Duration interval;
    private final BlockIds ids;
    private final ReceivedBlockStore store;
    private final BlockReporter reporter;
    private final StreamCounters counters;
    private final Clock clock;

    private final Object lock = new Object();
    private RecordWriter buffer = new RecordWriter();
    private long buffered;

    private final BlockingQueue<Block> pending = new ArrayBlockingQueue<>(MAX_PENDING_BLOCKS);
    private final ScheduledExecutorService cutter;
    private final Thread pusher;
    private volatile boolean running;

    /**
     * A generator for source node {@code node} of {@code job}, cutting every {@code interval}.
     * Nothing happens until {@link #start()}.
     */
    public BlockGenerator(String job, int node, Duration interval, BlockIds ids, ReceivedBlockStore store,
            BlockReporter reporter, StreamCounters counters, Clock clock) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("block interval must be positive, got " + interval);
        }
        this.job = job;
        this.node = node;
        this.interval = interval;
        this.ids = ids;
        this.store = store;
        this.reporter = reporter;
        this.counters = counters;
        this.clock = clock;
        String name = "sluice-blocks-" + job + "-" + node;
        this.cutter = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, name + "-cut"));
        this.pusher = daemon(this::pushLoop, name + "-push");
    }

    /** Starts cutting every interval and pushing the cut blocks. */
    public void start() {
        running = true;
        pusher.start();
        long ms = interval.toMillis();
        cutter.scheduleAtFixedRate(this::cutOnSchedule, ms, ms, TimeUnit.MILLISECONDS);
    }

    /**
     * Buffers one record for the next block. Waits while {@link #MAX_PENDING_BLOCKS} cut blocks
     * are waiting to be reported.
     */
    public void add(String record) {
        synchronized (lock) {
            buffer.write(record);
            buffered++;
        }
    }

    /**
     * Cuts the buffered records into a block and queues it for pushing; does nothing if the
     * buffer is empty. Called every interval; visible so tests can cut deterministically.
     *
     * @throws InterruptedException if interrupted while waiting for room in the pending queue
     */
    public void cut() throws InterruptedException {
        synchronized (lock) {
            if (buffered == 0) {
                return;
            }
            Block block = new Block(ids.next(node), job, node, buffer.toByteArray(), buffered, clock.millis());
            // A fresh writer rather than reset(): one large block must not pin a large buffer forever.
            buffer = new RecordWriter();
            buffered = 0;
            counters.blockCut(block.records());
            // Blocking while holding the lock is the point: add() waits too, which back-pressures the source.
            pending.put(block);
        }
    }

    /** Stops cutting and pushing. Records not yet reported are dropped with the receiver's memory. */
    public void stop() {
        running = false;
        cutter.shutdownNow();
        pusher.interrupt();
    }

    /** How many cut blocks wait to be reported. */
    public int pendingBlocks() {
        return pending.size();
    }

    private void cutOnSchedule() {
        try {
            cut();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // A thrown exception would cancel the schedule; log and keep cutting.
            LOG.errorf(e, "cutting a block of job %s node %d failed", job, node);
        }
    }

    private void pushLoop() {
        try {
            while (running) {
                push(pending.take());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void push(Block block) throws InterruptedException {
        Backoff backoff = Backoff.standard();
        boolean failing = false;
        while (running) {
            // Stored before every attempt: the block must be fetchable before anyone learns of it,
            // and a long coordinator outage must not let its retention run out before it is reported.
            store.put(block);
            try {
                reporter.report(block);
                if (failing) {
                    LOG.infof("block %s of job %s node %d reported after retries", block.id(), job, node);
                }
                return;
            } catch (RuntimeException e) {
                if (!failing) {
                    LOG.warnf("reporting block %s of job %s node %d failed, retrying until accepted: %s",
                            block.id(), job, node, e.getMessage());
                    failing = true;
                } else {
                    LOG.debugf("reporting block %s failed again: %s", block.id(), e.getMessage());
                }
                backoff.pause();
            }
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
