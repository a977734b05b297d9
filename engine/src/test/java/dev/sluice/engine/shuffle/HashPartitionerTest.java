package dev.sluice.engine.shuffle;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HashPartitionerTest {

    /** A key whose hash code is whatever the test says. */
    private record Hashed(int hash) {
        @Override
        public int hashCode() {
            return hash;
        }
    }

    @Test
    void nonNegativeHashCodes() {
        HashPartitioner three = new HashPartitioner(3);
        assertEquals(0, three.partition(new Hashed(0)));
        assertEquals(1, three.partition(new Hashed(1)));
        assertEquals(2, three.partition(new Hashed(2)));
        assertEquals(0, three.partition(new Hashed(3)));
        assertEquals(1, three.partition(new Hashed(7)));
        // 2147483647 = 3 * 715827882 + 1
        assertEquals(1, three.partition(new Hashed(Integer.MAX_VALUE)));
    }

    @Test
    void negativeHashCodesUseFloorMod() {
        HashPartitioner three = new HashPartitioner(3);
        assertEquals(2, three.partition(new Hashed(-1)));   // -1 = 3 * -1 + 2
        assertEquals(1, three.partition(new Hashed(-2)));   // -2 = 3 * -1 + 1
        assertEquals(0, three.partition(new Hashed(-3)));
        assertEquals(2, three.partition(new Hashed(-7)));   // -7 = 3 * -3 + 2
        // -2147483648 = 3 * -715827883 + 1: Math.abs would overflow here, floorMod does not
        assertEquals(1, three.partition(new Hashed(Integer.MIN_VALUE)));

        HashPartitioner two = new HashPartitioner(2);
        assertEquals(1, two.partition(new Hashed(-1)));
        assertEquals(0, two.partition(new Hashed(-2)));
        assertEquals(0, two.partition(new Hashed(Integer.MIN_VALUE)));
    }

    @Test
    void everyPartitionIsInRange() {
        for (int n = 1; n <= 7; n++) {
            HashPartitioner p = new HashPartitioner(n);
            for (int h = -50; h <= 50; h++) {
                int expected = ((h % n) + n) % n;
                assertEquals(expected, p.partition(new Hashed(h)), "hash " + h + " over " + n);
            }
        }
    }

    @Test
    void realKeys() {
        HashPartitioner two = new HashPartitioner(2);
        assertEquals(1, two.partition("a"));  // "a".hashCode() == 97
        assertEquals(0, two.partition("b"));  // 98
        assertEquals(0, two.partition(10));   // Integer hash is the value
        assertEquals(1, two.partition(-7));
        assertEquals(1, two.partition(7L));   // Long hash of small values is the value
    }

    @Test
    void nullKeyGoesToPartitionZero() {
        for (int n = 1; n <= 5; n++) {
            assertEquals(0, new HashPartitioner(n).partition(null));
        }
    }

    @Test
    void onePartitionTakesEverything() {
        HashPartitioner one = new HashPartitioner(1);
        assertEquals(0, one.partition(new Hashed(Integer.MIN_VALUE)));
        assertEquals(0, one.partition("anything"));
    }

    @Test
    void invalidPartitionCountsAreRejected() {
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> new HashPartitioner(0));
        assertTrue(zero.getMessage().contains("0"), zero.getMessage());
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class, () -> new HashPartitioner(-4));
        assertTrue(negative.getMessage().contains("-4"), negative.getMessage());
    }
}
