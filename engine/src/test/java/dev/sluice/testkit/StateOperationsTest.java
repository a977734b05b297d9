package dev.sluice.testkit;

import dev.sluice.api.MapWithStateDStream;
import dev.sluice.api.Pair;
import dev.sluice.api.State;
import dev.sluice.api.StateSpec;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import static dev.sluice.testkit.OperatorTestSupport.SECOND;
import static dev.sluice.testkit.OperatorTestSupport.assertBatchesAnyOrder;
import static dev.sluice.testkit.OperatorTestSupport.assertGroupedByPartition;
import static dev.sluice.testkit.OperatorTestSupport.pairs;
import static dev.sluice.testkit.OperatorTestSupport.seconds;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * updateStateByKey and mapWithState, batch interval 1 s. Expectations follow Spark's
 * BasicOperationsSuite (updateStateByKey tests) and MapWithStateSuite, where a case is
 * Spark's own it is named so. Timeouts follow Sluice's rule (checked at every batch, which
 * Spark does only at checkpoints): a key that last got a value at u (or was loaded from the
 * initial state at the first batch) times out at the first batch t with u &lt; t − timeout, is
 * called once with an empty value and its last state, and is gone.
 */
class StateOperationsTest {

    /** Spark's input for the running-count state tests. */
    private static final List<List<String>> WORDS = List.of(
            List.of("a"), List.of("a", "b"), List.of("a", "b", "c"), List.of("a", "b"), List.of("a"), List.of());

    /** Spark's running counts of WORDS, shown after every batch. */
    private static final List<List<Pair<String, Integer>>> RUNNING_COUNTS = List.of(
            List.of(Pair.of("a", 1)),
            List.of(Pair.of("a", 2), Pair.of("b", 1)),
            List.of(Pair.of("a", 3), Pair.of("b", 2), Pair.of("c", 1)),
            List.of(Pair.of("a", 4), Pair.of("b", 3), Pair.of("c", 1)),
            List.of(Pair.of("a", 5), Pair.of("b", 3), Pair.of("c", 1)),
            List.of(Pair.of("a", 5), Pair.of("b", 3), Pair.of("c", 1)));

    private static Optional<Integer> runningSum(List<Integer> values, Optional<Integer> state) {
        int sum = state.orElse(0);
        for (int v : values) {
            sum += v;
        }
        return Optional.of(sum);
    }

    @Nested
    class UpdateStateByKey {

        @Test
        void runningCountIsSparksUpdateStateByKeyTest() {
            List<List<Pair<String, Integer>>> out = StreamTest.run(SECOND, WORDS,
                    s -> s.mapToPair(w -> Pair.of(w, 1)).updateStateByKey(StateOperationsTest::runningSum), 6);
            assertBatchesAnyOrder(RUNNING_COUNTS, out);
        }

        @Test
        void everyKeyWithStateIsCalledEveryBatchEvenWithoutInput() {
            List<List<String>> input = List.of(List.of("a"), List.of(), List.of("b", "b"));
            // the state counts the calls: once per key and batch, however many values
            List<List<Pair<String, Integer>>> out = StreamTest.run(SECOND, input,
                    s -> s.mapToPair(w -> Pair.of(w, 1)).updateStateByKey(StateOperationsTest::countCalls), 5);
            assertBatchesAnyOrder(List.of(
                    List.of(Pair.of("a", 1)),
                    List.of(Pair.of("a", 2)),
                    List.of(Pair.of("a", 3), Pair.of("b", 1)),
                    List.of(Pair.of("a", 4), Pair.of("b", 2)),
                    List.of(Pair.of("a", 5), Pair.of("b", 3))), out);
        }

        @Test
        void noKeysBeforeTheFirstValues() {
            List<List<String>> input = List.of(List.of(), List.of(), List.of("a"));
            List<List<Pair<String, Integer>>> out = StreamTest.run(SECOND, input,
                    s -> s.mapToPair(w -> Pair.of(w, 1)).updateStateByKey(StateOperationsTest::runningSum), 4);
            assertEquals(List.of(List.of(), List.of(), List.of(Pair.of("a", 1)), List.of(Pair.of("a", 1))), out);
        }

        @Test
        void emptyResultDropsTheKeyAsSparksObjectLifecycleTest() {
            // Spark's input had null (no data) batches where these are empty
            List<List<String>> input = List.of(List.of("a", "b"), List.of(), List.of("a", "c", "a"), List.of("c"),
                    List.of(), List.of());
            List<List<Pair<String, Integer>>> out = StreamTest.run(SECOND, input,
                    s -> s.mapToPair(w -> Pair.of(w, 1))
                            .updateStateByKey(StateOperationsTest::countUntilIdleTwice)
                            .mapValues(Pair::first), 6);
            assertBatchesAnyOrder(List.of(
                    List.of(Pair.of("a", 1), Pair.of("b", 1)),
                    List.of(Pair.of("a", 1), Pair.of("b", 1)),
                    List.of(Pair.of("a", 3), Pair.of("c", 1)),
                    List.of(Pair.of("a", 3), Pair.of("c", 2)),
                    List.of(Pair.of("c", 2)),
                    List.of()), out);
        }

        @Test
        void valuesArriveInOrder() {
            // two input partitions: [k:a] and [k:b, k:c]
            List<List<Pair<String, String>>> input = List.of(
                    List.of(Pair.of("k", "a"), Pair.of("k", "b"), Pair.of("k", "c")),
                    List.of(Pair.of("k", "d"), Pair.of("j", "x")));
            List<List<Pair<String, String>>> out = StreamTest.run(SECOND, input,
                    s -> pairs(s).updateStateByKey(StateOperationsTest::concat), 2);
            assertBatchesAnyOrder(List.of(
                    List.of(Pair.of("k", "abc")),
                    List.of(Pair.of("k", "abcd"), Pair.of("j", "x"))), out);
        }

        @Test
        void numPartitionsPutsKeysInTheirHashPartition() {
            // x, y, z hash to 120, 121, 122: partitions 0, 1, 2 of 3
            List<List<String>> input = List.of(List.of("z", "y", "x", "z"), List.of("y"));
            List<List<Pair<String, Integer>>> out = StreamTest.run(SECOND, input,
                    s -> s.mapToPair(w -> Pair.of(w, 1)).updateStateByKey(StateOperationsTest::runningSum, 3), 3);
            assertEquals(List.of(
                    List.of(Pair.of("x", 1), Pair.of("y", 1), Pair.of("z", 2)),
                    List.of(Pair.of("x", 1), Pair.of("y", 2), Pair.of("z", 2)),
                    List.of(Pair.of("x", 1), Pair.of("y", 2), Pair.of("z", 2))), out);
        }

        @Test
        void initialStateIsSparksInitialValueRddTest() {
            List<List<Pair<String, Integer>>> out = StreamTest.run(SECOND, WORDS,
                    s -> s.mapToPair(w -> Pair.of(w, 1)).updateStateByKey(StateOperationsTest::runningSum, 2,
                            List.of(Pair.of("a", 1), Pair.of("c", 2))), 6);
            assertBatchesAnyOrder(List.of(
                    List.of(Pair.of("a", 2), Pair.of("c", 2)),
                    List.of(Pair.of("a", 3), Pair.of("b", 1), Pair.of("c", 2)),
                    List.of(Pair.of("a", 4), Pair.of("b", 2), Pair.of("c", 3)),
                    List.of(Pair.of("a", 5), Pair.of("b", 3), Pair.of("c", 3)),
                    List.of(Pair.of("a", 6), Pair.of("b", 3), Pair.of("c", 3)),
                    List.of(Pair.of("a", 6), Pair.of("b", 3), Pair.of("c", 3))), out);
            out.forEach(batch -> assertGroupedByPartition(batch, 2));
        }

        @Test
        void initialStateIsShownFromAnEmptyFirstBatch() {
            List<List<String>> input = List.of(List.of(), List.of("x"));
            List<List<Pair<String, Integer>>> out = StreamTest.run(SECOND, input,
                    s -> s.mapToPair(w -> Pair.of(w, 1)).updateStateByKey(StateOperationsTest::countUntilEmpty, 1,
                            List.of(Pair.of("x", 10), Pair.of("gone", 0))), 2);
            // "gone" is called in the first batch with no values and drops itself
            assertEquals(List.of(List.of(Pair.of("x", 10)), List.of(Pair.of("x", 11))), out);
        }
    }

    private static Optional<Integer> countCalls(List<Integer> values, Optional<Integer> state) {
        return Optional.of(state.orElse(0) + 1);
    }

    /** State (count, batches in a row without values); dropped the second batch in a row without values. */
    private static Optional<Pair<Integer, Integer>> countUntilIdleTwice(List<Integer> values,
                                                                        Optional<Pair<Integer, Integer>> state) {
        Pair<Integer, Integer> s = state.orElse(Pair.of(0, 0));
        if (values.isEmpty()) {
            int idle = s.second() + 1;
            return idle == 2 ? Optional.empty() : Optional.of(Pair.of(s.first(), idle));
        }
        return Optional.of(Pair.of(s.first() + values.size(), 0));
    }

    private static Optional<String> concat(List<String> values, Optional<String> state) {
        return Optional.of(state.orElse("") + String.join("", values));
    }

    /** A running sum that drops a key whose state is 0. */
    private static Optional<Integer> countUntilEmpty(List<Integer> values, Optional<Integer> state) {
        Optional<Integer> sum = runningSum(values, state);
        return sum.get() == 0 ? Optional.empty() : sum;
    }

    @Nested
    class MapWithState {

        /** Spark's input for the mapWithState tests: an empty batch, then WORDS. */
        private final List<List<String>> words = List.of(List.of(), List.of("a"), List.of("a", "b"),
                List.of("a", "b", "c"), List.of("a", "b"), List.of("a"), List.of());

        private StateSpec<String, Integer, Integer, Pair<String, Integer>> runningCount() {
            return StateSpec.function((String key, Optional<Integer> value, State<Integer> state) -> {
                int sum = value.orElse(0) + state.getOption().orElse(0);
                state.update(sum);
                return Pair.of(key, sum);
            });
        }

        @Test
        void statesAsMappedDataIsSparksTestWithItsStateSnapshots() {
            List<List<Pair<String, Integer>>> snapshots = new ArrayList<>();
            List<List<Pair<String, Integer>>> mapped = StreamTest.run(SECOND, words, s -> {
                MapWithStateDStream<String, Integer, Integer, Pair<String, Integer>> m =
                        s.mapToPair(w -> Pair.of(w, 1)).mapWithState(runningCount());
                m.stateSnapshots().foreachBatch((batch, time) -> snapshots.add(batch.collect()));
                return m;
            }, 7);
            assertBatchesAnyOrder(List.of(
                    List.of(),
                    List.of(Pair.of("a", 1)),
                    List.of(Pair.of("a", 2), Pair.of("b", 1)),
                    List.of(Pair.of("a", 3), Pair.of("b", 2), Pair.of("c", 1)),
                    List.of(Pair.of("a", 4), Pair.of("b", 3)),
                    List.of(Pair.of("a", 5)),
                    List.of()), mapped);
            assertBatchesAnyOrder(List.of(
                    List.of(),
                    List.of(Pair.of("a", 1)),
                    List.of(Pair.of("a", 2), Pair.of("b", 1)),
                    List.of(Pair.of("a", 3), Pair.of("b", 2), Pair.of("c", 1)),
                    List.of(Pair.of("a", 4), Pair.of("b", 3), Pair.of("c", 1)),
                    List.of(Pair.of("a", 5), Pair.of("b", 3), Pair.of("c", 1)),
                    List.of(Pair.of("a", 5), Pair.of("b", 3), Pair.of("c", 1))), snapshots);
        }

        @Test
        void calledOncePerRecordInArrivalOrderWithinAKey() {
            // two input partitions: [k:1, k:2] and [j:5, k:3]; each call sees the previous record's update
            List<List<Pair<String, String>>> input = List.of(
                    List.of(Pair.of("k", "1"), Pair.of("k", "2"), Pair.of("j", "5"), Pair.of("k", "3")),
                    List.of(Pair.of("k", "4")));
            StateSpec<String, String, String, String> appendAll = StateSpec.function(
                    (String key, Optional<String> value, State<String> state) -> {
                        String next = state.getOption().orElse("") + value.get();
                        state.update(next);
                        return key + "=" + next;
                    });
            List<List<String>> out = StreamTest.run(SECOND, input, s -> pairs(s).mapWithState(appendAll), 3);
            assertBatchesAnyOrder(List.of(List.of("k=1", "k=12", "k=123", "j=5"), List.of("k=1234"), List.of()), out);
            assertEquals(List.of("k=1", "k=12", "k=123"), out.get(0).stream().filter(m -> m.startsWith("k=")).toList());
        }

        @Test
        void initialStateWithNothingReturnedIsSparksTest() {
            StateSpec<String, Integer, Integer, String> nothing = StateSpec.function(
                    (String key, Optional<Integer> value, State<Integer> state) -> {
                        state.update(value.orElse(0) + state.getOption().orElse(0));
                        return (String) null;
                    }).initialState(List.of(Pair.of("a", 5), Pair.of("b", 10), Pair.of("c", -20), Pair.of("d", 0)));
            List<List<Pair<String, Integer>>> snapshots = new ArrayList<>();
            List<List<String>> mapped = StreamTest.run(SECOND, words, s -> {
                MapWithStateDStream<String, Integer, Integer, String> m =
                        s.mapToPair(w -> Pair.of(w, 1)).mapWithState(nothing);
                m.stateSnapshots().foreachBatch((batch, time) -> snapshots.add(batch.collect()));
                return m.filter(Objects::nonNull); // as Spark's tests, whose functions return None
            }, 7);
            assertEquals(List.of(List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of()), mapped);
            assertBatchesAnyOrder(List.of(
                    List.of(Pair.of("a", 5), Pair.of("b", 10), Pair.of("c", -20), Pair.of("d", 0)),
                    List.of(Pair.of("a", 6), Pair.of("b", 10), Pair.of("c", -20), Pair.of("d", 0)),
                    List.of(Pair.of("a", 7), Pair.of("b", 11), Pair.of("c", -20), Pair.of("d", 0)),
                    List.of(Pair.of("a", 8), Pair.of("b", 12), Pair.of("c", -19), Pair.of("d", 0)),
                    List.of(Pair.of("a", 9), Pair.of("b", 13), Pair.of("c", -19), Pair.of("d", 0)),
                    List.of(Pair.of("a", 10), Pair.of("b", 13), Pair.of("c", -19), Pair.of("d", 0)),
                    List.of(Pair.of("a", 10), Pair.of("b", 13), Pair.of("c", -19), Pair.of("d", 0))), snapshots);
        }

        @Test
        void aNullMappedValueIsKeptAsSparksJavaApiKeepsIt() {
            StateSpec<String, Integer, Integer, String> silent = StateSpec.function(
                    (String key, Optional<Integer> value, State<Integer> state) -> (String) null);
            List<List<String>> out = StreamTest.run(SECOND, List.of(List.of("a", "b")),
                    s -> s.mapToPair(w -> Pair.of(w, 1)).mapWithState(silent), 1);
            assertEquals(List.of(Arrays.asList(null, null)), out);
        }

        @Test
        void initialStateIsWhatTheFirstCallSees() {
            List<List<String>> input = List.of(List.of("a"), List.of("a", "b"));
            List<List<Pair<String, Integer>>> out = StreamTest.run(SECOND, input,
                    s -> s.mapToPair(w -> Pair.of(w, 1)).mapWithState(runningCount().initialState(List.of(Pair.of("a", 10)))),
                    2);
            assertBatchesAnyOrder(List.of(List.of(Pair.of("a", 11)), List.of(Pair.of("a", 12), Pair.of("b", 1))), out);
        }

        @Test
        void stateRemovingIsSparksTest() {
            List<List<String>> input = List.of(List.of(), List.of("a"), List.of("a", "b"), List.of("a", "b", "c"),
                    List.of("a", "b", "c"), List.of("a", "b"), List.of("a"), List.of());
            StateSpec<String, Integer, Integer, String> toggle = StateSpec.function(
                    (String key, Optional<Integer> value, State<Integer> state) -> {
                        if (state.exists()) {
                            state.remove();
                            return key;
                        }
                        state.update(value.get());
                        return (String) null;
                    }).numPartitions(1);
            List<List<Pair<String, Integer>>> snapshots = new ArrayList<>();
            List<List<String>> removed = StreamTest.run(SECOND, input, s -> {
                MapWithStateDStream<String, Integer, Integer, String> m =
                        s.mapToPair(w -> Pair.of(w, 1)).mapWithState(toggle);
                m.stateSnapshots().foreachBatch((batch, time) -> snapshots.add(batch.collect()));
                return m.filter(Objects::nonNull); // as Spark's tests, whose functions return None
            }, 8);
            assertBatchesAnyOrder(List.of(List.of(), List.of(), List.of("a"), List.of("b"), List.of("a", "c"),
                    List.of("b"), List.of("a"), List.of()), removed);
            assertBatchesAnyOrder(List.of(
                    List.of(),
                    List.of(Pair.of("a", 1)),
                    List.of(Pair.of("b", 1)),
                    List.of(Pair.of("a", 1), Pair.of("c", 1)),
                    List.of(Pair.of("b", 1)),
                    List.of(Pair.of("a", 1)),
                    List.of(),
                    List.of()), snapshots);
        }

        @Test
        void numPartitionsPutsKeysAndTheirOutputsInTheirHashPartition() {
            // x, y, z hash to 120, 121, 122: partitions 0, 1, 2 of 3
            List<List<String>> input = List.of(List.of("z", "y", "x", "z"));
            List<List<Pair<String, Integer>>> snapshots = new ArrayList<>();
            List<List<Pair<String, Integer>>> mapped = StreamTest.run(SECOND, input, s -> {
                MapWithStateDStream<String, Integer, Integer, Pair<String, Integer>> m =
                        s.mapToPair(w -> Pair.of(w, 1)).mapWithState(runningCount().numPartitions(3));
                m.stateSnapshots().foreachBatch((batch, time) -> snapshots.add(batch.collect()));
                return m;
            }, 1);
            assertEquals(List.of(List.of(Pair.of("x", 1), Pair.of("y", 1), Pair.of("z", 1), Pair.of("z", 2))), mapped);
            assertEquals(List.of(List.of(Pair.of("x", 1), Pair.of("y", 1), Pair.of("z", 2))), snapshots);
        }

        /** Counts values; a timing-out key reports "key:value:state:isTimingOut". */
        private StateSpec<String, Integer, Integer, String> countWithTimeout(long timeoutSeconds) {
            return StateSpec.function((String key, Optional<Integer> value, State<Integer> state) -> {
                if (value.isPresent()) {
                    state.update(state.getOption().orElse(0) + value.get());
                    return (String) null;
                }
                return key + ":" + value + ":" + state.get() + ":" + state.isTimingOut();
            }).timeout(seconds(timeoutSeconds));
        }

        @Test
        void idleKeysTimeOutOnceWithTheirLastStateAsSparksTimingOutTest() {
            List<List<String>> input = List.of(List.of("a", "b", "c"), List.of("a", "b"), List.of("a"), List.of(),
                    List.of(), List.of("a"), List.of("a"), List.of("a"));
            List<List<Pair<String, Integer>>> snapshots = new ArrayList<>();
            List<List<String>> timedOut = StreamTest.run(SECOND, input, s -> {
                MapWithStateDStream<String, Integer, Integer, String> m =
                        s.mapToPair(w -> Pair.of(w, 1)).mapWithState(countWithTimeout(3));
                m.stateSnapshots().foreachBatch((batch, time) -> snapshots.add(batch.collect()));
                return m.filter(Objects::nonNull); // as Spark's tests, whose functions return None
            }, 8);
            // c, last updated at 1 s, times out at 5 s (1 < 5 - 3); b (2 s) at 6 s; a keeps getting values
            assertEquals(List.of(List.of(), List.of(), List.of(), List.of(), List.of("c:Optional.empty:1:true"),
                    List.of("b:Optional.empty:2:true"), List.of(), List.of()), timedOut);
            assertBatchesAnyOrder(List.of(
                    List.of(Pair.of("a", 1), Pair.of("b", 1), Pair.of("c", 1)),
                    List.of(Pair.of("a", 2), Pair.of("b", 2), Pair.of("c", 1)),
                    List.of(Pair.of("a", 3), Pair.of("b", 2), Pair.of("c", 1)),
                    List.of(Pair.of("a", 3), Pair.of("b", 2), Pair.of("c", 1)),
                    List.of(Pair.of("a", 3), Pair.of("b", 2)),
                    List.of(Pair.of("a", 4)),
                    List.of(Pair.of("a", 5)),
                    List.of(Pair.of("a", 6))), snapshots);
        }

        @Test
        void timeoutIsStrictlyLongerThanTheIdleDuration() {
            List<List<Pair<String, Integer>>> snapshots = new ArrayList<>();
            List<List<String>> timedOut = StreamTest.run(SECOND, List.of(List.of("k")), s -> {
                MapWithStateDStream<String, Integer, Integer, String> m =
                        s.mapToPair(w -> Pair.of(w, 1)).mapWithState(countWithTimeout(2));
                m.stateSnapshots().foreachBatch((batch, time) -> snapshots.add(batch.collect()));
                return m.filter(Objects::nonNull); // as Spark's tests, whose functions return None
            }, 5);
            // updated at 1 s; idle for exactly 2 s at 3 s (kept), for longer at 4 s (timed out)
            assertEquals(List.of(List.of(), List.of(), List.of(), List.of("k:Optional.empty:1:true"), List.of()), timedOut);
            assertEquals(List.of(List.of(Pair.of("k", 1)), List.of(Pair.of("k", 1)), List.of(Pair.of("k", 1)), List.of(),
                    List.of()), snapshots);
        }

        @Test
        void initialStateCountsAsUpdatedAtTheFirstBatch() {
            // Spark's InternalMapWithStateDStream loads the initial state with the first batch's time
            List<List<Pair<String, Integer>>> snapshots = new ArrayList<>();
            List<List<String>> timedOut = StreamTest.run(SECOND, List.<List<String>>of(), s -> {
                MapWithStateDStream<String, Integer, Integer, String> m = s.mapToPair(w -> Pair.of(w, 1))
                        .mapWithState(countWithTimeout(2).initialState(List.of(Pair.of("i", 7))));
                m.stateSnapshots().foreachBatch((batch, time) -> snapshots.add(batch.collect()));
                return m;
            }, 5);
            assertEquals(List.of(List.of(), List.of(), List.of(), List.of("i:Optional.empty:7:true"), List.of()), timedOut);
            assertEquals(List.of(List.of(Pair.of("i", 7)), List.of(Pair.of("i", 7)), List.of(Pair.of("i", 7)), List.of(),
                    List.of()), snapshots);
        }

        @Test
        void aValueKeepsTheKeyAliveEvenWithoutAnUpdate() {
            // "times out a key that got no value for longer than idle"; Spark refreshes the time of
            // every key that got a value and has state when a timeout is set
            StateSpec<String, Integer, Integer, String> spec = StateSpec.function(
                    (String key, Optional<Integer> value, State<Integer> state) -> {
                        if (state.isTimingOut()) {
                            return key + " timed out";
                        }
                        if (state.exists()) {
                            return key + " seen";
                        }
                        state.update(value.get());
                        return key + " new";
                    }).timeout(seconds(2));
            List<List<String>> input = List.of(List.of("k"), List.of("k"), List.of("k"), List.of("k"));
            List<List<String>> out = StreamTest.run(SECOND, input, s -> s.mapToPair(w -> Pair.of(w, 1)).mapWithState(spec),
                    8);
            // last value at 4 s: idle for longer than 2 s first at 7 s
            assertEquals(List.of(List.of("k new"), List.of("k seen"), List.of("k seen"), List.of("k seen"), List.of(),
                    List.of(), List.of("k timed out"), List.of()), out);
        }

        @Test
        void aRemovedKeyDoesNotTimeOut() {
            StateSpec<String, Integer, Integer, String> spec = StateSpec.function(
                    (String key, Optional<Integer> value, State<Integer> state) -> {
                        if (state.isTimingOut()) {
                            return key + " timed out";
                        }
                        if (state.exists()) {
                            state.remove();
                            return key + " removed";
                        }
                        state.update(value.get());
                        return key + " set";
                    }).timeout(SECOND);
            List<List<Pair<String, Integer>>> snapshots = new ArrayList<>();
            List<List<String>> out = StreamTest.run(SECOND, List.of(List.of("k"), List.of("k")), s -> {
                MapWithStateDStream<String, Integer, Integer, String> m =
                        s.mapToPair(w -> Pair.of(w, 1)).mapWithState(spec);
                m.stateSnapshots().foreachBatch((batch, time) -> snapshots.add(batch.collect()));
                return m;
            }, 5);
            assertEquals(List.of(List.of("k set"), List.of("k removed"), List.of(), List.of(), List.of()), out);
            assertEquals(List.of(List.of(Pair.of("k", 1)), List.of(), List.of(), List.of(), List.of()), snapshots);
        }

        @Test
        void aTimingOutStateCannotBeUpdatedOrRemoved() {
            StateSpec<String, Integer, Integer, String> spec = StateSpec.function(
                    (String key, Optional<Integer> value, State<Integer> state) -> {
                        if (!state.isTimingOut()) {
                            state.update(value.get());
                            return key + " updated";
                        }
                        String update;
                        try {
                            state.update(99);
                            update = "update allowed";
                        } catch (IllegalStateException e) {
                            update = "update refused";
                        }
                        String remove;
                        try {
                            state.remove();
                            remove = "remove allowed";
                        } catch (IllegalStateException e) {
                            remove = "remove refused";
                        }
                        return key + " timing out: " + update + ", " + remove;
                    }).timeout(SECOND);
            List<List<Pair<String, Integer>>> snapshots = new ArrayList<>();
            List<List<String>> out = StreamTest.run(SECOND, List.of(List.of("k")), s -> {
                MapWithStateDStream<String, Integer, Integer, String> m =
                        s.mapToPair(w -> Pair.of(w, 1)).mapWithState(spec);
                m.stateSnapshots().foreachBatch((batch, time) -> snapshots.add(batch.collect()));
                return m;
            }, 4);
            assertEquals(List.of(List.of("k updated"), List.of(), List.of("k timing out: update refused, remove refused"),
                    List.of()), out);
            assertEquals(List.of(List.of(Pair.of("k", 1)), List.of(Pair.of("k", 1)), List.of(), List.of()), snapshots);
        }

        @Test
        void aKeyStartsAfreshAfterItTimedOut() {
            StateSpec<String, Integer, Integer, String> spec = StateSpec.function(
                    (String key, Optional<Integer> value, State<Integer> state) -> {
                        if (state.isTimingOut()) {
                            return key + " timed out";
                        }
                        String seen = state.exists() ? key + " seen before" : key + " new";
                        state.update(value.get());
                        return seen;
                    }).timeout(seconds(2));
            List<List<String>> input = List.of(List.of("k"), List.of(), List.of(), List.of(), List.of("k"), List.of("k"));
            List<List<String>> out = StreamTest.run(SECOND, input, s -> s.mapToPair(w -> Pair.of(w, 1)).mapWithState(spec),
                    6);
            assertEquals(List.of(List.of("k new"), List.of(), List.of(), List.of("k timed out"), List.of("k new"),
                    List.of("k seen before")), out);
        }
    }
}
