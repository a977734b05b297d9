package dev.sluice.receiver;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BackoffTest {

    @Test
    void doublesUpToTheCeilingAndStartsOverAfterReset() {
        Backoff b = Backoff.standard();
        long[] expected = {100, 200, 400, 800, 1600, 3200, 5000, 5000};
        for (long e : expected) {
            assertEquals(e, b.nextDelayMillis());
        }
        b.reset();
        assertEquals(100, b.nextDelayMillis());
    }

    @Test
    void sweepsAQuarterOfTheRetentionWithinBounds() {
        assertEquals(Duration.ofSeconds(10), ReceiverLifecycle.sweepPeriod(Duration.ofMinutes(2)));
        assertEquals(Duration.ofSeconds(5), ReceiverLifecycle.sweepPeriod(Duration.ofSeconds(20)));
        assertEquals(Duration.ofMillis(100), ReceiverLifecycle.sweepPeriod(Duration.ofMillis(200)));
    }
}
