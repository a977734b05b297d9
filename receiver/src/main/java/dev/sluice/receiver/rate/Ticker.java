package dev.sluice.receiver.rate;

import java.util.concurrent.TimeUnit;

/** The time source of a {@link TokenBucket}, and how it waits: the system's, or a test's. */
public interface Ticker {

    /** The system's monotonic clock, waiting on the monitor. */
    Ticker SYSTEM = new Ticker() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void waitOn(Object monitor, long nanos) throws InterruptedException {
            TimeUnit.NANOSECONDS.timedWait(monitor, nanos);
        }
    };

    /** A monotonic time in nanoseconds. */
    long nanoTime();

    /**
     * Waits on {@code monitor}, whose lock the caller holds, for at most {@code nanos} or until
     * notified.
     */
    void waitOn(Object monitor, long nanos) throws InterruptedException;
}
