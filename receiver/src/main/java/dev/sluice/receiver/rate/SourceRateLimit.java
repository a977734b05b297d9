package dev.sluice.receiver.rate;

import java.util.function.DoubleConsumer;

/**
 * The rate limit of one source on this receiver: the smaller non-zero one of the
 * assignment's static {@code max_rate} and the latest {@code RateLimit} backpressure sent,
 * applied to the source's {@link TokenBucket}. 0 means no limit.
 */
public final class SourceRateLimit {

    private final TokenBucket bucket;
    private final DoubleConsumer onChange;
    private double maxRate;
    private double backpressureRate;

    /**
     * A limit on {@code bucket} from the assignment's {@code maxRate} and an initial
     * {@code backpressureRate}; {@code onChange} hears every effective limit set, the first
     * one included.
     */
    public SourceRateLimit(TokenBucket bucket, double maxRate, double backpressureRate, DoubleConsumer onChange) {
        this.bucket = bucket;
        this.onChange = onChange;
        this.maxRate = sanitize(maxRate);
        this.backpressureRate = sanitize(backpressureRate);
        apply();
    }

    /** The bucket the limit is applied to. */
    public TokenBucket bucket() {
        return bucket;
    }

    /** Sets the rate backpressure asks for; 0 lifts it. */
    public synchronized void backpressure(double recordsPerSecond) {
        backpressureRate = sanitize(recordsPerSecond);
        apply();
    }

    /** Sets the static limit; 0 lifts it. */
    public synchronized void maxRate(double recordsPerSecond) {
        maxRate = sanitize(recordsPerSecond);
        apply();
    }

    /** The limit in force, records per second; 0 when there is none. */
    public double effective() {
        return bucket.rate();
    }

    /** The smaller non-zero one of {@code a} and {@code b}; 0 when both are 0. */
    public static double effective(double a, double b) {
        if (a <= 0) {
            return Math.max(b, 0);
        }
        if (b <= 0) {
            return a;
        }
        return Math.min(a, b);
    }

    private void apply() {
        double limit = effective(maxRate, backpressureRate);
        if (limit != bucket.rate()) {
            bucket.setRate(limit);
        }
        onChange.accept(limit);
    }

    /** Negative, NaN and infinite rates mean no limit. */
    private static double sanitize(double rate) {
        return rate > 0 && !Double.isInfinite(rate) ? rate : 0;
    }
}
