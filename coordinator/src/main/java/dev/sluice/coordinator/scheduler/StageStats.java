package dev.sluice.coordinator.scheduler;

/**
 * What one stage of one batch took: tasks, attempts and how they ended. A batch that had
 * to recompute lost partitions of earlier batches also lists those stages, under their
 * own batch times.
 *
 * @param stage          the stage's number in the job's plan
 * @param batchTimeMs    the batch time the stage ran for
 * @param tasks          tasks launched by the batch (one per partition, recomputations included)
 * @param attempts       attempts sent to workers (retries and copies included)
 * @param failedAttempts attempts that failed (task errors, unavailable input, lost fetches)
 * @param speculative    copies launched for stragglers
 * @param firstLaunchMs  when its first task was launched
 * @param lastEndMs      when its last attempt ended, or -1 if none did
 */
public record StageStats(int stage, long batchTimeMs, int tasks, int attempts, int failedAttempts, int speculative,
                         long firstLaunchMs, long lastEndMs) {

    /** How long the stage ran: first launch to last end. */
    public long durationMs() {
        return lastEndMs < 0 ? -1 : lastEndMs - firstLaunchMs;
    }
}
