package dev.sluice.receiver;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ReceiverLifecycleTest {

    @Test
    void sweepsAQuarterOfTheRetentionWithinBounds() {
        assertEquals(Duration.ofSeconds(10), ReceiverLifecycle.sweepPeriod(Duration.ofMinutes(2)));
        assertEquals(Duration.ofSeconds(5), ReceiverLifecycle.sweepPeriod(Duration.ofSeconds(20)));
        assertEquals(Duration.ofMillis(100), ReceiverLifecycle.sweepPeriod(Duration.ofMillis(200)));
    }
}
