package dev.sluice.engine.exec;

import java.util.concurrent.CompletableFuture;

/**
 * One batch's place in the line of batches an executor runs, oldest first. Batches may
 * overlap, but each waits for the one before it at three points: before its persist stages
 * (they read what the batch before keeps), before the finish halves of its outputs (outputs
 * see batches in order), and before it ends (batches end in order, so what an ending batch
 * forgets no running batch still reads). A batch that fails passes all three points at once.
 */
final class BatchTurn {

    private final long timeMs;
    // Dropped once this batch ended, so that a long run does not chain every turn it had.
    private volatile BatchTurn previous;
    private final CompletableFuture<Void> kept = new CompletableFuture<>();
    private final CompletableFuture<Void> finished = new CompletableFuture<>();
    private final CompletableFuture<Void> ended = new CompletableFuture<>();

    private BatchTurn(long timeMs, BatchTurn previous) {
        this.timeMs = timeMs;
        this.previous = previous;
    }

    /** The turn before the first batch: passed at every point. */
    static BatchTurn start() {
        BatchTurn none = new BatchTurn(Long.MIN_VALUE, null);
        none.end();
        return none;
    }

    /** The turn of the batch at {@code batchTimeMs}, right after this one. */
    BatchTurn next(long batchTimeMs) {
        return new BatchTurn(batchTimeMs, this);
    }

    long timeMs() {
        return timeMs;
    }

    /** Waits until the batch before has kept what it keeps. */
    void awaitPreviousKept() {
        previous.kept.join();
    }

    /** Whether the batch before has finished its outputs. */
    boolean previousFinished() {
        return previous.finished.isDone();
    }

    /** Waits until the batch before has finished its outputs. */
    void awaitPreviousFinished() {
        previous.finished.join();
    }

    /** Waits until the batch before has ended. */
    void awaitPreviousEnded() {
        previous.ended.join();
    }

    /** This batch kept what it keeps. */
    void kept() {
        kept.complete(null);
    }

    /** This batch finished its outputs. */
    void finished() {
        finished.complete(null);
    }

    /** This batch ended, well or not: the next one passes every point. */
    void end() {
        kept.complete(null);
        finished.complete(null);
        ended.complete(null);
        previous = null;
    }
}
