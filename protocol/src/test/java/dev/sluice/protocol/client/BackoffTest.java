package dev.sluice.protocol.client;

import org.junit.jupiter.api.Test;

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
}
