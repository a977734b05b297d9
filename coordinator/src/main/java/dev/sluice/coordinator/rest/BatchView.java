package dev.sluice.coordinator.rest;

import dev.sluice.coordinator.job.BatchRecord;

/** One batch of a job. Delays not reached yet are null. */
public record BatchView(long batchTime, long inputRecords, Long schedulingDelayMs, Long processingTimeMs,
                        Long totalDelayMs, String status, int tasks, String error) {

    static BatchView of(BatchRecord b) {
        return new BatchView(b.batchTimeMs(), b.inputRecords(), orNull(b.schedulingDelayMs()), orNull(b.processingTimeMs()),
                orNull(b.totalDelayMs()), b.status().name(), b.tasks(), b.error());
    }

    private static Long orNull(long ms) {
        return ms < 0 ? null : ms;
    }
}
