package dev.sluice.testkit;

import dev.sluice.api.DStream;
import dev.sluice.api.Pair;
import dev.sluice.api.PairDStream;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static dev.sluice.testkit.OperatorTestSupport.SECOND;
import static dev.sluice.testkit.OperatorTestSupport.assertBatchesAnyOrder;
import static dev.sluice.testkit.OperatorTestSupport.assertGroupedByPartition;
import static dev.sluice.testkit.OperatorTestSupport.pairs;
import static dev.sluice.testkit.OperatorTestSupport.seconds;
import static dev.sluice.testkit.OperatorTestSupport.sortCogroups;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Joins and cogroup of two streams, with the two-input {@link StreamTest#run} overload: keys
 * match only between the batches of the same time. The first five tests are Spark's
 * BasicOperationsSuite join / leftOuterJoin / rightOuterJoin / fullOuterJoin / cogroup cases
 * (left words paired with 1, right words with "x"), with Scala's Option as Optional.
 */
class JoinOperationsTest {

    private static final List<List<String>> LEFT = List.of(List.of("a", "b"), List.of("a", ""), List.of(""), List.of());
    private static final List<List<String>> RIGHT = List.of(List.of("a", "b"), List.of("b", ""), List.of(), List.of(""));

    private static PairDStream<String, Integer> ones(DStream<String> words) {
        return words.mapToPair(w -> Pair.of(w, 1));
    }

    private static PairDStream<String, String> exes(DStream<String> words) {
        return words.mapToPair(w -> Pair.of(w, "x"));
    }

    private static final Optional<Integer> ONE = Optional.of(1);
    private static final Optional<String> X = Optional.of("x");

    @Test
    void joinIsSparksJoinTest() {
        List<List<Pair<String, Pair<Integer, String>>>> out = StreamTest.run(SECOND, LEFT, RIGHT,
                (l, r) -> ones(l).join(exes(r)), 4);
        assertBatchesAnyOrder(List.of(
                List.of(Pair.of("a", Pair.of(1, "x")), Pair.of("b", Pair.of(1, "x"))),
                List.of(Pair.of("", Pair.of(1, "x"))),
                List.of(),
                List.of()), out);
    }

    @Test
    void leftOuterJoinIsSparksLeftOuterJoinTest() {
        List<List<Pair<String, Pair<Integer, Optional<String>>>>> out = StreamTest.run(SECOND, LEFT, RIGHT,
                (l, r) -> ones(l).leftOuterJoin(exes(r)), 4);
        assertBatchesAnyOrder(List.of(
                List.of(Pair.of("a", Pair.of(1, X)), Pair.of("b", Pair.of(1, X))),
                List.of(Pair.of("", Pair.of(1, X)), Pair.of("a", Pair.of(1, Optional.<String>empty()))),
                List.of(Pair.of("", Pair.of(1, Optional.<String>empty()))),
                List.of()), out);
    }

    @Test
    void rightOuterJoinIsSparksRightOuterJoinTest() {
        List<List<Pair<String, Pair<Optional<Integer>, String>>>> out = StreamTest.run(SECOND, LEFT, RIGHT,
                (l, r) -> ones(l).rightOuterJoin(exes(r)), 4);
        assertBatchesAnyOrder(List.of(
                List.of(Pair.of("a", Pair.of(ONE, "x")), Pair.of("b", Pair.of(ONE, "x"))),
                List.of(Pair.of("", Pair.of(ONE, "x")), Pair.of("b", Pair.of(Optional.<Integer>empty(), "x"))),
                List.of(),
                List.of(Pair.of("", Pair.of(Optional.<Integer>empty(), "x")))), out);
    }

    @Test
    void fullOuterJoinIsSparksFullOuterJoinTest() {
        List<List<Pair<String, Pair<Optional<Integer>, Optional<String>>>>> out = StreamTest.run(SECOND, LEFT, RIGHT,
                (l, r) -> ones(l).fullOuterJoin(exes(r)), 4);
        assertBatchesAnyOrder(List.of(
                List.of(Pair.of("a", Pair.of(ONE, X)), Pair.of("b", Pair.of(ONE, X))),
                List.of(Pair.of("", Pair.of(ONE, X)), Pair.of("a", Pair.of(ONE, Optional.<String>empty())),
                        Pair.of("b", Pair.of(Optional.<Integer>empty(), X))),
                List.of(Pair.of("", Pair.of(ONE, Optional.<String>empty()))),
                List.of(Pair.of("", Pair.of(Optional.<Integer>empty(), X)))), out);
    }

    @Test
    void cogroupIsSparksCogroupTest() {
        List<List<String>> left = List.of(List.of("a", "a", "b"), List.of("a", ""), List.of(""), List.of());
        List<List<String>> right = List.of(List.of("a", "a", "b"), List.of("b", ""), List.of(), List.of());
        List<List<Pair<String, Pair<List<Integer>, List<String>>>>> out = StreamTest.run(SECOND, left, right,
                (l, r) -> ones(l).cogroup(exes(r)), 4);
        assertBatchesAnyOrder(List.of(
                List.of(Pair.of("a", Pair.of(List.of(1, 1), List.of("x", "x"))),
                        Pair.of("b", Pair.of(List.of(1), List.of("x")))),
                List.of(Pair.of("a", Pair.of(List.of(1), List.<String>of())),
                        Pair.of("b", Pair.of(List.<Integer>of(), List.of("x"))),
                        Pair.of("", Pair.of(List.of(1), List.of("x")))),
                List.of(Pair.of("", Pair.of(List.of(1), List.<String>of()))),
                List.of()), sortCogroups(out));
    }

    @Test
    void joinPairsEveryValueOfAKeyWithEveryValueOfTheOtherSide() {
        List<List<Pair<String, Integer>>> left = List.of(List.of(Pair.of("k", 1), Pair.of("m", 9), Pair.of("k", 2)));
        List<List<Pair<String, String>>> right = List.of(List.of(Pair.of("k", "p"), Pair.of("k", "q")));
        List<List<Pair<String, Pair<Integer, String>>>> out = StreamTest.run(SECOND, left, right,
                (l, r) -> pairs(l).join(pairs(r)), 1);
        assertBatchesAnyOrder(List.of(List.of(
                Pair.of("k", Pair.of(1, "p")), Pair.of("k", Pair.of(1, "q")),
                Pair.of("k", Pair.of(2, "p")), Pair.of("k", Pair.of(2, "q")))), out);
    }

    @Test
    void fullOuterJoinRepeatsTheUnmatchedSideForEachValue() {
        List<List<Pair<String, Integer>>> left = List.of(List.of(Pair.of("k", 1), Pair.of("k", 2), Pair.of("m", 3)));
        List<List<Pair<String, String>>> right = List.of(List.of(Pair.of("m", "p"), Pair.of("n", "r"),
                Pair.of("m", "q")));
        List<List<Pair<String, Pair<Optional<Integer>, Optional<String>>>>> out = StreamTest.run(SECOND, left, right,
                (l, r) -> pairs(l).fullOuterJoin(pairs(r)), 1);
        assertBatchesAnyOrder(List.of(List.of(
                Pair.of("k", Pair.of(Optional.of(1), Optional.<String>empty())),
                Pair.of("k", Pair.of(Optional.of(2), Optional.<String>empty())),
                Pair.of("m", Pair.of(Optional.of(3), Optional.of("p"))),
                Pair.of("m", Pair.of(Optional.of(3), Optional.of("q"))),
                Pair.of("n", Pair.of(Optional.<Integer>empty(), Optional.of("r"))))), out);
    }

    @Test
    void keysMatchOnlyWithinTheSameBatch() {
        List<List<Pair<String, Integer>>> left = List.of(List.of(Pair.of("a", 1)), List.of(), List.of(Pair.of("a", 3)));
        List<List<Pair<String, String>>> right = List.of(List.of(), List.of(Pair.of("a", "x")), List.of(Pair.of("a", "z")));
        List<List<Pair<String, Pair<Integer, String>>>> joined = StreamTest.run(SECOND, left, right,
                (l, r) -> pairs(l).join(pairs(r)), 3);
        assertEquals(List.of(List.of(), List.of(), List.of(Pair.of("a", Pair.of(3, "z")))), joined);

        List<List<Pair<String, Pair<Optional<Integer>, Optional<String>>>>> full = StreamTest.run(SECOND, left, right,
                (l, r) -> pairs(l).fullOuterJoin(pairs(r)), 3);
        assertEquals(List.of(
                List.of(Pair.of("a", Pair.of(Optional.of(1), Optional.<String>empty()))),
                List.of(Pair.of("a", Pair.of(Optional.<Integer>empty(), Optional.of("x")))),
                List.of(Pair.of("a", Pair.of(Optional.of(3), Optional.of("z"))))), full);
    }

    @Test
    void joinOfTwoWindowsMatchesKeysAcrossTheWindowedBatches() {
        List<List<Pair<String, Integer>>> left = List.of(List.of(Pair.of("a", 1)), List.of(), List.of());
        List<List<Pair<String, String>>> right = List.of(List.of(), List.of(Pair.of("a", "x")), List.of());
        List<List<Pair<String, Pair<Integer, String>>>> out = StreamTest.run(SECOND, left, right,
                (l, r) -> pairs(l.window(seconds(2))).join(pairs(r.window(seconds(2)))), 3);
        // at 2 s both windows cover batches 1 and 2; at 3 s the left window (batches 2, 3) is empty
        assertEquals(List.of(List.of(), List.of(Pair.of("a", Pair.of(1, "x"))), List.of()), out);
    }

    /** x, y, z hash to 120, 121, 122: partitions 0, 1, 2 of 3; listed in reverse. */
    private final List<List<Pair<String, Integer>>> xyzLeft =
            List.of(List.of(Pair.of("z", 1), Pair.of("y", 2), Pair.of("x", 3)));
    private final List<List<Pair<String, String>>> xyzRight =
            List.of(List.of(Pair.of("z", "c"), Pair.of("x", "a"), Pair.of("w", "d")));

    @Test
    void joinWithNumPartitionsPutsKeysInTheirHashPartition() {
        List<List<Pair<String, Pair<Integer, String>>>> out = StreamTest.run(SECOND, xyzLeft, xyzRight,
                (l, r) -> pairs(l).join(pairs(r), 3), 1);
        assertEquals(List.of(List.of(Pair.of("x", Pair.of(3, "a")), Pair.of("z", Pair.of(1, "c")))), out);
    }

    @Test
    void outerJoinsAndCogroupWithNumPartitionsPutKeysInTheirHashPartition() {
        // w hashes to 119: partition 2 of 3, with z
        List<List<Pair<String, Pair<Integer, Optional<String>>>>> left = StreamTest.run(SECOND, xyzLeft, xyzRight,
                (l, r) -> pairs(l).leftOuterJoin(pairs(r), 3), 1);
        assertEquals(List.of(List.of(Pair.of("x", Pair.of(3, Optional.of("a"))),
                Pair.of("y", Pair.of(2, Optional.<String>empty())),
                Pair.of("z", Pair.of(1, Optional.of("c"))))), left);

        List<List<Pair<String, Pair<Optional<Integer>, String>>>> right = StreamTest.run(SECOND, xyzLeft, xyzRight,
                (l, r) -> pairs(l).rightOuterJoin(pairs(r), 3), 1);
        assertBatchesAnyOrder(List.of(List.of(Pair.of("x", Pair.of(Optional.of(3), "a")),
                Pair.of("z", Pair.of(Optional.of(1), "c")),
                Pair.of("w", Pair.of(Optional.<Integer>empty(), "d")))), right);
        assertEquals("x", right.get(0).get(0).first());
        assertGroupedByPartition(right.get(0), 3);

        List<List<Pair<String, Pair<Optional<Integer>, Optional<String>>>>> full = StreamTest.run(SECOND, xyzLeft,
                xyzRight, (l, r) -> pairs(l).fullOuterJoin(pairs(r), 3), 1);
        assertEquals(4, full.get(0).size());
        assertGroupedByPartition(full.get(0), 3);

        List<List<Pair<String, Pair<List<Integer>, List<String>>>>> cogrouped = StreamTest.run(SECOND, xyzLeft,
                xyzRight, (l, r) -> pairs(l).cogroup(pairs(r), 3), 1);
        assertBatchesAnyOrder(List.of(List.of(
                Pair.of("x", Pair.of(List.of(3), List.of("a"))),
                Pair.of("y", Pair.of(List.of(2), List.<String>of())),
                Pair.of("z", Pair.of(List.of(1), List.of("c"))),
                Pair.of("w", Pair.of(List.<Integer>of(), List.of("d"))))), cogrouped);
        assertGroupedByPartition(cogrouped.get(0), 3);
    }
}
