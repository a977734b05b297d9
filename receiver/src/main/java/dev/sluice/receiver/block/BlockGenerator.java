package dev.sluice.receiver.block;

import dev.sluice.engine.codec.RecordWriter;
import dev.sluice.receiver.source.Utf8Lines;
import dev.sluice.protocol.client.Backoff;
import dev.sluice.receiver.StreamCounters;
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
 * is durable, a {@link DurableCopy} of the block (in the write-ahead log, or a replica on a
 * peer receiver) is made as it is cut, before anyone learns of it. A separate pushing thread
 * takes the blocks in the order they were cut, stores each in the {@link ReceivedBlockStore}
 * and then reports it, retrying with backoff until the coordinator accepts it, so no accepted
 * record is lost and reports keep the cut order. A block the coordinator says is already
 * processed is dropped (from memory and its copy).
 *
 * <p>Records added with {@link #addAll} are acknowledged (their future completes) once their
 * block will survive the loss of this process: as soon as it is logged, since the log is
 * replayed; when it is replicated, only once it is reported too, since the coordinator moves
 * only the blocks it knows to their replicas. A block of a stream that is not durable is
 * acknowledged once it is reported.
 *
 * <p>At most {@code maxPendingBlocks} cut blocks wait for reporting. When that many are
 * waiting (the coordinator is unreachable), cutting waits, and so does {@link #add}: the
 * source stops reading and the sender is slowed by TCP flow control instead of the receiver
 * running out of memory. HTTP ingest checks {@link #pendingBlocks()} first and answers 503.
 *
 * <p>A block holds at most {@code maxBlockBytes} of encoded records: a stream that buffers
 * more within one block interval has its block cut at once, so no block outgrows what a
 * replica or a fetch will carry, however fast its source.
 *
 * <p>A block whose copy cannot be made (the log cannot be written, no peer takes a replica)
 * is retried with backoff, holding the stream up like a full queue does, unless requests wait
 * for it ({@link #addAll}): those are failed at once and the block is dropped, since none of
 * its records was acknowledged.
 */
public final class BlockGenerator {

    /** How many cut blocks may wait to be reported, by default, before the stream is slowed down. */
    public static final int DEFAULT_MAX_PENDING_BLOCKS = 16;
    /** The most bytes of records a block holds, by default. */
    public static final int DEFAULT_MAX_BLOCK_BYTES = 32 * 1024 * 1024;

    private static final Logger LOG = Logger.getLogger(BlockGenerator.class);
    /** The most a fresh block buffer starts with, however large the last block was. */
    private static final int MAX_INITIAL_BUFFER = 8 * 1024 * 1024;

    private final String job;
    private final int node;
    private final Duration interval;
    private final BlockIds ids;
    private final ReceivedBlockStore store;
    private final BlockReporter reporter;
    private final DurableCopy durable;
    private final StreamCounters counters;
    private final Clock clock;
    private final int maxBlockBytes;

    private final Object lock = new Object();
    private RecordWriter buffer = new RecordWriter();
    private long buffered;
    /** Completed with the block that holds what {@link #addAll} buffered since the last cut. */
    private CompletableFuture<Block> waiters;
    private boolean closed;

    /**
     * A cut block waiting to be reported, with the future of the requests to acknowledge once
     * it is ({@code null}: none, or acknowledged already).
     */
    private record Pending(Block block, CompletableFuture<Block> acknowledge) {
    }

    private final BlockingQueue<Pending> pending;
    private final ScheduledExecutorService cutter;
    private final Thread pusher;
    private volatile boolean running;

    /**
     * A generator for source node {@code node} of {@code job}, cutting every {@code interval},
     * with the default pending limit and no durable copy. Nothing happens until
     * {@link #start()}.
     */
    public BlockGenerator(String job, int node, Duration interval, BlockIds ids, ReceivedBlockStore store,
            BlockReporter reporter, StreamCounters counters, Clock clock) {
        this(job, node, interval, DEFAULT_MAX_PENDING_BLOCKS, DEFAULT_MAX_BLOCK_BYTES, null, ids, store, reporter, counters,
                clock);
    }

    /**
     * A generator for source node {@code node} of {@code job}, cutting every {@code interval},
     * letting at most {@code maxPendingBlocks} cut blocks wait to be reported, cutting a block
     * early once it holds {@code maxBlockBytes}, and making a {@code durable} copy of every
     * block before reporting it ({@code null}: none). Nothing happens until {@link #start()}.
     */
    public BlockGenerator(String job, int node, Duration interval, int maxPendingBlocks, int maxBlockBytes,
            DurableCopy durable, BlockIds ids, ReceivedBlockStore store, BlockReporter reporter, StreamCounters counters,
            Clock clock) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("block interval must be positive, got " + interval);
        }
        if (maxPendingBlocks < 1) {
            throw new IllegalArgumentException("max pending blocks must be positive, got " + maxPendingBlocks);
        }
        if (maxBlockBytes < 1) {
            throw new IllegalArgumentException("max block bytes must be positive, got " + maxBlockBytes);
        }
        this.maxBlockBytes = maxBlockBytes;
        this.job = job;
        this.node = node;
        this.interval = interval;
        this.ids = ids;
        this.store = store;
        this.reporter = reporter;
        this.durable = durable;
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

    /** Whether a durable copy of each block is made before it is reported. */
    public boolean durable() {
        return durable != null;
    }

    /**
     * Buffers one record for the next block. Waits while the pending queue is full.
     *
     * @throws IllegalArgumentException if the record codec cannot encode {@code record}; nothing
     *                                  is buffered then
     * @throws IllegalStateException    once the generator is stopped, or when interrupted while
     *                                  cutting a full block (the record is in it)
     */
    public void add(Object record) {
        checkEncodable(record);
        synchronized (lock) {
            if (closed) {
                throw stopped();
            }
            buffer.write(record);
            buffered++;
            cutIfFull();
        }
    }

    /**
     * Buffers lines {@code from} (inclusive) to {@code to} (exclusive) of {@code lines} as
     * string records for the next block, together, copying their bytes as they are. Waits
     * while the pending queue is full.
     *
     * @throws IllegalStateException once the generator is stopped
     */
    public void addLines(Utf8Lines lines, int from, int to) {
        synchronized (lock) {
            if (closed) {
                throw stopped();
            }
            byte[] bytes = lines.bytes();
            for (int i = from; i < to; i++) {
                buffer.writeUtf8String(bytes, lines.offset(i), lines.length(i));
            }
            buffered += to - from;
            cutIfFull();
        }
    }

    /**
     * Buffers all of {@code records} for the next block, together, and returns a future
     * completed with that block once it may be acknowledged (see the class comment), or failed
     * if it cannot be. The future may be completed while the generator's lock is held: continue
     * from it asynchronously.
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
                return CompletableFuture.failedFuture(stopped());
            }
            for (Object r : records) {
                buffer.write(r);
            }
            buffered += records.size();
            if (waiters == null) {
                waiters = new CompletableFuture<>();
            }
            CompletableFuture<Block> cut = waiters;
            cutIfFull();
            return cut;
        }
    }

    /** Cuts the buffer at once when it holds a full block, rather than at the end of its interval. */
    private void cutIfFull() {
        if (buffer.size() < maxBlockBytes) {
            return;
        }
        try {
            counters.blockFull();
            cutLocked(false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while cutting a full block of job " + job + " node " + node, e);
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
     * Stops cutting and pushing. What is buffered is cut one last time and, if the copy is a
     * log, written to it, so that it is replayed after a restart. Otherwise records not yet
     * reported are dropped with the receiver's memory: requests waiting for them are failed,
     * as nobody will report them.
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
                waiters.completeExceptionally(stoppedBeforeAcknowledged());
                waiters = null;
            }
        }
        pusher.interrupt();
        for (Pending p; (p = pending.poll()) != null; ) {
            if (p.acknowledge() != null) {
                p.acknowledge().completeExceptionally(stoppedBeforeAcknowledged());
            }
        }
    }

    private IllegalStateException stopped() {
        return new IllegalStateException("the stream of job " + job + " node " + node + " is stopped");
    }

    private IllegalStateException stoppedBeforeAcknowledged() {
        return new IllegalStateException("the stream of job " + job + " node " + node
                + " stopped before the records were stored durably");
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
        // Sized for a block like this one, so a steady stream does not regrow it block after block.
        buffer = new RecordWriter(Math.min(block.data().length + block.data().length / 8, MAX_INITIAL_BUFFER));
        buffered = 0;
        waiters = null;
        counters.blockCut(block.records());
        if (last && durable != null && !durable.survivesUnreported()) {
            // Nobody will report it: a replica of it would be one the coordinator never counts.
            LOG.debugf("dropping %s cut at shutdown: it cannot be reported any more", block);
            if (cutFor != null) {
                cutFor.completeExceptionally(stoppedBeforeAcknowledged());
            }
            return;
        }
        if (durable != null) {
            IOException failure;
            try {
                failure = copy(block, cutFor != null || last);
            } catch (InterruptedException e) {
                LOG.errorf("dropping %s: the stream stopped while no durable copy of it could be made", block);
                throw e;
            }
            if (failure != null) {
                if (cutFor != null) {
                    cutFor.completeExceptionally(failure);
                }
                return;
            }
        }
        CompletableFuture<Block> afterReport = cutFor;
        if (cutFor != null && durable != null && durable.survivesUnreported()) {
            cutFor.complete(block);
            afterReport = null;
        }
        if (last) {
            // The pusher stops now: a logged block is replayed after a restart, an unlogged one is lost.
            if (durable == null) {
                LOG.debugf("dropping %s cut at shutdown: the stream has no durable copy", block);
            }
            if (afterReport != null) {
                afterReport.completeExceptionally(stoppedBeforeAcknowledged());
            }
            return;
        }
        // Blocking while holding the lock is the point: add() waits too, which back-pressures the source.
        pending.put(new Pending(block, afterReport));
    }

    /**
     * Makes the durable copy of {@code block}. Retries with backoff unless {@code giveUp};
     * returns the failure if it gave up.
     */
    private IOException copy(Block block, boolean giveUp) throws InterruptedException {
        Backoff backoff = Backoff.standard();
        boolean failing = false;
        while (true) {
            try {
                durable.make(block);
                if (failing) {
                    LOG.infof("%s copied to %s after retries", block, durable.describe());
                }
                return null;
            } catch (IOException | RuntimeException e) {
                durable.countFailure(counters);
                IOException failure = e instanceof IOException io ? io : new IOException(e);
                if (giveUp || !running) {
                    // The requests waiting for it are refused and retried by their clients: nothing is lost.
                    LOG.warnf("cannot copy %s to %s, dropping it (none of its records was acknowledged): %s",
                            block, durable.describe(), e.getMessage());
                    return failure;
                }
                if (!failing) {
                    LOG.errorf("cannot copy %s to %s, retrying; the source waits meanwhile: %s", block,
                            durable.describe(), e.getMessage());
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
                Pending next = pending.take();
                try {
                    push(next);
                } catch (RuntimeException | LinkageError e) {
                    // A dead pusher would stall the stream for good; the block keeps its durable copy.
                    LOG.errorf(e, "pushing %s failed; going on with the next block", next.block());
                    if (next.acknowledge() != null) {
                        next.acknowledge().completeExceptionally(e);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void push(Pending next) throws InterruptedException {
        Block block = next.block();
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
                    if (durable != null) {
                        durable.drop(block);
                    }
                }
                if (failing) {
                    LOG.infof("block %s of job %s node %d reported after retries", block.id(), job, node);
                }
                if (next.acknowledge() != null) {
                    next.acknowledge().complete(block);
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
        if (next.acknowledge() != null) {
            next.acknowledge().completeExceptionally(stoppedBeforeAcknowledged());
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
