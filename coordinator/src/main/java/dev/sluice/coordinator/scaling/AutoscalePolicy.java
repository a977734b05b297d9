package dev.sluice.coordinator.scaling;

/**
 * When the autoscaler scales: Spark Streaming's dynamic allocation rule on the ratio of
 * processing time to batch interval.
 *
 * @param high          at or above this ratio, add workers
 * @param low           at or below this ratio, remove one worker
 * @param cooldownOutMs after a change (or the start), how long before the next scale-out
 * @param cooldownInMs  after a change (or the start), how long before the next scale-in
 * @param batches       how many completed batches each decision averages
 */
public record AutoscalePolicy(double high, double low, long cooldownOutMs, long cooldownInMs, int batches) {

    /** Checks the policy; a bad one is refused with the configuration key to fix. */
    public AutoscalePolicy {
        if (!(low > 0 && low < high)) {
            throw new IllegalArgumentException("sluice.autoscale.low (" + low + ") must be above 0 and below "
                    + "sluice.autoscale.high (" + high + ")");
        }
        if (cooldownOutMs < 0 || cooldownInMs < 0) {
            throw new IllegalArgumentException("sluice.autoscale.cooldown-out and cooldown-in must not be negative, got "
                    + cooldownOutMs + " ms and " + cooldownInMs + " ms");
        }
        if (batches < 1) {
            throw new IllegalArgumentException("sluice.autoscale.batches must be 1 or more, got " + batches);
        }
    }

    /** The defaults: 0.9, 0.3, 60 s, 120 s, 5 batches. */
    public static AutoscalePolicy defaults() {
        return new AutoscalePolicy(0.9, 0.3, 60_000, 120_000, 5);
    }
}
