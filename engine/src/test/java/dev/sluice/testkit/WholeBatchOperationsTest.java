package dev.sluice.testkit;

import dev.sluice.api.Pair;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.sluice.testkit.OperatorTestSupport.SECOND;
import static dev.sluice.testkit.OperatorTestSupport.assertBatchesAnyOrder;
import static dev.sluice.testkit.OperatorTestSupport.assertGroupedByPartition;
import static dev.sluice.testkit.OperatorTestSupport.seconds;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Whole-batch operations applied to windows, and unions of windows. A window is a stream like
 * any other: count() of an empty window is [0] and reduce() of one is [], as for a batch
 * (Spark's count and reduce tests in BasicOperationsSuite), unlike countByWindow, which has no
 * value until the first element (Spark's countByWindow is an incremental reduceByWindow).
 */
class WholeBatchOperationsTest {

    @Test
    void countOfAWindowCountsEmptyWindowsUnlikeCountByWindow() {
        List<List<Integer>> input = List.of(List.of(), List.of(), List.of(5));
        List<List<Long>> count = StreamTest.run(SECOND, input, s -> s.window(seconds(2), SECOND).count(), 5);
        assertEquals(List.of(List.of(0L), List.of(0L), List.of(1L), List.of(1L), List.of(0L)), count);
        List<List<Long>> countByWindow = StreamTest.run(SECOND, input, s -> s.countByWindow(seconds(2), SECOND), 5);
        assertEquals(List.of(List.of(), List.of(), List.of(1L), List.of(1L), List.of(0L)), countByWindow);
    }

    @Test
    void countOfAWindowLengthThreeSlideTwo() {
        List<List<Integer>> input = List.of(List.of(1, 2), List.of(), List.of(3));
        List<List<Long>> out = StreamTest.run(SECOND, input, s -> s.window(seconds(3), seconds(2)).count(), 8);
        // windows {1,2}, {2,3,4}, {4,5,6}, {6,7,8}
        assertEquals(List.of(List.of(2L), List.of(1L), List.of(0L), List.of(0L)), out);
    }

    @Test
    void reduceOfAWindowGivesNothingForAnEmptyWindow() {
        List<List<Integer>> input = List.of(List.of(1, 2), List.of(3), List.of(), List.of(), List.of(4));
        List<List<Integer>> out = StreamTest.run(SECOND, input, s -> s.window(seconds(2), SECOND).reduce(Integer::sum), 6);
        assertEquals(List.of(List.of(3), List.of(6), List.of(3), List.of(), List.of(4), List.of(4)), out);
    }

    @Test
    void reduceOfAWindowLengthThreeSlideTwoOverThreeInputPartitions() {
        List<List<Integer>> input = List.of(List.of(5, 1, 7), List.of(2), List.of(9, 4, 4));
        List<List<Integer>> out = StreamTest.run(SECOND, 3, input,
                s -> s.window(seconds(3), seconds(2)).reduce(Math::max), 6);
        assertEquals(List.of(List.of(7), List.of(9), List.of()), out);
    }

    @Test
    void countByValueOfAWindowOverThreePartitions() {
        // "a" hashes to 97 (partition 1 of 3), "b" to 98 (partition 2)
        List<List<String>> input = List.of(List.of("b", "a"), List.of("a"), List.of(), List.of());
        List<List<Pair<String, Long>>> out = StreamTest.run(SECOND, input,
                s -> s.window(seconds(2), SECOND).countByValue(3), 4);
        assertEquals(List.of(
                List.of(Pair.of("a", 1L), Pair.of("b", 1L)),
                List.of(Pair.of("a", 2L), Pair.of("b", 1L)),
                List.of(Pair.of("a", 1L)),
                List.of()), out);
    }

    @Test
    void countByValueWithNegativeHashesPartitionsByFloorMod() {
        // over 4 partitions: 4 -> 0, -3 -> 1, 2 -> 2, -1 -> 3 (a plain % would give -3 and -1)
        List<List<Integer>> input = List.of(List.of(-1, 2, -3, 4, -1));
        List<List<Pair<Integer, Long>>> out = StreamTest.run(SECOND, input, s -> s.countByValue(4), 1);
        assertEquals(List.of(List.of(Pair.of(4, 1L), Pair.of(-3, 1L), Pair.of(2, 1L), Pair.of(-1, 2L))), out);
    }

    @Test
    void countByValueIntoOnePartitionAndEmptyBatches() {
        List<List<String>> input = List.of(List.of("x", "y", "x"), List.of());
        List<List<Pair<String, Long>>> out = StreamTest.run(SECOND, input, s -> s.countByValue(1), 3);
        assertBatchesAnyOrder(List.of(List.of(Pair.of("x", 2L), Pair.of("y", 1L)), List.of(), List.of()), out);
        out.forEach(batch -> assertGroupedByPartition(batch, 1));
    }

    @Test
    void unionOfTwoWindowsWithTheSameSlide() {
        List<List<Integer>> input = List.of(List.of(1), List.of(2), List.of(3), List.of(4));
        List<List<Integer>> out = StreamTest.run(SECOND, input,
                s -> s.window(seconds(2), seconds(2)).union(s.map(x -> x * 10).window(seconds(4), seconds(2))), 6);
        assertBatchesAnyOrder(List.of(List.of(1, 2, 10, 20), List.of(3, 4, 10, 20, 30, 40), List.of(30, 40)), out);
    }

    @Test
    @SuppressWarnings("unchecked")
    void contextUnionOfWindowsAndTheStreamItself() {
        List<List<Integer>> input = List.of(List.of(1), List.of(2), List.of(3));
        List<List<Integer>> out = StreamTest.run(SECOND, input,
                s -> s.context().union(s.window(seconds(2)), s.window(seconds(3)), s), 4);
        assertBatchesAnyOrder(List.of(
                List.of(1, 1, 1),
                List.of(1, 2, 1, 2, 2),
                List.of(2, 3, 1, 2, 3, 3),
                List.of(3, 2, 3)), out);
    }
}
