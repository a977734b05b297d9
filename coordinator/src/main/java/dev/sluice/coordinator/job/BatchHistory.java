package dev.sluice.coordinator.job;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/** The recent batches of a job, newest last, and running totals over all of them. */
public final class BatchHistory {

    private final int capacity;
    private final Deque<BatchRecord> recent = new ArrayDeque<>();
    private long completed;
    private long failed;
    private long recordsProcessed;
    private long totalProcessingMs;
    private BatchRecord lastDone;

    public BatchHistory(int capacity) {
        this.capacity = capacity;
    }

    synchronized void add(BatchRecord batch) {
        recent.addLast(batch);
        if (recent.size() > capacity) {
            recent.removeFirst();
        }
    }

    synchronized void done(BatchRecord batch) {
        if (batch.status() == BatchRecord.Status.SUCCEEDED) {
            completed++;
            recordsProcessed += batch.inputRecords();
            totalProcessingMs += batch.processingTimeMs();
        } else {
            failed++;
        }
        lastDone = batch;
    }

    /** The batch at {@code batchTimeMs}, if it is still remembered. */
    public synchronized Optional<BatchRecord> find(long batchTimeMs) {
        return recent.stream().filter(b -> b.batchTimeMs() == batchTimeMs).findFirst();
    }

    /** The retained batches, newest first. */

    public synchronized List<BatchRecord> newestFirst() {
        List<BatchRecord> list = new ArrayList<>(recent);
        java.util.Collections.reverse(list);
        return list;
    }

    public synchronized long completed() {
        return completed;
    }

    public synchronized long failed() {
        return failed;
    }

    public synchronized long recordsProcessed() {
        return recordsProcessed;
    }

    /** The mean processing time of the completed batches, or 0. */
    public synchronized double meanProcessingTimeMs() {
        return completed == 0 ? 0 : (double) totalProcessingMs / completed;
    }

    /** The last batch that finished, well or not, or null. */
    public synchronized BatchRecord lastDone() {
        return lastDone;
    }

    /** Batches cut and not finished. */
    public synchronized int pending() {
        int n = 0;
        for (BatchRecord b : recent) {
            if (b.status() == BatchRecord.Status.QUEUED || b.status() == BatchRecord.Status.RUNNING) {
                n++;
            }
        }
        return n;
    }
}
