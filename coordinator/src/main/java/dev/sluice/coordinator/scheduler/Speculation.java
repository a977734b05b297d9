package dev.sluice.coordinator.scheduler;

/**
 * When a straggling task gets a copy on another worker: once {@code quantile} of its
 * stage's tasks have finished, a task running longer than {@code multiplier} times the
 * median of the finished ones, and at least {@code minimumMs}, is copied. The first
 * result wins; the other attempt's result is ignored.
 *
 * @param enabled whether to copy stragglers at all
 */
public record Speculation(boolean enabled, double quantile, double multiplier, long minimumMs) {

    /** Spark's defaults: 75% finished, 1.5 × the median, at least 100 ms. */
    public static Speculation defaults() {
        return new Speculation(true, 0.75, 1.5, 100);
    }

    /** No speculation. */
    public static Speculation off() {
        return new Speculation(false, 1, 1, Long.MAX_VALUE);
    }
}
