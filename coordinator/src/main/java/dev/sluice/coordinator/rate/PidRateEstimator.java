package dev.sluice.coordinator.rate;

import java.util.OptionalDouble;

/**
 * Spark's PID rate estimator: from each finished batch's size, processing time and
 * scheduling delay, the input rate the job can take now. The proportional term follows
 * the gap between the rate allowed and the rate processed; the integral term works off
 * the backlog that the scheduling delay stands for; the derivative damps swings.
 */
public final class PidRateEstimator {

    private final long batchIntervalMs;
    private final double proportional;
    private final double integral;
    private final double derivative;
    private final double minRate;

    private boolean firstRun = true;
    private long latestTimeMs = -1;
    private double latestRate = -1;
    private double latestError = -1;

    /**
     * @param minRate the rate never goes below this, so the job keeps learning how fast it is
     */
    public PidRateEstimator(long batchIntervalMs, double proportional, double integral, double derivative, double minRate) {
        if (batchIntervalMs <= 0 || proportional < 0 || integral < 0 || derivative < 0 || minRate <= 0) {
            throw new IllegalArgumentException("PID estimator needs a positive interval and minimum rate and non-negative gains");
        }
        this.batchIntervalMs = batchIntervalMs;
        this.proportional = proportional;
        this.integral = integral;
        this.derivative = derivative;
        this.minRate = minRate;
    }

    /** Spark's defaults: proportional 1.0, integral 0.2, derivative 0, minimum 100 records/s. */
    public static PidRateEstimator withDefaults(long batchIntervalMs) {
        return new PidRateEstimator(batchIntervalMs, 1.0, 0.2, 0.0, 100);
    }

    /**
     * Takes a finished batch and returns the new rate in records per second, or empty when
     * the batch says nothing (empty, instantaneous, out of order) or is the first one seen.
     */
    public synchronized OptionalDouble compute(long batchTimeMs, long records, long processingMs, long schedulingDelayMs) {
        if (batchTimeMs <= latestTimeMs || records <= 0 || processingMs <= 0) {
            return OptionalDouble.empty();
        }
        double sinceUpdate = latestTimeMs < 0 ? batchIntervalMs / 1000.0 : (batchTimeMs - latestTimeMs) / 1000.0;
        double processingRate = records * 1000.0 / processingMs;
        double error = latestRate - processingRate;
        // The backlog behind the scheduling delay, as a rate over one batch interval.
        double historicalError = schedulingDelayMs * processingRate / batchIntervalMs;
        double dError = (error - latestError) / sinceUpdate;
        double newRate = Math.max(minRate, latestRate - proportional * error - integral * historicalError - derivative * dError);
        latestTimeMs = batchTimeMs;
        if (firstRun) {
            latestRate = processingRate;
            latestError = 0;
            firstRun = false;
            return OptionalDouble.empty();
        }
        latestRate = newRate;
        latestError = error;
        return OptionalDouble.of(newRate);
    }
}
