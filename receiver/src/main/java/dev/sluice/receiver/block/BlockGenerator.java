package dev.sluice.receiver.block;

import dev.sluice.engine.codec.RecordWriter;
import dev.sluice.protocol.client.Backoff;
import dev.sluice.receiver.StreamCounters;
import dev.sluice.receiver.wal.WriteAheadLog;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Turns the records of one receiver stream into blocks. Records are buffered as they arrive;
 * every block interval the buffer, if not empty, is cut into a {@link Block}. When the stream
 * has a write-ahead log, the block is written to it as it is cut, before anyone learns of it.
 * A separate pushing thread takes the blocks in the order they were cut, stores each in the
 * {@link ReceivedBlockStore} and then reports it, retrying with backoff until the coordinator
 * accepts it, so no accepted record is lost and reports keep the cut order. A block the
 * coordinator says is already processed is dropped (from memory and the log).
 *
 * <p>At most {@code maxPendingBlocks} cut blocks wait for reporting. When that many are
 * waiting (the coordinator is unreachable), cutting waits, and so does {@link #add}: the
 * source stops reading and the sender is slowed by TCP flow control instead of the receiver
 * running out of memory. HTTP ingest checks {@link #pendingBlocks()} first and answers 503.
 *
 * <p>A block that cannot be written to the log is retried with backoff, holding the stream
 * up like a full queue does, unless requests wait for it ({@link #addAll}): those are failed
 * at once and the block is dropped, since none of its records was acknowledged.
 */
public final class BlockGenerator {

    /** How many cut blocks may wait to be reported, by default, before the stream is slowed down. */
    public static final int DEFAULT_MAX_PENDING_BLOCKS = 16;

    private static final Logger LOG = Logger.getLogger(BlockGenerator.class);

    private final String job;
    private final int node;
    private final Duration interval;
    private final BlockIds ids;
    private final ReceivedBlockStore store;
    private final BlockReporter reporter;
    private final WriteAheadLog wal;
    private final StreamCounters counters;
    private final Clock clock;

    private final Object lock = new Object();
    private RecordWriter buffer = new RecordWriter();
    private long buffered;
    /** Completed with the block that holds what {@link #addAll} buffered since the last cut. */
    private CompletableFuture<Block> waiters;
    private boolean closed;

    private final BlockingQueue<Block> pending;
    private final ScheduledExecutorService cutter;
    private final Thread pusher;
    private volatile boolean running;

    /**
     * A generator for source node {@code node} of {@code job}, cutting every {@code interval},
     * with the default pending limit and no write-ahead log. Nothing happens until
     * {@link #start()}.
     */
    public BlockGenerator(String job, int node, Duration interval, BlockIds ids, ReceivedBlockStore store,
            BlockReporter reporter, StreamCounters counters, Clock clock) {
        this(job, node, interval, DEFAULT_MAX_PENDING_BLOCKS, null, ids, store, reporter, counters, clock);
    }

    /**
     * A generator for source node {@code node} of {@code job}, cutting every {@code interval},
     * letting at most {@code maxPendingBlocks} cut blocks wait to be reported, and writing every
     * block to {@code wal} before reporting it ({@code null}: no log). Nothing happens until
     * {@link #start()}.
     */
    public BlockGenerator(String job, int node, Duration interval, int maxPendingBlocks, WriteAheadLog wal,
            BlockIds ids, ReceivedBlockStore store, BlockReporter reporter, StreamCounters counters, Clock clock) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("block interval must be positive, got " + interval);
        }
        if (maxPendingBlocks < 1) {
            throw new IllegalArgumentException("max pending blocks must be positive, got " + maxPendingBlocks);
        }
        this.job = job;
        this.node = node;
        this.interval = interval;
        this.ids = ids;
        this.store = store;
        this.reporter = reporter;
        this.wal = wal;
        this.counters = counters;
        this.clock = clock;
        this.pending = new ArrayBlockingQueue<>(maxPendingBlocks);
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

    /** Whether the stream's blocks go to a write-ahead log before they are reported. */
    public boolean logged() {
        return wal != null;
    }

    /**
     * Buffers one record for the next block. Waits while the pending queue is full.
     *
     * @throws IllegalArgumentException if the record codec cannot encode {@code record}; nothing
     *                                  is buffered then
     * @throws IllegalStateException    once the generator is stopped
     */
    public void add(Object record) {
        checkEncodable(record);
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("the stream of job " + job + " node " + node + " is stopped");
            }
            buffer.write(record);
            buffered++;
        }
    }

    /**
     * Buffers all of {@code records} for the next block, together, and returns a future
     * completed with that block once it is cut (and, if the stream has a log, durably logged),
     * or failed if it cannot be. The future is completed while the generator's lock is held:
     * continue from it asynchronously.
     *
     * @throws IllegalArgumentException if the record codec cannot encode one of {@code records};
     *                                  nothing is buffered then
     */
    public CompletableFuture<Block> addAll(List<?> records) {
        for (Object r : records) {
            checkEncodable(r);
        }
        synchronized (lock) {
            if (closed) {
                return CompletableFuture.failedFuture(
                        new IllegalStateException("the stream of job " + job + " node " + node + " is stopped"));
            }
            for (Object r : records) {
                buffer.write(r);
            }
            buffered += records.size();
            if (waiters == null) {
                waiters = new CompletableFuture<>();
            }
            return waiters;
        }
    }

    /**
     * Cuts the buffered records into a block and queues it for pushing; does nothing if the
     * buffer is empty. Called every interval; visible so tests can cut deterministically.
     *
     * @throws InterruptedException if interrupted while waiting for room in the pending queue
     *                              or between attempts to write the log
     */
    public void cut() throws InterruptedException {
        synchronized (lock) {
            cutLocked(false);
        }
    }

    /**
     * Stops cutting and pushing. What is buffered is cut one last time and written to the log
     * if the stream has one, so that it is replayed after a restart; without a log, records not
     * yet reported are dropped with the receiver's memory.
     */
    public void stop() {
        running = false;
        cutter.shutdownNow();
        synchronized (lock) {
            closed = true;
            try {
                cutLocked(true);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.errorf(e, "the last cut of job %s node %d failed", job, node);
            }
            if (waiters != null) {
                waiters.completeExceptionally(
                        new IllegalStateException("the stream of job " + job + " node " + node + " stopped"));
                waiters = null;
            }
        }
        pusher.interrupt();
    }

    /** How many cut blocks wait to be reported. */
    public int pendingBlocks() {
        return pending.size();
    }

    /** How many cut blocks may wait to be reported. */
    public int maxPendingBlocks() {
        return pending.size() + pending.remainingCapacity();
    }

    private void cutLocked(boolean last) throws InterruptedException {
        if (buffered == 0) {
            return;
        }
        Block block = new Block(ids.next(node), job, node, buffer.toByteArray(), buffered, clock.millis());
        CompletableFuture<Block> cutFor = waiters;
        // A fresh writer rather than reset(): one large block must not pin a large buffer forever.
        buffer = new RecordWriter();
        buffered = 0;
        waiters = null;
        counters.blockCut(block.records());
        if (wal != null) {
            IOException failure;
            try {
                failure = log(block, cutFor != null || last);
            } catch (InterruptedException e) {
                LOG.errorf("dropping %s: the stream stopped while the write-ahead log could not be written", block);
                throw e;
            }
            if (failure != null) {
                if (cutFor != null) {
                    cutFor.completeExceptionally(failure);
                }
                return;
            }
        }
        if (cutFor != null) {
            cutFor.complete(block);
        }
        if (last) {
            // The pusher stops now: a logged block is replayed after a restart, an unlogged one is lost.
            if (wal == null) {
                LOG.debugf("dropping %s cut at shutdown: the stream has no write-ahead log", block);
            }
            return;
        }
        // Blocking while holding the lock is the point: add() waits too, which back-pressures the source.
        pending.put(block);
    }

    /**
     * Writes {@code block} to the log. Retries with backoff unless {@code giveUp}; returns the
     * failure if it gave up.
     */
    private IOException log(Block block, boolean giveUp) throws InterruptedException {
        Backoff backoff = Backoff.standard();
        boolean failing = false;
        while (true) {
            try {
                wal.write(block);
                if (failing) {
                    LOG.infof("%s written to the write-ahead log after retries", block);
                }
                return null;
            } catch (IOException | RuntimeException e) {
                counters.walWriteFailed();
                IOException failure = e instanceof IOException io ? io : new IOException(e);
                if (giveUp || !running) {
                    LOG.errorf("cannot write %s to the write-ahead log in %s, dropping it (none of its records"
                            + " was acknowledged): %s", block, wal.root(), e);
                    return failure;
                }
                if (!failing) {
                    LOG.errorf("cannot write %s to the write-ahead log in %s, retrying; the source waits"
                            + " meanwhile: %s", block, wal.root(), e);
                    failing = true;
                }
                backoff.pause();
            }
        }
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
                Block block = pending.take();
                try {
                    push(block);
                } catch (RuntimeException | LinkageError e) {
                    // A dead pusher would stall the stream for good; the block stays logged if the stream logs.
                    LOG.errorf(e, "pushing %s failed; going on with the next block", block);
                }
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
                BlockReporter.Outcome outcome = reporter.report(block);
                if (outcome == BlockReporter.Outcome.ALREADY_PROCESSED) {
                    LOG.debugf("%s is already processed, dropping it", block);
                    store.remove(block.id());
                    if (wal != null) {
                        wal.delete(block);
                    }
                }
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

    /** Encodes a non-string record aside first, so that one the codec refuses leaves no partial bytes behind. */
    private static void checkEncodable(Object record) {
        if (record != null && !(record instanceof String)) {
            new RecordWriter(64).write(record);
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
