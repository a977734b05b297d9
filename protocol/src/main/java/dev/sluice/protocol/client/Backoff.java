package dev.sluice.protocol.client;

import java.time.Duration;

/**
 * An exponential retry delay: starts at an initial delay and doubles after every failed
 * attempt up to a ceiling, until {@link #reset()} after a success. Not thread-safe: each
 * retry loop owns its own instance.
 */
public final class Backoff {

    /** The delay policy every reconnect and retry loop uses: 100 ms doubling to 5 s. */
    public static final Duration INITIAL = Duration.ofMillis(100);
    /** The ceiling of {@link #INITIAL}'s doubling. */
    public static final Duration MAX = Duration.ofSeconds(5);

    private final long initialMillis;
    private final long maxMillis;
    private long nextMillis;

    /** A backoff from {@code initial} doubling up to {@code max}. */
    public Backoff(Duration initial, Duration max) {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < initial <= max, got " + initial + " and " + max);
        }
        this.initialMillis = initial.toMillis();
        this.maxMillis = max.toMillis();
        this.nextMillis = initialMillis;
    }

    /** The standard policy: 100 ms doubling to 5 s. */
    public static Backoff standard() {
        return new Backoff(INITIAL, MAX);
    }

    /** The delay to wait before the next attempt; the one after it is twice as long, up to the ceiling. */
    public long nextDelayMillis() {
        long d = nextMillis;
        nextMillis = Math.min(maxMillis, nextMillis * 2);
        return d;
    }

    /** Sleeps for {@link #nextDelayMillis()}. */
    public void pause() throws InterruptedException {
        Thread.sleep(nextDelayMillis());
    }

    /** Starts over from the initial delay, after an attempt succeeded. */
    public void reset() {
        nextMillis = initialMillis;
    }

    /** The ceiling of the delay, in milliseconds. */
    public long maxDelayMillis() {
        return maxMillis;
    }
}
