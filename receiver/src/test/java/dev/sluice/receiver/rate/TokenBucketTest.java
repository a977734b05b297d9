package dev.sluice.receiver.rate;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static dev.sluice.receiver.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenBucketTest {

    /** Time that moves only when the test moves it, or when the bucket waits (by exactly the wait). */
    static final class FakeTicker implements Ticker {
        private long nanos = 1_000_000_000L;
        final List<Long> waits = new CopyOnWriteArrayList<>();

        synchronized void advance(Duration d) {
            nanos += d.toNanos();
        }

        @Override
        public synchronized long nanoTime() {
            return nanos;
        }

        @Override
        public void waitOn(Object monitor, long waitNanos) {
            waits.add(waitNanos);
            advance(Duration.ofNanos(waitNanos));
        }
    }

    private final FakeTicker ticker = new FakeTicker();
    private final TokenBucket bucket = new TokenBucket(ticker);

    @Test
    void anUnlimitedBucketNeverWaitsNorRefuses() throws InterruptedException {
        assertEquals(0, bucket.rate());
        for (int i = 0; i < 1000; i++) {
            assertEquals(0, bucket.acquire(1_000));
        }
        assertTrue(bucket.tryAcquire(1_000_000).admitted());
        assertTrue(ticker.waits.isEmpty());
    }

    @Test
    void startsFullThenPacesTakersAtTheRate() throws InterruptedException {
        bucket.setRate(10);
        // A second's worth is there at once.
        for (int i = 0; i < 10; i++) {
            assertEquals(0, bucket.acquire(1), "token " + i);
        }
        // Then one token per 100 ms.
        long waited = 0;
        for (int i = 0; i < 20; i++) {
            waited += bucket.acquire(1);
        }
        assertEquals(TimeUnit.SECONDS.toNanos(2), waited, TimeUnit.MILLISECONDS.toNanos(1));
    }

    @Test
    void refillsWhileIdleUpToOneSecondsWorth() throws InterruptedException {
        bucket.setRate(100);
        bucket.acquire(100);
        ticker.advance(Duration.ofMillis(250));
        assertEquals(25, bucket.tokens(), 1e-6);
        ticker.advance(Duration.ofMinutes(5));
        assertEquals(100, bucket.tokens(), 1e-6);
    }

    @Test
    void keepsAtLeastOneTokenForRatesBelowOne() throws InterruptedException {
        bucket.setRate(0.5);
        assertEquals(0, bucket.acquire(1));
        assertEquals(TimeUnit.SECONDS.toNanos(2), bucket.acquire(1), TimeUnit.MILLISECONDS.toNanos(1));
    }

    @Test
    void admitsARequestThatLeavesAtMostOneSecondOfDebt() {
        bucket.setRate(10);
        assertTrue(bucket.tryAcquire(15).admitted(), "10 tokens, 5 of debt");
        assertEquals(-5, bucket.tokens(), 1e-6);

        TokenBucket.Admission refused = bucket.tryAcquire(6);
        assertFalse(refused.admitted(), "would leave 11 of debt");
        assertFalse(refused.exceedsBurst());
        // Needs tokens >= -4: 1 more token, 100 ms.
        assertEquals(TimeUnit.MILLISECONDS.toNanos(100), refused.retryAfterNanos(), 10);
        assertEquals(1, refused.retryAfterSeconds());
        assertEquals(-5, bucket.tokens(), 1e-6, "a refusal takes nothing");

        ticker.advance(Duration.ofMillis(100));
        assertTrue(bucket.tryAcquire(6).admitted());
    }

    @Test
    void saysWhenTheBucketIsFullForARequestItCanNeverAdmitAtOnce() {
        bucket.setRate(10);
        bucket.tryAcquire(10);
        TokenBucket.Admission refused = bucket.tryAcquire(100);
        assertFalse(refused.admitted());
        assertTrue(refused.exceedsBurst());
        assertEquals(TimeUnit.SECONDS.toNanos(1), refused.retryAfterNanos(), 10);

        ticker.advance(Duration.ofSeconds(3));
        TokenBucket.Admission retryAfterFull = bucket.tryAcquire(21);
        assertFalse(retryAfterFull.admitted(), "2 seconds' worth is the most one request gets");
        assertTrue(bucket.tryAcquire(20).admitted());
        assertEquals(TimeUnit.MILLISECONDS.toNanos(100), bucket.tryAcquire(1).retryAfterNanos(), 10,
                "at the full second of debt, one token more is needed for one record");
    }

    @Test
    void debtFromHttpDelaysBlockingTakers() throws InterruptedException {
        bucket.setRate(10);
        bucket.tryAcquire(20);
        assertEquals(TimeUnit.MILLISECONDS.toNanos(1100), bucket.acquire(1), TimeUnit.MILLISECONDS.toNanos(1));
    }

    @Test
    void aNewRateAppliesToWaitersAtOnce() throws Exception {
        TokenBucket real = new TokenBucket();
        real.setRate(1);
        real.acquire(1);
        Thread waiter = new Thread(() -> {
            try {
                real.acquire(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        // At 1/s the waiter would be done within a second anyway; at 1 per 1000 s it waits until the limit is lifted.
        real.setRate(0.001);
        waiter.start();
        await(Duration.ofSeconds(10), "the waiter to wait", () -> waiter.getState() == Thread.State.TIMED_WAITING);
        real.setRate(0);
        waiter.join(10_000);
        assertFalse(waiter.isAlive(), "lifting the limit releases the waiter");
    }

    @Test
    void lowersTheTokensToTheNewCapacity() {
        bucket.setRate(100);
        bucket.setRate(5);
        assertEquals(5, bucket.tokens(), 1e-6);
        bucket.setRate(0);
        bucket.setRate(7);
        assertEquals(7, bucket.tokens(), 1e-6, "a bucket that was unlimited starts full");
    }

    @Test
    void refusesNonsenseRates() {
        assertThrows(IllegalArgumentException.class, () -> bucket.setRate(-1));
        assertThrows(IllegalArgumentException.class, () -> bucket.setRate(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> bucket.setRate(Double.POSITIVE_INFINITY));
    }

    @Test
    void combinesTheStaticAndTheBackpressureLimit() {
        List<Double> seen = new CopyOnWriteArrayList<>();
        SourceRateLimit limit = new SourceRateLimit(bucket, 0, 0, seen::add);
        assertEquals(0, limit.effective());
        limit.backpressure(50);
        assertEquals(50, limit.effective());
        limit.maxRate(20);
        assertEquals(20, limit.effective(), "the smaller non-zero one");
        limit.backpressure(5);
        assertEquals(5, limit.effective());
        limit.backpressure(0);
        assertEquals(20, limit.effective(), "0 lifts only the backpressure limit");
        limit.backpressure(-3);
        assertEquals(20, limit.effective(), "a negative rate means none");
        assertEquals(List.of(0.0, 50.0, 20.0, 5.0, 20.0, 20.0), seen);
        assertEquals(20, bucket.rate());
    }
}
