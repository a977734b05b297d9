package dev.sluice.coordinator.rest;

import dev.sluice.coordinator.job.BatchHistory;
import dev.sluice.coordinator.job.BatchRecord;
import dev.sluice.coordinator.job.JobRunner;

import java.util.Map;

/**
 * A job's status.
 *
 * @param lastBatchTime     the time of the newest batch that finished, or null
 * @param schedulingDelayMs the scheduling delay of that batch, or null
 * @param recordsProcessed  input records of all completed batches
 */
public record JobStatus(String name, String state, String fingerprint, Map<String, String> args, long batchIntervalMs,
                        long zeroTime, long startedAt, long batchesCompleted, long batchesFailed, int pendingBatches,
                        Long lastBatchTime, double meanProcessingTimeMs, Long schedulingDelayMs, long recordsProcessed) {

    static JobStatus of(JobRunner job) {
        BatchHistory h = job.history();
        BatchRecord last = h.lastDone();
        return new JobStatus(job.name(), job.state().name(), job.graph().fingerprint(), job.args().asMap(),
                job.graph().batchIntervalMs(), job.zeroTimeMs(), job.startedAtMs(), h.completed(), h.failed(), h.pending(),
                last == null ? null : last.batchTimeMs(), h.meanProcessingTimeMs(),
                last == null ? null : last.schedulingDelayMs(), h.recordsProcessed());
    }
}
