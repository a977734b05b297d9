package dev.sluice.testkit;

import dev.sluice.api.DStream;
import dev.sluice.api.Pair;
import dev.sluice.engine.exec.LocalRunner;
import dev.sluice.engine.graph.GraphBuilder;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StreamTestTest {

    private static final Duration SECOND = Duration.ofSeconds(1);

    // ---- helpers that compute expectations independently of the engine ----

    /** The partition Spark's HashPartitioner picks, written out without Math.floorMod. */
    private static int partitionOf(Object key, int n) {
        int h = key == null ? 0 : key.hashCode();
        int r = h % n;
        return r < 0 ? r + n : r;
    }

    /** Output pairs as a map, failing on a repeated key (a per-key result must have one pair per key). */
    private static <K, V> Map<K, V> asMap(List<Pair<K, V>> pairs) {
        Map<K, V> map = new HashMap<>();
        for (Pair<K, V> p : pairs) {
            assertTrue(!map.containsKey(p.first()), "key " + p.first() + " output twice in " + pairs);
            map.put(p.first(), p.second());
        }
        return map;
    }

    /** Checks that keys come partition by partition: all of partition 0's keys, then partition 1's, ... */
    private static void assertGroupedByPartition(List<? extends Pair<?, ?>> pairs, int numPartitions) {
        int last = 0;
        for (Pair<?, ?> p : pairs) {
            int partition = partitionOf(p.first(), numPartitions);
            assertTrue(partition >= last, "key " + p.first() + " of partition " + partition + " after a key of partition "
                    + last + " in " + pairs);
            last = partition;
        }
    }

    private static Map<String, Integer> countWords(List<String> lines) {
        Map<String, Integer> counts = new HashMap<>();
        for (String line : lines) {
            for (String word : line.split(" ")) {
                if (!word.isEmpty()) {
                    counts.put(word, counts.getOrDefault(word, 0) + 1);
                }
            }
        }
        return counts;
    }

    private static List<Integer> range(int fromInclusive, int toInclusive) {
        List<Integer> out = new ArrayList<>();
        for (int i = fromInclusive; i <= toInclusive; i++) {
            out.add(i);
        }
        return out;
    }

    @Nested
    class ElementWise {

        @Test
        void map() {
            List<List<Integer>> out = StreamTest.run(SECOND, List.of(List.of(1, 2, 3), List.of(4, 5)),
                    s -> s.map(x -> x * 10), 2);
            assertEquals(List.of(List.of(10, 20, 30), List.of(40, 50)), out);
        }

        @Test
        void mapChangesType() {
            List<List<String>> out = StreamTest.run(SECOND, List.of(List.of(1, 22, 333)),
                    s -> s.map(x -> "#" + x), 1);
            assertEquals(List.of(List.of("#1", "#22", "#333")), out);
        }

        @Test
        void flatMapKeepsOrder() {
            List<List<String>> out = StreamTest.run(SECOND, List.of(List.of("a b", "c", ""), List.of("d e f")),
                    s -> s.flatMap(line -> line.isEmpty() ? List.of() : Arrays.asList(line.split(" "))), 2);
            assertEquals(List.of(List.of("a", "b", "c"), List.of("d", "e", "f")), out);
        }

        @Test
        void filter() {
            List<List<Integer>> out = StreamTest.run(SECOND, List.of(range(1, 10), List.of(1, 3, 5)),
                    s -> s.filter(x -> x % 2 == 0), 2);
            assertEquals(List.of(List.of(2, 4, 6, 8, 10), List.of()), out);
        }

        @Test
        void mapToPair() {
            List<List<Pair<String, Integer>>> out = StreamTest.run(SECOND, List.of(List.of("a", "bb", "ccc")),
                    s -> s.mapToPair(w -> Pair.of(w, w.length())), 1);
            assertEquals(List.of(List.of(Pair.of("a", 1), Pair.of("bb", 2), Pair.of("ccc", 3))), out);
        }

        @Test
        void flatMapToPair() {
            List<List<Pair<String, Integer>>> out = StreamTest.run(SECOND, List.of(List.of("ab", "c")),
                    s -> s.flatMapToPair(w -> {
                        List<Pair<String, Integer>> ps = new ArrayList<>();
                        for (char c : w.toCharArray()) {
                            ps.add(Pair.of(String.valueOf(c), w.length()));
                        }
                        return ps;
                    }), 1);
            assertEquals(List.of(List.of(Pair.of("a", 2), Pair.of("b", 2), Pair.of("c", 1))), out);
        }

        @Test
        void mapPartitionsSeesEachPartitionWhole() {
            // 5 elements in 2 partitions: [1, 2] and [3, 4, 5]
            List<List<Integer>> out = StreamTest.run(SECOND, List.of(List.of(1, 2, 3, 4, 5)),
                    s -> s.mapPartitions(it -> {
                        int sum = 0;
                        while (it.hasNext()) {
                            sum += it.next();
                        }
                        return List.of(sum).iterator();
                    }), 1);
            assertEquals(List.of(List.of(3, 12)), out);
        }

        @Test
        void nullElementsProducedByAnOperatorPassThrough() {
            List<List<String>> out = StreamTest.run(SECOND, List.of(List.of(1, 2, 3)),
                    s -> s.map(x -> x == 2 ? null : "v" + x), 1);
            assertEquals(List.of(Arrays.asList("v1", null, "v3")), out);
        }

        @Test
        void nullElementsInTheInput() {
            List<List<String>> input = List.of(Arrays.asList("a", null, "b"));
            List<List<String>> out = StreamTest.run(SECOND, input, s -> s.filter(x -> x != null), 1);
            assertEquals(List.of(List.of("a", "b")), out);
        }
    }

    @Nested
    class Glom {

        @Test
        void twoPartitionsSliceFiveElementsAtTwo() {
            List<List<List<Integer>>> out = StreamTest.run(SECOND, List.of(List.of(1, 2, 3, 4, 5)), DStream::glom, 1);
            assertEquals(List.of(List.of(List.of(1, 2), List.of(3, 4, 5))), out);
        }

        @Test
        void threePartitions() {
            // 7 elements, 3 slices: [0, 2), [2, 4), [4, 7)
            List<List<List<Integer>>> out = StreamTest.run(SECOND, 3, List.of(range(1, 7)), DStream::glom, 1);
            assertEquals(List.of(List.of(List.of(1, 2), List.of(3, 4), List.of(5, 6, 7))), out);
        }

        @Test
        void onePartition() {
            List<List<List<Integer>>> out = StreamTest.run(SECOND, 1, List.of(range(1, 4)), DStream::glom, 1);
            assertEquals(List.of(List.of(List.of(1, 2, 3, 4))), out);
        }

        @Test
        void moreSlicesThanElements() {
            // 2 elements, 3 slices: [0, 0), [0, 1), [1, 2)
            List<List<List<String>>> out = StreamTest.run(SECOND, 3, List.of(List.of("x", "y")), DStream::glom, 1);
            assertEquals(List.of(List.of(List.of(), List.of("x"), List.of("y"))), out);
        }

        @Test
        void emptyBatchHasEmptyPartitions() {
            List<List<List<Integer>>> out = StreamTest.run(SECOND, List.of(List.<Integer>of()), DStream::glom, 2);
            assertEquals(List.of(List.of(List.of(), List.of()), List.of(List.of(), List.of())), out);
        }
    }

    @Nested
    class WholeBatch {

        @Test
        void countIncludingEmptyBatchesAndBatchesPastTheInput() {
            List<List<String>> input = List.of(List.of("a", "b", "c"), List.of(), List.of("d"));
            List<List<Long>> out = StreamTest.run(SECOND, input, DStream::count, 5);
            assertEquals(List.of(List.of(3L), List.of(0L), List.of(1L), List.of(0L), List.of(0L)), out);
        }

        @Test
        void countOfNoInputAtAll() {
            List<List<Long>> out = StreamTest.run(SECOND, List.<List<Integer>>of(), DStream::count, 2);
            assertEquals(List.of(List.of(0L), List.of(0L)), out);
        }

        @Test
        void countOverThreeInputPartitionsAndAfterAFilter() {
            List<Integer> batch = range(1, 100);
            long multiplesOfSeven = batch.stream().filter(x -> x % 7 == 0).count();
            assertEquals(14, multiplesOfSeven);
            List<List<Long>> out = StreamTest.run(SECOND, 3, List.of(batch), s -> s.filter(x -> x % 7 == 0).count(), 1);
            assertEquals(List.of(List.of(multiplesOfSeven)), out);
        }

        @Test
        void countByValue() {
            List<String> batch = List.of("a", "b", "a", "c", "a", "b");
            List<List<Pair<String, Long>>> out = StreamTest.run(SECOND, List.of(batch), DStream::countByValue, 1);
            Map<String, Long> expected = new HashMap<>();
            for (String s : batch) {
                expected.merge(s, 1L, Long::sum);
            }
            assertEquals(1, out.size());
            assertEquals(expected, asMap(out.get(0)));
            assertGroupedByPartition(out.get(0), 2);
        }

        @Test
        void countByValueOverThreePartitions() {
            List<Integer> batch = List.of(1, 2, 3, 4, 5, 6, 1, 2, 3, 1);
            List<List<Pair<Integer, Long>>> out = StreamTest.run(SECOND, List.of(batch), s -> s.countByValue(3), 1);
            // hand-counted; Integer keys hash to themselves, so 3 and 6 first, then 1 and 4, then 2 and 5
            assertEquals(Map.of(1, 3L, 2, 2L, 3, 2L, 4, 1L, 5, 1L, 6, 1L), asMap(out.get(0)));
            assertEquals(Set.of(3, 6), Set.of(out.get(0).get(0).first(), out.get(0).get(1).first()));
            assertEquals(Set.of(1, 4), Set.of(out.get(0).get(2).first(), out.get(0).get(3).first()));
            assertEquals(Set.of(2, 5), Set.of(out.get(0).get(4).first(), out.get(0).get(5).first()));
        }

        @Test
        void reduce() {
            List<List<Integer>> input = List.of(List.of(1, 2, 3, 4), List.of(), List.of(5));
            List<List<Integer>> out = StreamTest.run(SECOND, input, s -> s.reduce(Integer::sum), 4);
            assertEquals(List.of(List.of(10), List.of(), List.of(5), List.of()), out);
        }

        @Test
        void reduceWithMax() {
            List<List<Integer>> out = StreamTest.run(SECOND, 3, List.of(List.of(4, 9, -2, 7, 9, 0)),
                    s -> s.reduce(Math::max), 1);
            assertEquals(List.of(List.of(9)), out);
        }

        @Test
        void unionWithItselfConcatenatesPartitionsInOrder() {
            // s has partitions [1] and [2, 3]; the mapped copy [100] and [200, 300]
            List<List<Integer>> out = StreamTest.run(SECOND, List.of(List.of(1, 2, 3)),
                    s -> s.union(s.map(x -> x * 100)), 1);
            assertEquals(List.of(List.of(1, 2, 3, 100, 200, 300)), out);
        }

        @Test
        void unionOfTwoInputs() {
            List<List<Integer>> one = List.of(List.of(1, 2), List.of(3));
            List<List<Integer>> two = List.of(List.of(10), List.of(20, 30), List.of(40));
            List<List<Integer>> out = StreamTest.run(SECOND, one, two, DStream::union, 4);
            assertEquals(List.of(List.of(1, 2, 10), List.of(3, 20, 30), List.of(40), List.of()), out);
        }

        @Test
        void unionUnderAGlomShowsFourPartitions() {
            List<List<List<Integer>>> out = StreamTest.run(SECOND, List.of(List.of(1, 2, 3)), List.of(List.of(4)),
                    (a, b) -> a.union(b).glom(), 1);
            assertEquals(List.of(List.of(List.of(1), List.of(2, 3), List.of(), List.of(4))), out);
        }
    }

    @Nested
    class PerKey {

        private final List<List<Pair<String, Integer>>> input = List.of(
                List.of(Pair.of("a", 1), Pair.of("b", 2), Pair.of("a", 3), Pair.of("c", 4), Pair.of("d", 5),
                        Pair.of("b", 6), Pair.of("a", 7)),
                List.of(Pair.of("c", 10)));

        @Test
        void reduceByKeyGivesKnownSumsInPartitionOrder() {
            List<List<Pair<String, Integer>>> out = StreamTest.run(SECOND, input,
                    s -> s.mapToPair(p -> p).reduceByKey(Integer::sum), 3);
            assertEquals(3, out.size());
            // "b" (98) and "d" (100) hash to partition 0, "a" (97) and "c" (99) to partition 1
            List<Pair<String, Integer>> first = out.get(0);
            assertEquals(Map.of("a", 11, "b", 8, "c", 4, "d", 5), asMap(first));
            assertEquals(Set.of("b", "d"), Set.of(first.get(0).first(), first.get(1).first()));
            assertEquals(Set.of("a", "c"), Set.of(first.get(2).first(), first.get(3).first()));
            assertEquals(List.of(List.of(Pair.of("c", 10))), out.subList(1, 2));
            assertEquals(List.of(), out.get(2));
        }

        @Test
        void reduceByKeyMatchesADirectCountOnBiggerInput() {
            List<Pair<Integer, Integer>> batch = new ArrayList<>();
            Map<Integer, Integer> expected = new HashMap<>();
            for (int i = 0; i < 500; i++) {
                int key = (i * 7919) % 37 - 18;   // negative keys too
                batch.add(Pair.of(key, i));
                expected.merge(key, i, Integer::sum);
            }
            for (int partitions : new int[] {1, 2, 5}) {
                List<List<Pair<Integer, Integer>>> out = StreamTest.run(SECOND, 3, List.of(batch),
                        s -> s.mapToPair(p -> p).reduceByKey(Integer::sum, partitions), 1);
                assertEquals(expected, asMap(out.get(0)), partitions + " partitions");
                assertGroupedByPartition(out.get(0), partitions);
            }
        }

        @Test
        void groupByKey() {
            List<List<Pair<String, List<Integer>>>> out = StreamTest.run(SECOND, input,
                    s -> s.mapToPair(p -> p).groupByKey(), 1);
            Map<String, List<Integer>> sorted = new HashMap<>();
            for (Pair<String, List<Integer>> p : out.get(0)) {
                List<Integer> values = new ArrayList<>(p.second());
                Collections.sort(values);
                assertTrue(sorted.put(p.first(), values) == null, "key " + p.first() + " twice");
            }
            assertEquals(Map.of("a", List.of(1, 3, 7), "b", List.of(2, 6), "c", List.of(4), "d", List.of(5)), sorted);
            assertGroupedByPartition(out.get(0), 2);
        }

        @Test
        void combineByKeyAverage() {
            List<List<Pair<String, Double>>> out = StreamTest.run(SECOND, input,
                    s -> s.mapToPair(p -> p)
                            .combineByKey(v -> Pair.of(v, 1),
                                    (acc, v) -> Pair.of(acc.first() + v, acc.second() + 1),
                                    (x, y) -> Pair.of(x.first() + y.first(), x.second() + y.second()), 2)
                            .mapValues(acc -> (double) acc.first() / acc.second()),
                    2);
            // a: (1 + 3 + 7) / 3, b: (2 + 6) / 2, c: 4, d: 5; then c: 10
            assertEquals(Map.of("a", 11.0 / 3, "b", 4.0, "c", 4.0, "d", 5.0), asMap(out.get(0)));
            assertEquals(List.of(Pair.of("c", 10.0)), out.get(1));
        }

        @Test
        void combineByKeyMergesCombinersAcrossMapPartitions() {
            // the same key in every input partition: 3 partitions each build a combiner, the reduce side merges them
            List<Pair<String, Integer>> batch = List.of(Pair.of("k", 1), Pair.of("k", 2), Pair.of("k", 3),
                    Pair.of("k", 4), Pair.of("k", 5), Pair.of("k", 6));
            List<List<Pair<String, List<Integer>>>> out = StreamTest.run(SECOND, 3, List.of(batch),
                    s -> s.mapToPair(p -> p).combineByKey(
                            v -> new ArrayList<>(List.of(v)),
                            (list, v) -> {
                                list.add(v);
                                return list;
                            },
                            (x, y) -> {
                                List<Integer> both = new ArrayList<>(x);
                                both.addAll(y);
                                return both;
                            }, 1), 1);
            assertEquals(1, out.get(0).size());
            List<Integer> values = new ArrayList<>(out.get(0).get(0).second());
            Collections.sort(values);
            assertEquals(List.of(1, 2, 3, 4, 5, 6), values);
        }

        @Test
        void mapValues() {
            List<List<Pair<String, String>>> out = StreamTest.run(SECOND, List.of(input.get(0).subList(0, 3)),
                    s -> s.mapToPair(p -> p).mapValues(v -> "v" + v), 1);
            assertEquals(List.of(List.of(Pair.of("a", "v1"), Pair.of("b", "v2"), Pair.of("a", "v3"))), out);
        }

        @Test
        void flatMapValues() {
            List<List<Pair<String, Integer>>> out = StreamTest.run(SECOND, List.of(List.of(Pair.of("a", 2), Pair.of("b", 0),
                            Pair.of("c", 1))),
                    s -> s.mapToPair(p -> p).flatMapValues(n -> range(1, n)), 1);
            assertEquals(List.of(List.of(Pair.of("a", 1), Pair.of("a", 2), Pair.of("c", 1))), out);
        }

        @Test
        void filterOnPairsKeepsThePairType() {
            List<List<Pair<String, Integer>>> out = StreamTest.run(SECOND, input,
                    s -> s.mapToPair(p -> p).filter(p -> p.second() > 4).reduceByKey(Integer::max), 2);
            assertEquals(Map.of("a", 7, "b", 6, "d", 5), asMap(out.get(0)));
            assertEquals(List.of(Pair.of("c", 10)), out.get(1));
        }

        @Test
        void nullKeysAreGroupedInPartitionZero() {
            List<List<Pair<String, Integer>>> batch = List.of(List.of(Pair.of(null, 1), Pair.of("a", 2), Pair.of(null, 3)));
            List<List<Pair<String, Integer>>> out = StreamTest.run(SECOND, batch,
                    s -> s.mapToPair(p -> p).reduceByKey(Integer::sum), 1);
            // null goes to partition 0, "a" (97) to partition 1
            assertEquals(List.of(List.of(Pair.of(null, 4), Pair.of("a", 2))), out);
        }
    }

    @Nested
    class Harness {

        private final List<List<String>> lines = List.of(
                List.of("the quick brown fox", "jumps over the lazy dog", "the dog barks"),
                List.of("a b a", "", "b a c a"),
                List.of("one"));

        @Test
        void wordCountEqualsADirectCount() {
            List<List<Pair<String, Integer>>> out = StreamTest.run(SECOND, lines,
                    s -> s.flatMap(l -> Arrays.asList(l.split(" ")))
                            .filter(w -> !w.isEmpty())
                            .mapToPair(w -> Pair.of(w, 1))
                            .reduceByKey(Integer::sum), 3);
            assertEquals(3, out.size());
            for (int i = 0; i < lines.size(); i++) {
                assertEquals(countWords(lines.get(i)), asMap(out.get(i)), "batch " + (i + 1));
                assertGroupedByPartition(out.get(i), 2);
            }
        }

        @Test
        void wordCountWithThreeInputPartitions() {
            for (int inputPartitions : new int[] {1, 3}) {
                List<List<Pair<String, Integer>>> out = StreamTest.run(SECOND, inputPartitions, lines,
                        s -> s.flatMap(l -> Arrays.asList(l.split(" ")))
                                .filter(w -> !w.isEmpty())
                                .mapToPair(w -> Pair.of(w, 1))
                                .reduceByKey(Integer::sum), 3);
                for (int i = 0; i < lines.size(); i++) {
                    assertEquals(countWords(lines.get(i)), asMap(out.get(i)), inputPartitions + " partitions, batch " + (i + 1));
                }
            }
        }

        @Test
        void numInputPartitionsIsVisibleToMapPartitions() {
            List<List<Integer>> one = StreamTest.run(SECOND, 1, List.of(range(1, 6)),
                    s -> s.mapPartitions(StreamTestTest::size), 1);
            assertEquals(List.of(List.of(6)), one);
            List<List<Integer>> three = StreamTest.run(SECOND, 3, List.of(range(1, 6)),
                    s -> s.mapPartitions(StreamTestTest::size), 1);
            assertEquals(List.of(List.of(2, 2, 2)), three);
        }

        @Test
        void moreBatchesThanInputGiveEmptyLists() {
            List<List<Integer>> out = StreamTest.run(SECOND, List.of(List.of(1), List.of(2)), s -> s.map(x -> -x), 5);
            assertEquals(List.of(List.of(-1), List.of(-2), List.of(), List.of(), List.of()), out);
        }

        @Test
        void fewerBatchesThanInputStopEarly() {
            List<List<Integer>> out = StreamTest.run(SECOND, List.of(List.of(1), List.of(2), List.of(3)), s -> s, 2);
            assertEquals(List.of(List.of(1), List.of(2)), out);
            assertEquals(List.of(), StreamTest.run(SECOND, List.of(List.of(1)), s -> s, 0));
        }

        @Test
        void twoInputsOfDifferentTypes() {
            List<List<String>> words = List.of(List.of("x", "yy"), List.of("zzz"));
            List<List<Integer>> numbers = List.of(List.of(7), List.of(), List.of(8, 9));
            List<List<Integer>> out = StreamTest.run(SECOND, words, numbers,
                    (w, n) -> w.map(String::length).union(n), 3);
            assertEquals(List.of(List.of(1, 2, 7), List.of(3), List.of(8, 9)), out);
        }

        @Test
        void twoInputsCounted() {
            List<List<String>> a = List.of(List.of("x", "y"));
            List<List<String>> b = List.of(List.of("z"), List.of("w"));
            List<List<Long>> out = StreamTest.run(SECOND, a, b, (x, y) -> x.union(y).count(), 3);
            assertEquals(List.of(List.of(3L), List.of(1L), List.of(0L)), out);
        }

        @Test
        void operationReturningNoStreamIsRejected() {
            assertThrows(IllegalArgumentException.class,
                    () -> StreamTest.run(SECOND, List.of(List.of(1)), s -> (DStream<Integer>) null, 1));
        }
    }

    private static Iterator<Integer> size(Iterator<Integer> it) {
        int n = 0;
        while (it.hasNext()) {
            it.next();
            n++;
        }
        return List.of(n).iterator();
    }

    @Nested
    class Print {

        private static final String DASHES = "-------------------------------------------";

        private String printed(Duration interval, int batches, Consumer<GraphBuilder> define) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
            GraphBuilder ctx = new GraphBuilder(interval, 2, out);
            define.accept(ctx);
            LocalRunner runner = new LocalRunner("t", ctx.build(), 2);
            for (int i = 1; i <= batches; i++) {
                runner.runBatch(i);
            }
            return bytes.toString(StandardCharsets.UTF_8);
        }

        @Test
        void dashesAreSparksFortyThree() {
            assertEquals(43, DASHES.length());
        }

        @Test
        void printsTenAndAnEllipsisWhenThereAreMore() {
            String text = printed(SECOND, 1, ctx -> ctx.queueStream(List.of(range(1, 12))).print());
            assertEquals(DASHES + "\n"
                    + "Time: 1000 ms\n"
                    + DASHES + "\n"
                    + "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n"
                    + "...\n"
                    + "\n", text);
        }

        @Test
        void noEllipsisWhenEverythingFits() {
            String text = printed(SECOND, 1, ctx -> ctx.queueStream(List.of(List.of("a", "b", "c"))).print(3));
            assertEquals(DASHES + "\nTime: 1000 ms\n" + DASHES + "\na\nb\nc\n\n", text);
        }

        @Test
        void ellipsisWhenTheExtraRecordIsInTheLastPartition() {
            // partitions [x] and [y, z]: print(2) shows x and y, then "..." for z
            String text = printed(SECOND, 1, ctx -> ctx.queueStream(List.of(List.of("x", "y", "z"))).print(2));
            assertEquals(DASHES + "\nTime: 1000 ms\n" + DASHES + "\nx\ny\n...\n\n", text);
        }

        @Test
        void emptyBatchPrintsOnlyTheHeader() {
            String text = printed(SECOND, 2, ctx -> ctx.queueStream(List.of(List.of(7))).print());
            assertEquals(DASHES + "\nTime: 1000 ms\n" + DASHES + "\n7\n\n"
                    + DASHES + "\nTime: 2000 ms\n" + DASHES + "\n\n", text);
        }

        @Test
        void pairsPrintLikeTuples() {
            String text = printed(Duration.ofMillis(500), 1, ctx -> ctx.queueStream(List.of(List.of("b", "b", "d")))
                    .countByValue().print());
            // "b" and "d" both hash to partition 0; the order within a partition is not fixed
            String header = DASHES + "\nTime: 500 ms\n" + DASHES + "\n";
            assertTrue(text.equals(header + "(b,2)\n(d,1)\n\n") || text.equals(header + "(d,1)\n(b,2)\n\n"), text);
        }
    }
}
