package dev.sluice.testkit;

import dev.sluice.api.DStream;
import dev.sluice.api.Pair;
import dev.sluice.api.PairDStream;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Helpers shared by the operator-semantics tests. Expected outputs are always written out
 * as literals in the tests; these helpers only normalise what the contract leaves open
 * (the order of elements within a batch, the order of grouped values).
 */
final class OperatorTestSupport {

    static final Duration SECOND = Duration.ofSeconds(1);

    private OperatorTestSupport() {
    }

    static Duration seconds(long n) {
        return Duration.ofSeconds(n);
    }

    static Duration millis(long n) {
        return Duration.ofMillis(n);
    }

    /** A pair stream of the input pairs as they are. */
    static <K, V> PairDStream<K, V> pairs(DStream<Pair<K, V>> s) {
        return s.mapToPair(p -> p);
    }

    /** The pairs (key, 1) for each key, in order. */
    static List<Pair<String, Integer>> ones(String... keys) {
        List<Pair<String, Integer>> out = new ArrayList<>();
        for (String k : keys) {
            out.add(Pair.of(k, 1));
        }
        return out;
    }

    /**
     * Compares batch by batch, each batch as a multiset: the number of outputs must match, and
     * each output must hold the same elements as expected, in any order.
     */
    static <T> void assertBatchesAnyOrder(List<? extends List<? extends T>> expected,
                                          List<? extends List<? extends T>> actual) {
        assertEquals(expected.size(), actual.size(),
                "number of outputs: expected " + expected + " but got " + actual);
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(sorted(expected.get(i)), sorted(actual.get(i)),
                    "output " + (i + 1) + " (as a multiset); all outputs: " + actual);
        }
    }

    /** The elements in a canonical order (by their printed form), for multiset comparison. */
    static <T> List<T> sorted(List<? extends T> batch) {
        List<T> copy = new ArrayList<>(batch);
        copy.sort(Comparator.comparing(String::valueOf));
        return copy;
    }

    /** Each pair's list value sorted, for grouped values whose order the contract leaves open. */
    static <K, V extends Comparable<? super V>> List<List<Pair<K, List<V>>>> sortGroups(
            List<List<Pair<K, List<V>>>> batches) {
        List<List<Pair<K, List<V>>>> out = new ArrayList<>();
        for (List<Pair<K, List<V>>> batch : batches) {
            List<Pair<K, List<V>>> b = new ArrayList<>();
            for (Pair<K, List<V>> p : batch) {
                b.add(Pair.of(p.first(), sortedList(p.second())));
            }
            out.add(b);
        }
        return out;
    }

    /** Both sides of each cogrouped pair sorted. */
    static <K, V extends Comparable<? super V>, W extends Comparable<? super W>>
    List<List<Pair<K, Pair<List<V>, List<W>>>>> sortCogroups(List<List<Pair<K, Pair<List<V>, List<W>>>>> batches) {
        List<List<Pair<K, Pair<List<V>, List<W>>>>> out = new ArrayList<>();
        for (List<Pair<K, Pair<List<V>, List<W>>>> batch : batches) {
            List<Pair<K, Pair<List<V>, List<W>>>> b = new ArrayList<>();
            for (Pair<K, Pair<List<V>, List<W>>> p : batch) {
                b.add(Pair.of(p.first(), Pair.of(sortedList(p.second().first()), sortedList(p.second().second()))));
            }
            out.add(b);
        }
        return out;
    }

    private static <V extends Comparable<? super V>> List<V> sortedList(List<V> values) {
        List<V> copy = new ArrayList<>(values);
        Collections.sort(copy);
        return copy;
    }

    /** The partition Spark's HashPartitioner picks, written out without Math.floorMod. */
    static int partitionOf(Object key, int n) {
        int h = key == null ? 0 : key.hashCode();
        int r = h % n;
        return r < 0 ? r + n : r;
    }

    /** Checks that keys come partition by partition: all of partition 0's keys, then partition 1's, ... */
    static void assertGroupedByPartition(List<? extends Pair<?, ?>> pairs, int numPartitions) {
        int last = 0;
        for (Pair<?, ?> p : pairs) {
            int partition = partitionOf(p.first(), numPartitions);
            assertTrue(partition >= last, "key " + p.first() + " of partition " + partition
                    + " comes after a key of partition " + last + " in " + pairs);
            last = partition;
        }
    }

    /** Output pairs as a map, failing on a repeated key (a per-key result has one pair per key). */
    static <K, V> Map<K, V> asMap(List<Pair<K, V>> pairs) {
        Map<K, V> map = new HashMap<>();
        for (Pair<K, V> p : pairs) {
            assertTrue(!map.containsKey(p.first()), "key " + p.first() + " output twice in " + pairs);
            map.put(p.first(), p.second());
        }
        return map;
    }

    /** Checks that a definition error names the operator the user called and the rule broken. */
    static void assertNames(Throwable e, String operator, String rule) {
        String message = String.valueOf(e.getMessage());
        assertTrue(message.contains(operator), "message should name the operator '" + operator + "': " + message);
        assertTrue(message.toLowerCase().contains(rule.toLowerCase()),
                "message should state the rule ('" + rule + "'): " + message);
    }
}
