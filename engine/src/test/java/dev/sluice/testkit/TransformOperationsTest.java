package dev.sluice.testkit;

import dev.sluice.api.Batch;
import dev.sluice.api.DStream;
import dev.sluice.api.Pair;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import static dev.sluice.testkit.OperatorTestSupport.SECOND;
import static dev.sluice.testkit.OperatorTestSupport.assertBatchesAnyOrder;
import static dev.sluice.testkit.OperatorTestSupport.pairs;
import static dev.sluice.testkit.OperatorTestSupport.seconds;
import static dev.sluice.testkit.OperatorTestSupport.sorted;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * transform and its relatives, repartition, and cache / persist / checkpoint. Expectations
 * follow Spark's BasicOperationsSuite (transform, transformWith, StreamingContext.transform,
 * repartition) where a case is Spark's own; the rest are worked out by hand.
 */
class TransformOperationsTest {

    private static List<Integer> range(int from, int to) {
        List<Integer> out = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            out.add(i);
        }
        return out;
    }

    @Nested
    class Transform {

        @Test
        void batchFunctionIsSparksTransformTest() {
            List<List<Integer>> input = List.of(range(1, 4), List.of(), range(9, 12));
            List<List<String>> out = StreamTest.run(SECOND, input, s -> s.transform(b -> b.map(x -> "#" + x)), 3);
            assertBatchesAnyOrder(List.of(List.of("#1", "#2", "#3", "#4"), List.of(), List.of("#9", "#10", "#11", "#12")),
                    out);
        }

        @Test
        void batchFunctionMayChainBatchOperations() {
            List<List<String>> input = List.of(List.of("a b", "", "c"), List.of("dd"));
            List<List<String>> out = StreamTest.run(SECOND, input,
                    s -> s.transform(b -> b.flatMap(line -> Arrays.asList(line.split(" ")))
                            .filter(w -> !w.isEmpty())
                            .map(String::toUpperCase)), 2);
            assertBatchesAnyOrder(List.of(List.of("A", "B", "C"), List.of("DD")), out);
        }

        @Test
        void batchTimeIsPassed() {
            List<List<String>> input = List.of(List.of("a", "b"), List.of(), List.of("c"));
            List<List<String>> out = StreamTest.run(SECOND, input,
                    s -> s.transform((batch, time) -> batch.map(x -> x + "@" + time)), 3);
            assertBatchesAnyOrder(List.of(List.of("a@1000", "b@1000"), List.of(), List.of("c@3000")), out);
        }

        @Test
        void transformOfAWindowSeesTheWholeWindowAtTheWindowsTime() {
            List<List<Integer>> input = List.of(List.of(1), List.of(2), List.of(3), List.of(4));
            List<List<String>> out = StreamTest.run(SECOND, input,
                    s -> s.window(seconds(3), seconds(2)).transform((batch, time) -> batch.map(x -> time + ":" + x)), 4);
            assertBatchesAnyOrder(List.of(List.of("2000:1", "2000:2"), List.of("4000:2", "4000:3", "4000:4")), out);
        }

        @Test
        void transformToPairGivesAPairStream() {
            List<List<String>> input = List.of(List.of("a", "b", "a"), List.of(), List.of("b"));
            List<List<Pair<String, Integer>>> out = StreamTest.run(SECOND, input,
                    s -> s.transformToPair(b -> b.mapToPair(w -> Pair.of(w, 1))).reduceByKey(Integer::sum), 3);
            assertBatchesAnyOrder(List.of(List.of(Pair.of("a", 2), Pair.of("b", 1)), List.of(), List.of(Pair.of("b", 1))),
                    out);
        }

        @Test
        void transformToPairWithPerKeyBatchOperations() {
            List<List<String>> input = List.of(List.of("a", "b", "a", "c", "a"));
            List<List<Pair<String, Integer>>> out = StreamTest.run(SECOND, input,
                    s -> s.transformToPair(b -> b.mapToPair(w -> Pair.of(w, 1)).reduceByKey(Integer::sum)), 1);
            assertBatchesAnyOrder(List.of(List.of(Pair.of("a", 3), Pair.of("b", 1), Pair.of("c", 1))), out);
        }

        @Test
        void sortByKeyInsideTransformFixesTheOrder() {
            List<List<Pair<String, Integer>>> input = List.of(
                    List.of(Pair.of("c", 3), Pair.of("a", 1), Pair.of("d", 4), Pair.of("b", 2)));
            List<List<Pair<String, Integer>>> ascending = StreamTest.run(SECOND, input,
                    s -> s.transformToPair(b -> b.mapToPair(p -> p).sortByKey(true)), 1);
            assertEquals(List.of(List.of(Pair.of("a", 1), Pair.of("b", 2), Pair.of("c", 3), Pair.of("d", 4))), ascending);
            List<List<Pair<String, Integer>>> descending = StreamTest.run(SECOND, input,
                    s -> s.transformToPair(b -> b.mapToPair(p -> p).sortByKey(Comparator.<String>reverseOrder())), 1);
            assertEquals(List.of(List.of(Pair.of("d", 4), Pair.of("c", 3), Pair.of("b", 2), Pair.of("a", 1))), descending);
        }

        @Test
        void transformWithJoinIsSparksTransformWithTest() {
            List<List<String>> left = List.of(List.of("a", "b"), List.of("a", ""), List.of(""), List.of());
            List<List<String>> right = List.of(List.of("a", "b"), List.of("b", ""), List.of(), List.of(""));
            List<List<Pair<String, Pair<Integer, String>>>> out = StreamTest.run(SECOND, left, right,
                    (l, r) -> l.mapToPair(w -> Pair.of(w, 1)).transformWith(r.mapToPair(w -> Pair.of(w, "x")),
                            (b1, b2, time) -> b1.mapToPair(p -> p).join(b2.mapToPair(p -> p))), 4);
            assertBatchesAnyOrder(List.of(
                    List.of(Pair.of("a", Pair.of(1, "x")), Pair.of("b", Pair.of(1, "x"))),
                    List.of(Pair.of("", Pair.of(1, "x"))),
                    List.of(),
                    List.of()), out);
        }

        @Test
        void transformWithPassesBothBatchesOfTheSameTimeAndTheTime() {
            List<List<Integer>> first = List.of(List.of(1), List.of(2));
            List<List<Integer>> second = List.of(List.of(10), List.of(), List.of(30));
            List<List<String>> out = StreamTest.run(SECOND, first, second,
                    (a, b) -> a.transformWith(b, (x, y, time) -> x.map(v -> "first " + v + "@" + time)
                            .union(y.map(v -> "second " + v + "@" + time))), 3);
            assertBatchesAnyOrder(List.of(
                    List.of("first 1@1000", "second 10@1000"),
                    List.of("first 2@2000"),
                    List.of("second 30@3000")), out);
        }

        @Test
        void contextTransformOverThreeStreamsIsSparksTest() {
            List<List<Integer>> input = List.of(range(1, 4), range(101, 104), range(201, 204));
            List<List<Integer>> out = StreamTest.run(SECOND, input, s -> s.context().transform(
                    List.of(s, s.map(x -> x + 4), s.map(x -> x + 8)),
                    (batches, time) -> {
                        Batch<Integer> union = ints(batches.get(0));
                        for (Batch<?> b : batches.subList(1, batches.size())) {
                            union = union.union(ints(b));
                        }
                        return union;
                    }), 3);
            assertBatchesAnyOrder(List.of(range(1, 12), range(101, 112), range(201, 212)), out);
        }

        @Test
        void contextTransformGivesTheBatchesInStreamOrderWithTheTime() {
            List<List<Integer>> input = List.of(List.of(1, 2), List.of(), List.of(3));
            List<List<String>> out = StreamTest.run(SECOND, input, s -> s.context().transform(
                    List.of(s.map(x -> x * 10), s.map(x -> -x)),
                    (batches, time) -> ints(batches.get(0)).map(x -> "tens " + x + "@" + time)
                            .union(ints(batches.get(1)).map(x -> "negated " + x + "@" + time))), 3);
            assertBatchesAnyOrder(List.of(
                    List.of("tens 10@1000", "tens 20@1000", "negated -1@1000", "negated -2@1000"),
                    List.of(),
                    List.of("tens 30@3000", "negated -3@3000")), out);
        }
    }

    @SuppressWarnings("unchecked")
    private static Batch<Integer> ints(Batch<?> batch) {
        return (Batch<Integer>) batch;
    }

    @Nested
    class Repartition {

        @Test
        void morePartitionsIsSparksTest() {
            List<List<Integer>> input = List.of(range(1, 100), range(101, 200), List.of());
            List<List<List<Integer>>> out = StreamTest.run(SECOND, input, s -> s.repartition(5).glom(), 3);
            assertEquals(3, out.size());
            for (int i = 0; i < 3; i++) {
                assertEquals(5, out.get(i).size(), "partitions of batch " + (i + 1));
                assertEquals(sorted(input.get(i)), sorted(flatten(out.get(i))), "elements of batch " + (i + 1));
            }
            assertEquals(List.of(List.of(), List.of(), List.of(), List.of(), List.of()), out.get(2));
        }

        @Test
        void fewerPartitionsIsSparksTest() {
            List<List<Integer>> input = List.of(range(1, 100), range(101, 200), range(201, 300));
            List<List<List<Integer>>> out = StreamTest.run(SECOND, 5, input, s -> s.repartition(2).glom(), 3);
            for (int i = 0; i < 3; i++) {
                assertEquals(2, out.get(i).size(), "partitions of batch " + (i + 1));
                assertEquals(sorted(input.get(i)), sorted(flatten(out.get(i))), "elements of batch " + (i + 1));
            }
        }

        @Test
        void elementsAreSpreadEvenly() {
            // two input partitions of 50 each, dealt round-robin over 5: 10 + 10 in each
            List<List<List<Integer>>> out = StreamTest.run(SECOND, List.of(range(1, 100)),
                    s -> s.repartition(5).glom(), 1);
            assertEquals(List.of(20, 20, 20, 20, 20), out.get(0).stream().map(List::size).toList());
        }

        @Test
        void keepsDuplicatesAndPairs() {
            List<List<Pair<String, Integer>>> input = List.of(List.of(Pair.of("a", 1), Pair.of("a", 1), Pair.of("b", 2)));
            List<List<Pair<String, Integer>>> out = StreamTest.run(SECOND, input,
                    s -> pairs(pairs(s).repartition(3)).reduceByKey(Integer::sum), 1);
            assertBatchesAnyOrder(List.of(List.of(Pair.of("a", 2), Pair.of("b", 2))), out);
        }
    }

    private static <T> List<T> flatten(List<List<T>> partitions) {
        List<T> all = new ArrayList<>();
        partitions.forEach(all::addAll);
        return all;
    }

    /**
     * A persisted stream feeding two outputs must give each the same results as the same
     * stream without persistence (Spark: persist and checkpoint change storage, not results).
     */
    @Nested
    class Persistence {

        @TempDir
        Path checkpoints;

        private final List<List<Integer>> input = List.of(List.of(1, 2, 3), List.of(), List.of(4, 5));

        @Test
        void cachedStreamFeedingTwoOutputs() {
            List<List<Integer>> doubled = new ArrayList<>();
            List<List<Integer>> sums = StreamTest.run(SECOND, input, s -> {
                DStream<Integer> cached = s.map(x -> x * 2).cache();
                cached.foreachBatch((batch, time) -> doubled.add(batch.collect()));
                return cached.reduce(Integer::sum);
            }, 3);
            assertBatchesAnyOrder(List.of(List.of(2, 4, 6), List.of(), List.of(8, 10)), doubled);
            assertEquals(List.of(List.of(12), List.of(), List.of(18)), sums);
            assertEquals(sums, StreamTest.run(SECOND, input, s -> s.map(x -> x * 2).reduce(Integer::sum), 3));
        }

        @Test
        void persistedWindowFeedingTwoOutputs() {
            List<List<Long>> counts = new ArrayList<>();
            List<List<Integer>> sums = StreamTest.run(SECOND, List.of(List.of(1, 2), List.of(), List.of(3)), s -> {
                DStream<Integer> window = s.window(seconds(2), SECOND).persist();
                window.count().foreachBatch((batch, time) -> counts.add(batch.collect()));
                return window.reduce(Integer::sum);
            }, 5);
            assertEquals(List.of(List.of(2L), List.of(2L), List.of(1L), List.of(1L), List.of(0L)), counts);
            assertEquals(List.of(List.of(3), List.of(3), List.of(3), List.of(3), List.of()), sums);
        }

        @Test
        void checkpointedStateFeedingTwoOutputs() {
            List<List<String>> words = List.of(List.of("a"), List.of("a", "b"), List.of(), List.of("b"));
            List<List<Pair<String, Integer>>> states = new ArrayList<>();
            List<List<Pair<String, Integer>>> tenfold = StreamTest.run(SECOND, words, s -> {
                s.context().checkpoint(checkpoints.toString());
                DStream<Pair<String, Integer>> state = s.mapToPair(w -> Pair.of(w, 1))
                        .updateStateByKey(TransformOperationsTest::runningSum)
                        .checkpoint(seconds(2));
                state.foreachBatch((batch, time) -> states.add(batch.collect()));
                return pairs(state).mapValues(v -> v * 10);
            }, 4);
            assertBatchesAnyOrder(List.of(
                    List.of(Pair.of("a", 1)),
                    List.of(Pair.of("a", 2), Pair.of("b", 1)),
                    List.of(Pair.of("a", 2), Pair.of("b", 1)),
                    List.of(Pair.of("a", 2), Pair.of("b", 2))), states);
            assertBatchesAnyOrder(List.of(
                    List.of(Pair.of("a", 10)),
                    List.of(Pair.of("a", 20), Pair.of("b", 10)),
                    List.of(Pair.of("a", 20), Pair.of("b", 10)),
                    List.of(Pair.of("a", 20), Pair.of("b", 20))), tenfold);
        }

        @Test
        void checkpointedIncrementalWindowAsSparksInverseReduceTests() {
            // Spark's reduceByKeyAndWindow-with-inverse tests checkpoint every 100 s
            List<List<Pair<String, Integer>>> keyLeaves =
                    List.of(List.of(Pair.of("a", 1)), List.of(Pair.of("a", 1)), List.of(), List.of());
            List<List<Pair<String, Integer>>> out = StreamTest.run(SECOND, keyLeaves, s -> {
                s.context().checkpoint(checkpoints.toString());
                return pairs(s).reduceByKeyAndWindow(Integer::sum, (a, b) -> a - b, seconds(2), SECOND)
                        .checkpoint(seconds(100));
            }, 4);
            assertEquals(List.of(List.of(Pair.of("a", 1)), List.of(Pair.of("a", 2)), List.of(Pair.of("a", 1)),
                    List.of(Pair.of("a", 0))), out);
        }

        @Test
        void checkpointEveryOtherWindowIsAMultipleOfTheSlide() {
            List<List<Integer>> ones = List.of(List.of(1), List.of(2), List.of(3), List.of(4), List.of(5), List.of(6));
            List<List<Integer>> out = StreamTest.run(SECOND, ones, s -> {
                s.context().checkpoint(checkpoints.toString());
                return s.window(seconds(2), seconds(2)).checkpoint(seconds(4)).cache();
            }, 6);
            assertBatchesAnyOrder(List.of(List.of(1, 2), List.of(3, 4), List.of(5, 6)), out);
        }
    }

    private static Optional<Integer> runningSum(List<Integer> values, Optional<Integer> state) {
        int sum = state.orElse(0);
        for (int v : values) {
            sum += v;
        }
        return Optional.of(sum);
    }
}
