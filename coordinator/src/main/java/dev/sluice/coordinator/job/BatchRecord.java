package dev.sluice.coordinator.job;

import dev.sluice.coordinator.scheduler.StageStats;

import java.util.List;
import java.util.Map;

/**
 * One batch of a job, from the moment it is cut until its outputs are done. Times are
 * wall-clock milliseconds; a field not reached yet is -1.
 */
public final class BatchRecord {

    /** Where a batch is in its life. */
    public enum Status { QUEUED, RUNNING, SUCCEEDED, FAILED }

    private final long batchTimeMs;
    private final long inputRecords;
    private final Map<Integer, Long> sourceRecords;
    private volatile Status status = Status.QUEUED;
    private volatile long startedAtMs = -1;
    private volatile long endedAtMs = -1;
    private volatile long previousEndedAtMs = -1;
    private volatile int tasks;
    private volatile String error;
    private volatile List<StageStats> stages = List.of();

    /**
     * @param sourceRecords for each source node, the records it contributes, where known when cut
     */
    public BatchRecord(long batchTimeMs, Map<Integer, Long> sourceRecords) {
        this.batchTimeMs = batchTimeMs;
        this.sourceRecords = Map.copyOf(sourceRecords);
        this.inputRecords = this.sourceRecords.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The records source {@code node} contributes to this batch. */
    public long sourceRecords(int node) {
        return sourceRecords.getOrDefault(node, 0L);
    }

    public long batchTimeMs() {
        return batchTimeMs;
    }

    public long inputRecords() {
        return inputRecords;
    }

    public Status status() {
        return status;
    }

    public int tasks() {
        return tasks;
    }

    public String error() {
        return error;
    }

    void started(long nowMs) {
        startedAtMs = nowMs;
        status = Status.RUNNING;
    }

    /** @param previousEndMs when the batch before ended, or -1 */
    void succeeded(long nowMs, int taskCount, long previousEndMs) {
        tasks = taskCount;
        previousEndedAtMs = previousEndMs;
        endedAtMs = nowMs;
        status = Status.SUCCEEDED;
    }

    /** @param previousEndMs when the batch before ended, or -1 */
    void failed(long nowMs, String why, long previousEndMs) {
        error = why;
        previousEndedAtMs = previousEndMs;
        endedAtMs = nowMs;
        status = Status.FAILED;
    }

    /** When its processing ended, or -1. */
    long endedAtMs() {
        return endedAtMs;
    }

    /** The stages the batch ran, once it is done. */
    public List<StageStats> stages() {
        return stages;
    }

    /** Records the stages the batch ran. */
    public void stages(List<StageStats> ran) {
        stages = List.copyOf(ran);
    }

    /** From the batch's time to the start of its processing. */
    public long schedulingDelayMs() {
        return startedAtMs < 0 ? -1 : startedAtMs - batchTimeMs;
    }

    /** From the start to the end of its processing. */
    public long processingTimeMs() {
        return endedAtMs < 0 ? -1 : endedAtMs - startedAtMs;
    }

    /**
     * From the later of its start and the previous batch's end to its own end: the share of
     * the job's time this batch took. It is the processing time when batches run one at a
     * time; when they overlap ({@code sluice.job.concurrent-batches}), a batch's processing
     * time includes time the batch before it was also using, and this does not. What the
     * job can sustain is the input per service time, not per processing time.
     */
    public long serviceTimeMs() {
        return endedAtMs < 0 ? -1 : endedAtMs - Math.max(startedAtMs, previousEndedAtMs);
    }

    /** From the batch's time to the end of its processing. */
    public long totalDelayMs() {
        return endedAtMs < 0 ? -1 : endedAtMs - batchTimeMs;
    }
}
