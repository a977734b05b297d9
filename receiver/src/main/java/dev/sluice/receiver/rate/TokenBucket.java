package dev.sluice.receiver.rate;

/**
 * A token-bucket rate limiter in records per second. The bucket fills at the rate and holds
 * at most one second's worth (and at least one token), so a source may burst for up to a
 * second after an idle spell but averages the rate. A rate of 0 means no limit.
 *
 * <p>Two ways to take tokens: {@link #acquire} waits until the bucket holds them (sources
 * that can be slowed down: a socket reader, a custom receiver's {@code store}), and
 * {@link #tryAcquire} answers at once (HTTP ingest, which tells the client to come back
 * later). {@code tryAcquire} lets the bucket go into debt by up to one second's worth, so a
 * request a little larger than what is left is taken rather than refused; later takers pay
 * the debt off.
 */
public final class TokenBucket {

    /** What {@link #tryAcquire} decided. */
    public record Admission(boolean admitted, long retryAfterNanos, boolean exceedsBurst) {

        static final Admission ADMITTED = new Admission(true, 0, false);

        /** The retry delay rounded up to whole seconds, at least 1: what a {@code Retry-After} header says. */
        public long retryAfterSeconds() {
            return Math.max(1, (retryAfterNanos + 999_999_999L) / 1_000_000_000L);
        }
    }

    private final Ticker ticker;
    // Read without the lock on the fast path of an unlimited bucket.
    private volatile double rate;
    private double tokens;
    private long lastNanos;

    /** An unlimited bucket on the system clock. */
    public TokenBucket() {
        this(Ticker.SYSTEM);
    }

    /** An unlimited bucket on {@code ticker}. */
    public TokenBucket(Ticker ticker) {
        this.ticker = ticker;
        this.lastNanos = ticker.nanoTime();
    }

    /**
     * Sets the rate in records per second; 0 lifts the limit. A bucket that was unlimited
     * starts full; otherwise what it holds is kept, up to the new capacity. Threads waiting in
     * {@link #acquire} re-check at once.
     *
     * @throws IllegalArgumentException for a negative or non-finite rate
     */
    public synchronized void setRate(double recordsPerSecond) {
        if (!(recordsPerSecond >= 0) || Double.isInfinite(recordsPerSecond)) {
            throw new IllegalArgumentException("a rate must be a finite number >= 0, got " + recordsPerSecond);
        }
        refill();
        boolean wasUnlimited = rate == 0;
        rate = recordsPerSecond;
        if (recordsPerSecond > 0) {
            tokens = wasUnlimited ? capacity() : Math.min(tokens, capacity());
        }
        notifyAll();
    }

    /** The rate in records per second; 0 when unlimited. */
    public double rate() {
        return rate;
    }

    /** How many tokens the bucket holds now (negative while in debt); for tests and metrics. */
    public synchronized double tokens() {
        refill();
        return tokens;
    }

    /**
     * Takes {@code n} tokens, waiting until the bucket holds them (or, for more than the bucket
     * holds, until it is full; the rest becomes debt).
     *
     * @return how long it waited, in nanoseconds
     * @throws InterruptedException if interrupted while waiting; no tokens are taken then
     */
    public long acquire(long n) throws InterruptedException {
        if (rate == 0 || n <= 0) {
            return 0;
        }
        long start = ticker.nanoTime();
        boolean waited = false;
        synchronized (this) {
            while (rate > 0) {
                refill();
                double need = Math.min(n, capacity());
                if (tokens >= need) {
                    tokens -= n;
                    break;
                }
                long nanos = (long) Math.ceil((need - tokens) / rate * 1e9);
                waited = true;
                ticker.waitOn(this, Math.max(1, nanos));
            }
        }
        return waited ? Math.max(1, ticker.nanoTime() - start) : 0;
    }

    /**
     * Takes {@code n} tokens if that leaves the bucket at most one second's worth in debt;
     * otherwise takes nothing and says when to try again: when the bucket will have enough, or,
     * for a request larger than the bucket can ever admit at once ({@code exceedsBurst}), when
     * it will be full.
     */
    public synchronized Admission tryAcquire(long n) {
        double r = rate;
        if (r == 0 || n <= 0) {
            return Admission.ADMITTED;
        }
        refill();
        double maxDebt = capacity();
        if (tokens - n >= -maxDebt) {
            tokens -= n;
            return Admission.ADMITTED;
        }
        boolean exceedsBurst = n > capacity() + maxDebt;
        double wanted = exceedsBurst ? capacity() : n - maxDebt;
        long nanos = (long) Math.ceil((wanted - tokens) / r * 1e9);
        return new Admission(false, Math.max(1, nanos), exceedsBurst);
    }

    /**
     * How many tokens a source that reads records in bunches should take at a time so that
     * it is paced about as finely as one by one: a twentieth of a second's worth (at least
     * one), or all of them when there is no limit.
     */
    public long pacingStep() {
        double r = rate;
        return r == 0 ? Long.MAX_VALUE : Math.max(1, (long) (r / 20));
    }

    /** The most tokens the bucket holds: one second's worth, and at least one. */
    private double capacity() {
        return Math.max(rate, 1.0);
    }

    private void refill() {
        long now = ticker.nanoTime();
        double r = rate;
        if (r > 0 && now > lastNanos) {
            tokens = Math.min(capacity(), tokens + (now - lastNanos) * r / 1e9);
        }
        lastNanos = now;
    }
}
