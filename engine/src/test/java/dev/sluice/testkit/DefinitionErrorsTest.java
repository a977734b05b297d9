package dev.sluice.testkit;

import dev.sluice.api.DStream;
import dev.sluice.api.Pair;
import dev.sluice.api.PairDStream;
import dev.sluice.api.State;
import dev.sluice.api.StateSpec;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

import static dev.sluice.testkit.OperatorTestSupport.SECOND;
import static dev.sluice.testkit.OperatorTestSupport.assertNames;
import static dev.sluice.testkit.OperatorTestSupport.millis;
import static dev.sluice.testkit.OperatorTestSupport.seconds;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * What Spark rejects when a stream is defined, rejected by Sluice at definition time, before
 * any batch, with a message naming the operator and the rule: window lengths and slides that
 * are not multiples of the parent's slide (WindowedDStream, ReducedWindowedDStream), a
 * checkpoint interval that is not a multiple of the slide (DStream.validateAtStart), streams
 * of different slides combined (UnionDStream, TransformedDStream: "different slide
 * durations"), and partition counts that are not positive (HashPartitioner, repartition).
 * Spark accepts a slide longer than the window (WindowOperationsSuite's non-overlapping
 * window), so that is not an error.
 */
class DefinitionErrorsTest {

    private static final List<List<Integer>> INPUT = List.of(List.of(1, 2), List.of(3));

    /** Runs a definition that must be rejected, checks it was rejected while being defined, and returns the error. */
    private static <R> IllegalArgumentException rejected(Function<DStream<Integer>, DStream<R>> definition) {
        boolean[] defined = {false};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StreamTest.run(SECOND, INPUT, s -> {
            DStream<R> out = definition.apply(s);
            defined[0] = true;
            return out;
        }, 2));
        assertFalse(defined[0], "accepted at definition time, rejected only later: " + e);
        return e;
    }

    private static <R> IllegalArgumentException rejected(
            BiFunction<DStream<Integer>, DStream<Integer>, DStream<R>> definition) {
        boolean[] defined = {false};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StreamTest.run(SECOND, INPUT, INPUT, (a, b) -> {
                    DStream<R> out = definition.apply(a, b);
                    defined[0] = true;
                    return out;
                }, 2));
        assertFalse(defined[0], "accepted at definition time, rejected only later: " + e);
        return e;
    }

    private static PairDStream<Integer, Integer> keyed(DStream<Integer> s) {
        return s.mapToPair(x -> Pair.of(x % 2, x));
    }

    private static Optional<Integer> sum(List<Integer> values, Optional<Integer> state) {
        return Optional.of(state.orElse(0) + values.size());
    }

    // ---- windows: length and slide must be multiples of the parent's slide ----

    @Test
    void windowLengthNotAMultipleOfTheBatchInterval() {
        assertNames(rejected(s -> s.window(millis(1500))), "window", "multiple");
        assertNames(rejected(s -> s.window(millis(1500), SECOND)), "window", "multiple");
    }

    @Test
    void windowSlideNotAMultipleOfTheBatchInterval() {
        assertNames(rejected(s -> s.window(seconds(3), millis(1500))), "window", "multiple");
    }

    @Test
    void windowOfAWindowMustUseMultiplesOfTheInnerSlide() {
        // the inner window slides every 2 s: 3 s is a multiple of the batch interval but not of that
        assertNames(rejected(s -> s.window(seconds(2), seconds(2)).window(seconds(3), seconds(2))), "window",
                "multiple");
        assertNames(rejected(s -> s.window(seconds(2), seconds(2)).window(seconds(4), seconds(3))), "window",
                "multiple");
    }

    @Test
    void countByWindowAndReduceByWindow() {
        assertNames(rejected(s -> s.countByWindow(millis(2500), SECOND)), "countByWindow", "multiple");
        assertNames(rejected(s -> s.reduceByWindow(Integer::sum, seconds(2), millis(500))), "reduceByWindow",
                "multiple");
        assertNames(rejected(s -> s.reduceByWindow(Integer::sum, (a, b) -> a - b, millis(1500), SECOND)),
                "reduceByWindow", "multiple");
    }

    @Test
    void countByValueAndWindow() {
        assertNames(rejected(s -> s.countByValueAndWindow(seconds(3), millis(1500))), "countByValueAndWindow",
                "multiple");
    }

    @Test
    void groupByKeyAndWindow() {
        assertNames(rejected(s -> keyed(s).groupByKeyAndWindow(millis(1500), SECOND)), "groupByKeyAndWindow",
                "multiple");
    }

    @Test
    void reduceByKeyAndWindowEveryOverload() {
        assertNames(rejected(s -> keyed(s).reduceByKeyAndWindow(Integer::sum, millis(1500))), "reduceByKeyAndWindow",
                "multiple");
        assertNames(rejected(s -> keyed(s).reduceByKeyAndWindow(Integer::sum, seconds(2), millis(1500))),
                "reduceByKeyAndWindow", "multiple");
        assertNames(rejected(s -> keyed(s).reduceByKeyAndWindow(Integer::sum, (a, b) -> a - b, millis(1500), SECOND)),
                "reduceByKeyAndWindow", "multiple");
        assertNames(rejected(s -> keyed(s).reduceByKeyAndWindow(Integer::sum, (a, b) -> a - b, seconds(3),
                millis(1500), 2, p -> true)), "reduceByKeyAndWindow", "multiple");
    }

    // ---- checkpoint interval must be a multiple of the stream's slide ----

    @Test
    void checkpointIntervalNotAMultipleOfTheSlide() {
        assertNames(rejected(s -> s.map(x -> x).checkpoint(millis(1500))), "checkpoint", "multiple");
        // the window slides every 2 s: 3 s is not a multiple, and 1 s is shorter than the slide
        assertNames(rejected(s -> s.window(seconds(2), seconds(2)).checkpoint(seconds(3))), "checkpoint", "multiple");
        assertNames(rejected(s -> s.window(seconds(2), seconds(2)).checkpoint(SECOND)), "checkpoint", "slide");
    }

    // ---- streams of different slides cannot be combined ----

    @Test
    void unionOfStreamsWithDifferentSlides() {
        assertNames(rejected(s -> s.window(seconds(2), seconds(2)).union(s)), "union", "slide");
    }

    @Test
    void joinOfStreamsWithDifferentSlides() {
        assertNames(rejected((a, b) -> keyed(a.window(seconds(2), seconds(2))).join(keyed(b))), "join", "slide");
    }

    @Test
    void transformWithOfStreamsWithDifferentSlides() {
        assertNames(rejected((a, b) -> a.transformWith(b.window(seconds(3), seconds(3)), (x, y, t) -> x.union(y))),
                "transformWith", "slide");
    }

    // ---- partition counts must be positive ----

    @Test
    void reduceByKeyWithNoOrNegativePartitions() {
        assertNames(rejected(s -> keyed(s).reduceByKey(Integer::sum, 0)), "reduceByKey", "positive");
        assertNames(rejected(s -> keyed(s).reduceByKey(Integer::sum, -1)), "reduceByKey", "positive");
    }

    @Test
    void joinsAndCogroupWithNoOrNegativePartitions() {
        assertNames(rejected((a, b) -> keyed(a).join(keyed(b), 0)), "join", "positive");
        assertNames(rejected((a, b) -> keyed(a).leftOuterJoin(keyed(b), -2)), "leftOuterJoin", "positive");
        assertNames(rejected((a, b) -> keyed(a).rightOuterJoin(keyed(b), 0)), "rightOuterJoin", "positive");
        assertNames(rejected((a, b) -> keyed(a).fullOuterJoin(keyed(b), -1)), "fullOuterJoin", "positive");
        assertNames(rejected((a, b) -> keyed(a).cogroup(keyed(b), 0)), "cogroup", "positive");
    }

    @Test
    void repartitionToNoOrNegativePartitions() {
        assertNames(rejected(s -> s.repartition(0)), "repartition", "positive");
        assertNames(rejected(s -> s.repartition(-3)), "repartition", "positive");
    }

    @Test
    void updateStateByKeyWithNoOrNegativePartitions() {
        assertNames(rejected(s -> keyed(s).updateStateByKey(DefinitionErrorsTest::sum, 0)), "updateStateByKey",
                "positive");
        assertNames(rejected(s -> keyed(s).updateStateByKey(DefinitionErrorsTest::sum, -1,
                List.of(Pair.of(0, 5)))), "updateStateByKey", "positive");
    }

    @Test
    void windowedPerKeyOperationsWithNoPartitions() {
        assertNames(rejected(s -> keyed(s).groupByKeyAndWindow(seconds(2), SECOND, 0)), "groupByKeyAndWindow",
                "positive");
        assertNames(rejected(s -> keyed(s).reduceByKeyAndWindow(Integer::sum, seconds(2), SECOND, 0)),
                "reduceByKeyAndWindow", "positive");
        assertNames(rejected(s -> keyed(s).reduceByKeyAndWindow(Integer::sum, (a, b) -> a - b, seconds(2), SECOND, -1)),
                "reduceByKeyAndWindow", "positive");
        assertNames(rejected(s -> s.countByValueAndWindow(seconds(2), SECOND, 0)), "countByValueAndWindow", "positive");
        assertNames(rejected(s -> s.countByValue(0)), "countByValue", "positive");
    }

    @Test
    void mapWithStateWithNegativePartitions() {
        // 0 means "the default" in StateSpec; a negative count is what Spark's HashPartitioner refuses
        StateSpec<Integer, Integer, Integer, Integer> spec = StateSpec.function(
                (Integer key, Optional<Integer> value, State<Integer> state) -> key).numPartitions(-1);
        assertNames(rejected(s -> keyed(s).mapWithState(spec)), "mapWithState", "partition");
    }
}
