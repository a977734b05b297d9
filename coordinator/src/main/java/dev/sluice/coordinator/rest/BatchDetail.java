package dev.sluice.coordinator.rest;

import dev.sluice.coordinator.job.BatchRecord;
import dev.sluice.coordinator.scheduler.StageStats;

import java.util.List;

/**
 * One batch in detail: what {@link BatchView} says, and every stage it ran with its task
 * counts, failures and speculative copies. Stages of earlier batches it recomputed are
 * listed under their own batch times.
 */
public record BatchDetail(long batchTime, long inputRecords, Long schedulingDelayMs, Long processingTimeMs,
                          Long totalDelayMs, String status, int tasks, String error, List<StageStats> stages) {

    static BatchDetail of(BatchRecord b) {
        BatchView v = BatchView.of(b);
        return new BatchDetail(v.batchTime(), v.inputRecords(), v.schedulingDelayMs(), v.processingTimeMs(),
                v.totalDelayMs(), v.status(), v.tasks(), v.error(), b.stages());
    }
}
