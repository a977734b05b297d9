package dev.sluice.testkit;

import dev.sluice.api.Pair;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.sluice.testkit.OperatorTestSupport.SECOND;
import static dev.sluice.testkit.OperatorTestSupport.assertBatchesAnyOrder;
import static dev.sluice.testkit.OperatorTestSupport.assertGroupedByPartition;
import static dev.sluice.testkit.OperatorTestSupport.ones;
import static dev.sluice.testkit.OperatorTestSupport.pairs;
import static dev.sluice.testkit.OperatorTestSupport.seconds;
import static dev.sluice.testkit.OperatorTestSupport.sortGroups;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Window operations, batch interval 1 s. Batch i holds input i − 1 at time i s; a window at t
 * covers the batches in (t − length, t] and is output only when t is a multiple of the slide.
 * Expectations come from Spark's WindowOperationsSuite (named where a case is Spark's own) or
 * are worked out by hand from WindowedDStream / ReducedWindowedDStream.
 */
class WindowOperationsTest {

    /** Spark's WindowOperationsSuite window input: one element per batch. */
    private static final List<List<Integer>> ZERO_TO_FIVE =
            List.of(List.of(0), List.of(1), List.of(2), List.of(3), List.of(4), List.of(5));

    /** Spark's bigInput: keys appear, pile up and leave again, twice. */
    private static final List<List<Pair<String, Integer>>> BIG_INPUT = List.of(
            ones("a"), ones("a", "b"), ones("a", "b", "c"), ones("a", "b"), ones("a"), ones(),
            ones("a"), ones("a", "b"), ones("a", "b", "c"), ones("a", "b"), ones("a"), ones());

    /** Spark's bigReduceOutput: window 2 s, slide 1 s, keys leave when their values do. */
    private static final List<List<Pair<String, Integer>>> BIG_REDUCE_OUTPUT = List.of(
            List.of(Pair.of("a", 1)),
            List.of(Pair.of("a", 2), Pair.of("b", 1)),
            List.of(Pair.of("a", 2), Pair.of("b", 2), Pair.of("c", 1)),
            List.of(Pair.of("a", 2), Pair.of("b", 2), Pair.of("c", 1)),
            List.of(Pair.of("a", 2), Pair.of("b", 1)),
            List.of(Pair.of("a", 1)),
            List.of(Pair.of("a", 1)),
            List.of(Pair.of("a", 2), Pair.of("b", 1)),
            List.of(Pair.of("a", 2), Pair.of("b", 2), Pair.of("c", 1)),
            List.of(Pair.of("a", 2), Pair.of("b", 2), Pair.of("c", 1)),
            List.of(Pair.of("a", 2), Pair.of("b", 1)),
            List.of(Pair.of("a", 1)));

    /** Spark's bigReduceInvOutput: with an inverse and no filter, keys stay with value 0. */
    private static final List<List<Pair<String, Integer>>> BIG_REDUCE_INV_OUTPUT = List.of(
            List.of(Pair.of("a", 1)),
            List.of(Pair.of("a", 2), Pair.of("b", 1)),
            List.of(Pair.of("a", 2), Pair.of("b", 2), Pair.of("c", 1)),
            List.of(Pair.of("a", 2), Pair.of("b", 2), Pair.of("c", 1)),
            List.of(Pair.of("a", 2), Pair.of("b", 1), Pair.of("c", 0)),
            List.of(Pair.of("a", 1), Pair.of("b", 0), Pair.of("c", 0)),
            List.of(Pair.of("a", 1), Pair.of("b", 0), Pair.of("c", 0)),
            List.of(Pair.of("a", 2), Pair.of("b", 1), Pair.of("c", 0)),
            List.of(Pair.of("a", 2), Pair.of("b", 2), Pair.of("c", 1)),
            List.of(Pair.of("a", 2), Pair.of("b", 2), Pair.of("c", 1)),
            List.of(Pair.of("a", 2), Pair.of("b", 1), Pair.of("c", 0)),
            List.of(Pair.of("a", 1), Pair.of("b", 0), Pair.of("c", 0)));

    /** Spark's largerSlideInput, for window 4 s, slide 2 s. */
    private static final List<List<Pair<String, Integer>>> LARGER_SLIDE_INPUT = List.of(
            List.of(Pair.of("a", 1)), List.of(Pair.of("a", 2)), List.of(Pair.of("a", 3)), List.of(Pair.of("a", 4)),
            List.of(Pair.of("a", 5)), List.of(Pair.of("a", 6)), List.of(), List.of());

    /** Spark's largerSlideReduceOutput: windows (−2,2], (0,4], (2,6], (4,8]. */
    private static final List<List<Pair<String, Integer>>> LARGER_SLIDE_OUTPUT = List.of(
            List.of(Pair.of("a", 3)), List.of(Pair.of("a", 10)), List.of(Pair.of("a", 18)), List.of(Pair.of("a", 11)));

    /** Spark's "key removed from window" input. */
    private static final List<List<Pair<String, Integer>>> KEY_LEAVES =
            List.of(List.of(Pair.of("a", 1)), List.of(Pair.of("a", 1)), List.of(), List.of());

    /**
     * For window 3 s, slide 2 s (outputs at 2, 4, 6, 8 s covering batches {1,2}, {2,3,4},
     * {4,5,6}, {6,7,8}): b leaves at 6 s, a comes back at 6 s.
     */
    private static final List<List<Pair<String, Integer>>> THREE_BY_TWO_INPUT = List.of(
            List.of(Pair.of("a", 1), Pair.of("b", 1)), List.of(Pair.of("a", 2)), List.of(Pair.of("b", 3)),
            List.of(), List.of(), List.of(Pair.of("a", 5)));

    /** x, y and z hash to 120, 121, 122: partitions 0, 1 and 2 of 3. Listed in reverse. */
    private static final List<List<Pair<String, Integer>>> XYZ_INPUT = List.of(
            List.of(Pair.of("z", 1), Pair.of("y", 2), Pair.of("x", 3), Pair.of("z", 4)),
            List.of(Pair.of("y", 5), Pair.of("x", 6)),
            List.of());

    @Nested
    class Window {

        @Test
        void lengthTwoSlideOneIsSparksBasicWindowAndRunsOutAfterTheInput() {
            List<List<Integer>> out = StreamTest.run(SECOND, ZERO_TO_FIVE, s -> s.window(seconds(2), SECOND), 8);
            assertBatchesAnyOrder(List.of(List.of(0), List.of(0, 1), List.of(1, 2), List.of(2, 3), List.of(3, 4),
                    List.of(4, 5), List.of(5), List.of()), out);
        }

        @Test
        void lengthOnlySlidesEveryBatch() {
            List<List<Integer>> input = List.of(List.of(1, 2), List.of(), List.of(3), List.of());
            List<List<Integer>> out = StreamTest.run(SECOND, input, s -> s.window(seconds(2)), 5);
            assertBatchesAnyOrder(List.of(List.of(1, 2), List.of(1, 2), List.of(3), List.of(3), List.of()), out);
        }

        @Test
        void lengthThreeSlideTwoOutputsEverySecondBatch() {
            List<List<Integer>> input = List.of(List.of(1), List.of(2), List.of(3), List.of(4), List.of(5), List.of(6),
                    List.of(7));
            List<List<Integer>> out = StreamTest.run(SECOND, input, s -> s.window(seconds(3), seconds(2)), 8);
            // t = 2: (-1, 2] -> batches 1, 2; t = 4: (1, 4]; t = 6: (3, 6]; t = 8: (5, 8]
            assertBatchesAnyOrder(List.of(List.of(1, 2), List.of(2, 3, 4), List.of(4, 5, 6), List.of(6, 7)), out);
        }

        @Test
        void tumblingIsSparksTumblingWindow() {
            List<List<Integer>> out = StreamTest.run(SECOND, ZERO_TO_FIVE, s -> s.window(seconds(2), seconds(2)), 6);
            assertBatchesAnyOrder(List.of(List.of(0, 1), List.of(2, 3), List.of(4, 5)), out);
        }

        @Test
        void lengthFourSlideTwoIsSparksLargerWindow() {
            List<List<Integer>> out = StreamTest.run(SECOND, ZERO_TO_FIVE, s -> s.window(seconds(4), seconds(2)), 8);
            assertBatchesAnyOrder(List.of(List.of(0, 1), List.of(0, 1, 2, 3), List.of(2, 3, 4, 5), List.of(4, 5)), out);
        }

        @Test
        void slideLongerThanLengthSkipsBatchesAsSparksNonOverlappingWindow() {
            List<List<Integer>> out = StreamTest.run(SECOND, ZERO_TO_FIVE, s -> s.window(seconds(2), seconds(3)), 6);
            assertBatchesAnyOrder(List.of(List.of(1, 2), List.of(4, 5)), out);
        }

        @Test
        void emptyWindowsGiveEmptyLists() {
            List<List<Integer>> input = List.of(List.of(), List.of(), List.of(7));
            List<List<Integer>> out = StreamTest.run(SECOND, input, s -> s.window(seconds(3), seconds(2)), 6);
            assertBatchesAnyOrder(List.of(List.of(), List.of(7), List.of()), out);
        }

        @Test
        void windowOfAWindowSlidesOnTheInnerWindowsOutputs() {
            List<List<Integer>> input = List.of(List.of(1), List.of(2), List.of(3), List.of(4), List.of(5), List.of(6));
            // inner outputs every second: [1], [1,2], [2,3], [3,4], [4,5], [5,6]; the outer one
            // unions those of (t - 4, t] every 2 s
            List<List<Integer>> out = StreamTest.run(SECOND, input,
                    s -> s.window(seconds(2), SECOND).window(seconds(4), seconds(2)), 6);
            assertBatchesAnyOrder(List.of(List.of(1, 1, 2), List.of(1, 1, 2, 2, 3, 3, 4), List.of(2, 3, 3, 4, 4, 5, 5, 6)),
                    out);
        }
    }

    @Nested
    class CountByWindow {

        @Test
        void sparksCountByWindowTestKeepsCountingZeroOnceEmpty() {
            List<List<Integer>> input = List.of(List.of(1), List.of(1), List.of(1, 2), List.of(0), List.of(), List.of());
            List<List<Long>> out = StreamTest.run(SECOND, input, s -> s.countByWindow(seconds(2), SECOND), 8);
            assertEquals(List.of(List.of(1L), List.of(2L), List.of(3L), List.of(3L), List.of(1L), List.of(0L), List.of(0L),
                    List.of(0L)), out);
        }

        @Test
        void nothingUntilTheFirstElementThenACountEverySlide() {
            List<List<Integer>> input = List.of(List.of(), List.of(), List.of(5, 6));
            List<List<Long>> out = StreamTest.run(SECOND, input, s -> s.countByWindow(seconds(3), seconds(2)), 10);
            // t = 2 covers two empty batches and there is no earlier value: nothing; then 2, and 0 for good
            assertEquals(List.of(List.of(), List.of(2L), List.of(0L), List.of(0L), List.of(0L)), out);
        }
    }

    @Nested
    class ReduceByWindow {

        private final List<List<Integer>> gappy = List.of(List.of(1, 2), List.of(3), List.of(), List.of(), List.of(4));
        private final List<List<Integer>> sparse = List.of(List.of(5, 1), List.of(2), List.of(9), List.of(), List.of(),
                List.of(), List.of(3));

        @Test
        void withoutInverseAnEmptyWindowGivesNothing() {
            List<List<Integer>> out = StreamTest.run(SECOND, gappy,
                    s -> s.reduceByWindow(Integer::sum, seconds(2), SECOND), 6);
            assertEquals(List.of(List.of(3), List.of(6), List.of(3), List.of(), List.of(4), List.of(4)), out);
        }

        @Test
        void withoutInverseLengthThreeSlideTwo() {
            List<List<Integer>> out = StreamTest.run(SECOND, sparse,
                    s -> s.reduceByWindow(Math::max, seconds(3), seconds(2)), 8);
            // windows {1,2}, {2,3,4}, {4,5,6}, {6,7,8}
            assertEquals(List.of(List.of(5), List.of(9), List.of(), List.of(3)), out);
        }

        @Test
        void withInverseAValueStaysOnceItExists() {
            List<List<Integer>> input = List.of(List.of(), List.of(1, 2), List.of(3), List.of(), List.of(), List.of(4));
            List<List<Integer>> out = StreamTest.run(SECOND, input,
                    s -> s.reduceByWindow(Integer::sum, (a, b) -> a - b, seconds(2), SECOND), 8);
            assertEquals(List.of(List.of(), List.of(3), List.of(6), List.of(3), List.of(0), List.of(4), List.of(4),
                    List.of(0)), out);
        }

        @Test
        void withInverseLengthThreeSlideTwo() {
            List<List<Integer>> out = StreamTest.run(SECOND, sparse,
                    s -> s.reduceByWindow(Integer::sum, (a, b) -> a - b, seconds(3), seconds(2)), 10);
            // windows {1,2} = 8, {2,3,4} = 11, {4,5,6} = 0, {6,7,8} = 3, {8,9,10} = 0
            assertEquals(List.of(List.of(8), List.of(11), List.of(0), List.of(3), List.of(0)), out);
        }
    }

    @Nested
    class CountByValueAndWindow {

        @Test
        void sparksTestThenKeysVanishWhenTheirCountDropsToZero() {
            List<List<String>> input = List.of(List.of("a"), List.of("b", "b"), List.of("a", "b"));
            List<List<Pair<String, Long>>> out = StreamTest.run(SECOND, input,
                    s -> s.countByValueAndWindow(seconds(2), SECOND), 5);
            assertBatchesAnyOrder(List.of(
                    List.of(Pair.of("a", 1L)),
                    List.of(Pair.of("a", 1L), Pair.of("b", 2L)),
                    List.of(Pair.of("a", 1L), Pair.of("b", 3L)),
                    List.of(Pair.of("a", 1L), Pair.of("b", 1L)),
                    List.of()), out);
        }

        @Test
        void lengthThreeSlideTwoOverThreePartitions() {
            List<List<String>> input = List.of(List.of("z", "y", "x"), List.of("x"), List.of(), List.of("z"));
            List<List<Pair<String, Long>>> out = StreamTest.run(SECOND, input,
                    s -> s.countByValueAndWindow(seconds(3), seconds(2), 3), 8);
            assertBatchesAnyOrder(List.of(
                    List.of(Pair.of("x", 2L), Pair.of("y", 1L), Pair.of("z", 1L)),
                    List.of(Pair.of("x", 1L), Pair.of("z", 1L)),
                    List.of(Pair.of("z", 1L)),
                    List.of()), out);
            out.forEach(batch -> assertGroupedByPartition(batch, 3));
        }
    }

    @Nested
    class GroupByKeyAndWindow {

        @Test
        void sparksBigTest() {
            List<List<Pair<String, List<Integer>>>> out = StreamTest.run(SECOND, BIG_INPUT,
                    s -> pairs(s).groupByKeyAndWindow(seconds(2), SECOND), 12);
            assertBatchesAnyOrder(List.of(
                    List.of(Pair.of("a", List.of(1))),
                    List.of(Pair.of("a", List.of(1, 1)), Pair.of("b", List.of(1))),
                    List.of(Pair.of("a", List.of(1, 1)), Pair.of("b", List.of(1, 1)), Pair.of("c", List.of(1))),
                    List.of(Pair.of("a", List.of(1, 1)), Pair.of("b", List.of(1, 1)), Pair.of("c", List.of(1))),
                    List.of(Pair.of("a", List.of(1, 1)), Pair.of("b", List.of(1))),
                    List.of(Pair.of("a", List.of(1))),
                    List.of(Pair.of("a", List.of(1))),
                    List.of(Pair.of("a", List.of(1, 1)), Pair.of("b", List.of(1))),
                    List.of(Pair.of("a", List.of(1, 1)), Pair.of("b", List.of(1, 1)), Pair.of("c", List.of(1))),
                    List.of(Pair.of("a", List.of(1, 1)), Pair.of("b", List.of(1, 1)), Pair.of("c", List.of(1))),
                    List.of(Pair.of("a", List.of(1, 1)), Pair.of("b", List.of(1))),
                    List.of(Pair.of("a", List.of(1)))), sortGroups(out));
        }

        @Test
        void lengthOnlyAndAnEmptyWindow() {
            List<List<Pair<String, Integer>>> input = List.of(List.of(Pair.of("a", 1)),
                    List.of(Pair.of("b", 2), Pair.of("a", 3)), List.of(), List.of());
            List<List<Pair<String, List<Integer>>>> out = StreamTest.run(SECOND, input,
                    s -> pairs(s).groupByKeyAndWindow(seconds(2)), 4);
            assertBatchesAnyOrder(List.of(
                    List.of(Pair.of("a", List.of(1))),
                    List.of(Pair.of("a", List.of(1, 3)), Pair.of("b", List.of(2))),
                    List.of(Pair.of("a", List.of(3)), Pair.of("b", List.of(2))),
                    List.of()), sortGroups(out));
        }

        @Test
        void lengthThreeSlideTwo() {
            List<List<Pair<String, Integer>>> input = List.of(List.of(Pair.of("a", 1)),
                    List.of(Pair.of("b", 2), Pair.of("a", 3)), List.of(), List.of(Pair.of("a", 4)));
            List<List<Pair<String, List<Integer>>>> out = StreamTest.run(SECOND, input,
                    s -> pairs(s).groupByKeyAndWindow(seconds(3), seconds(2)), 6);
            assertBatchesAnyOrder(List.of(
                    List.of(Pair.of("a", List.of(1, 3)), Pair.of("b", List.of(2))),
                    List.of(Pair.of("a", List.of(3, 4)), Pair.of("b", List.of(2))),
                    List.of(Pair.of("a", List.of(4)))), sortGroups(out));
        }

        @Test
        void numPartitionsPutsKeysInTheirHashPartition() {
            List<List<Pair<String, List<Integer>>>> out = StreamTest.run(SECOND, XYZ_INPUT,
                    s -> pairs(s).groupByKeyAndWindow(seconds(2), SECOND, 3), 3);
            assertBatchesAnyOrder(List.of(
                    List.of(Pair.of("x", List.of(3)), Pair.of("y", List.of(2)), Pair.of("z", List.of(1, 4))),
                    List.of(Pair.of("x", List.of(3, 6)), Pair.of("y", List.of(2, 5)), Pair.of("z", List.of(1, 4))),
                    List.of(Pair.of("x", List.of(6)), Pair.of("y", List.of(5)))), sortGroups(out));
            // one key per partition here, so the order is fully fixed
            assertEquals(List.of("x", "y", "z"), out.get(1).stream().map(Pair::first).toList());
            out.forEach(batch -> assertGroupedByPartition(batch, 3));
        }
    }

    @Nested
    class ReduceByKeyAndWindowWithoutInverse {

        @Test
        void lengthOnlyDropsAKeyThatLeftTheWindow() {
            List<List<Pair<String, Integer>>> out = StreamTest.run(SECOND, KEY_LEAVES,
                    s -> pairs(s).reduceByKeyAndWindow(Integer::sum, seconds(2)), 4);
            assertEquals(List.of(List.of(Pair.of("a", 1)), List.of(Pair.of("a", 2)), List.of(Pair.of("a", 1)), List.of()),
                    out);
        }

        @Test
        void sparksBigTest() {
            List<List<Pair<String, Integer>>> out = StreamTest.run(SECOND, BIG_INPUT,
                    s -> pairs(s).reduceByKeyAndWindow(Integer::sum, seconds(2), SECOND), 12);
            assertBatchesAnyOrder(BIG_REDUCE_OUTPUT, out);
        }

        @Test
        void sparksLargerSlideTime() {
            List<List<Pair<String, Integer>>> out = StreamTest.run(SECOND, LARGER_SLIDE_INPUT,
                    s -> pairs(s).reduceByKeyAndWindow(Integer::sum, seconds(4), seconds(2)), 8);
            assertEquals(LARGER_SLIDE_OUTPUT, out);
        }

        @Test
        void lengthThreeSlideTwo() {
            List<List<Pair<String, Integer>>> out = StreamTest.run(SECOND, THREE_BY_TWO_INPUT,
                    s -> pairs(s).reduceByKeyAndWindow(Integer::sum, seconds(3), seconds(2)), 8);
            assertBatchesAnyOrder(List.of(
                    List.of(Pair.of("a", 3), Pair.of("b", 1)),
                    List.of(Pair.of("a", 2), Pair.of("b", 3)),
                    List.of(Pair.of("a", 5)),
                    List.of(Pair.of("a", 5))), out);
        }

        @Test
        void numPartitionsPutsKeysInTheirHashPartition() {
            List<List<Pair<String, Integer>>> out = StreamTest.run(SECOND, XYZ_INPUT,
                    s -> pairs(s).reduceByKeyAndWindow(Integer::sum, seconds(2), SECOND, 3), 4);
            assertEquals(List.of(
                    List.of(Pair.of("x", 3), Pair.of("y", 2), Pair.of("z", 5)),
                    List.of(Pair.of("x", 9), Pair.of("y", 7), Pair.of("z", 5)),
                    List.of(Pair.of("x", 6), Pair.of("y", 5)),
                    List.of()), out);
        }
    }

    @Nested
    class ReduceByKeyAndWindowWithInverse {

        @Test
        void aKeyThatLeftTheWindowStaysWithZero() {
            List<List<Pair<String, Integer>>> out = StreamTest.run(SECOND, KEY_LEAVES,
                    s -> pairs(s).reduceByKeyAndWindow(Integer::sum, (a, b) -> a - b, seconds(2), SECOND), 4);
            assertEquals(List.of(List.of(Pair.of("a", 1)), List.of(Pair.of("a", 2)), List.of(Pair.of("a", 1)),
                    List.of(Pair.of("a", 0))), out);
        }

        @Test
        void sparksBigTest() {
            List<List<Pair<String, Integer>>> out = StreamTest.run(SECOND, BIG_INPUT,
                    s -> pairs(s).reduceByKeyAndWindow(Integer::sum, (a, b) -> a - b, seconds(2), SECOND), 12);
            assertBatchesAnyOrder(BIG_REDUCE_INV_OUTPUT, out);
        }

        @Test
        void sparksLargerSlideTime() {
            List<List<Pair<String, Integer>>> out = StreamTest.run(SECOND, LARGER_SLIDE_INPUT,
                    s -> pairs(s).reduceByKeyAndWindow(Integer::sum, (a, b) -> a - b, seconds(4), seconds(2)), 8);
            assertEquals(LARGER_SLIDE_OUTPUT, out);
        }

        @Test
        void lengthThreeSlideTwoKeepsTheKeyThatLeft() {
            List<List<Pair<String, Integer>>> out = StreamTest.run(SECOND, THREE_BY_TWO_INPUT,
                    s -> pairs(s).reduceByKeyAndWindow(Integer::sum, (a, b) -> a - b, seconds(3), seconds(2)), 8);
            assertBatchesAnyOrder(List.of(
                    List.of(Pair.of("a", 3), Pair.of("b", 1)),
                    List.of(Pair.of("a", 2), Pair.of("b", 3)),
                    List.of(Pair.of("a", 5), Pair.of("b", 0)),
                    List.of(Pair.of("a", 5), Pair.of("b", 0))), out);
        }

        @Test
        void numPartitionsPutsKeysInTheirHashPartition() {
            List<List<Pair<String, Integer>>> out = StreamTest.run(SECOND, XYZ_INPUT,
                    s -> pairs(s).reduceByKeyAndWindow(Integer::sum, (a, b) -> a - b, seconds(2), SECOND, 3), 4);
            assertEquals(List.of(
                    List.of(Pair.of("x", 3), Pair.of("y", 2), Pair.of("z", 5)),
                    List.of(Pair.of("x", 9), Pair.of("y", 7), Pair.of("z", 5)),
                    List.of(Pair.of("x", 6), Pair.of("y", 5), Pair.of("z", 0)),
                    List.of(Pair.of("x", 0), Pair.of("y", 0), Pair.of("z", 0))), out);
        }

        @Test
        void filterDropsZerosAsSparksFilteredBigTest() {
            List<List<Pair<String, Integer>>> out = StreamTest.run(SECOND, BIG_INPUT,
                    s -> pairs(s).reduceByKeyAndWindow(Integer::sum, (a, b) -> a - b, seconds(2), SECOND, 2,
                            p -> p.second() != 0), 12);
            assertBatchesAnyOrder(BIG_REDUCE_OUTPUT, out);
        }

        @Test
        void filterLengthThreeSlideTwo() {
            List<List<Pair<String, Integer>>> out = StreamTest.run(SECOND, THREE_BY_TWO_INPUT,
                    s -> pairs(s).reduceByKeyAndWindow(Integer::sum, (a, b) -> a - b, seconds(3), seconds(2), 2,
                            p -> p.second() != 0), 8);
            assertBatchesAnyOrder(List.of(
                    List.of(Pair.of("a", 3), Pair.of("b", 1)),
                    List.of(Pair.of("a", 2), Pair.of("b", 3)),
                    List.of(Pair.of("a", 5)),
                    List.of(Pair.of("a", 5))), out);
        }

        @Test
        void filterWithThreePartitions() {
            List<List<Pair<String, Integer>>> out = StreamTest.run(SECOND, XYZ_INPUT,
                    s -> pairs(s).reduceByKeyAndWindow(Integer::sum, (a, b) -> a - b, seconds(2), SECOND, 3,
                            p -> p.second() != 0), 4);
            assertEquals(List.of(
                    List.of(Pair.of("x", 3), Pair.of("y", 2), Pair.of("z", 5)),
                    List.of(Pair.of("x", 9), Pair.of("y", 7), Pair.of("z", 5)),
                    List.of(Pair.of("x", 6), Pair.of("y", 5)),
                    List.of()), out);
        }
    }
}
