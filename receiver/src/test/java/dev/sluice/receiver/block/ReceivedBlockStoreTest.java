package dev.sluice.receiver.block;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReceivedBlockStoreTest {

    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {
        private volatile long millis;

        void advance(Duration d) {
            millis += d.toMillis();
        }

        @Override
        public long millis() {
            return millis;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private static Block block(String id) {
        return new Block(id, "job", 0, new byte[] {1, 2, 3}, 1, 0);
    }

    @Test
    void servesStoredBlocksAndNothingElse() {
        ReceivedBlockStore store = new ReceivedBlockStore(Duration.ofMinutes(2), new ManualClock());
        store.put(block("b1"));
        assertArrayEquals(new byte[] {1, 2, 3}, store.get("b1").orElseThrow().data());
        assertTrue(store.get("b2").isEmpty());
        assertEquals(3, store.bytes());
    }

    @Test
    void dropsBlocksOnlyAfterTheirRetention() {
        ManualClock clock = new ManualClock();
        ReceivedBlockStore store = new ReceivedBlockStore(Duration.ofSeconds(10), clock);
        store.put(block("old"));
        clock.advance(Duration.ofSeconds(6));
        store.put(block("young"));

        clock.advance(Duration.ofSeconds(4));
        assertEquals(0, store.sweep(), "exactly at its retention a block is still kept");

        clock.advance(Duration.ofSeconds(1));
        assertEquals(1, store.sweep());
        assertTrue(store.get("old").isEmpty());
        assertTrue(store.get("young").isPresent());

        // Storing again restarts the retention.
        store.put(block("young"));
        clock.advance(Duration.ofSeconds(9));
        assertEquals(0, store.sweep());
        clock.advance(Duration.ofSeconds(2));
        assertEquals(1, store.sweep());
        assertEquals(0, store.size());
    }
}
