package dev.sluice.pipeline;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class NumbersTest {

    @Test
    void wholeNumbersAreLongsAndTheRestDoubles() {
        assertEquals(42L, Numbers.parse("42"));
        assertEquals(-7L, Numbers.parse(" -7 "));
        assertEquals(2.5, Numbers.parse("2.5"));
        assertEquals(3.0, Numbers.parse("3."));
        assertEquals(0.5, Numbers.parse(".5"));
        assertEquals(1000.0, Numbers.parse("1e3"));
        assertEquals(1e19, Numbers.parse("10000000000000000000"));
        assertNull(Numbers.parse("abc"));
        assertNull(Numbers.parse(""));
        assertNull(Numbers.parse("NaN"));
        assertNull(Numbers.parse("Infinity"));
        assertNull(Numbers.parse("0x10"));
    }

    @Test
    void arithmeticKeepsLongsUntilADoubleComesIn() {
        assertEquals(5L, Numbers.sum(2L, 3L));
        assertEquals(5.5, Numbers.sum(2.5, 3L));
        assertEquals(2L, Numbers.min(2L, 2.5));
        assertEquals(2.5, Numbers.max(2L, 2.5));
        assertEquals(Long.MIN_VALUE, Numbers.sum(Long.MAX_VALUE, 1L));
    }

    @Test
    void suggestionsForNearMisses() {
        assertEquals(" (did you mean 'flatMap'?)", Suggestions.didYouMean("flatmap", java.util.List.of("map", "flatMap")));
        assertEquals(" (did you mean 'reduceByKey'?)", Suggestions.didYouMean("reduceBykey", java.util.List.of("reduceByKey")));
        assertEquals("", Suggestions.didYouMean("window", java.util.List.of("from", "union")));
    }
}
