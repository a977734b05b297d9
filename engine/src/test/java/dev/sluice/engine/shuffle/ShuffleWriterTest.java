package dev.sluice.engine.shuffle;

import dev.sluice.api.Pair;
import dev.sluice.engine.codec.RecordCodec;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BinaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShuffleWriterTest {

    private static final BinaryOperator<Object> SUM = (a, b) -> (Integer) a + (Integer) b;

    private static final Aggregator NO_COMBINE = new Aggregator(v -> v, (c, v) -> c, (a, b) -> a, false);

    /** Words with repeats, as (word, 1) pairs in input order. */
    private static List<Object> input() {
        List<Object> pairs = new ArrayList<>();
        for (String w : "the quick brown fox jumps over the lazy dog the end fox".split(" ")) {
            pairs.add(Pair.of(w, 1));
        }
        pairs.add(Pair.of("Aa", 5));   // "Aa" and "BB" share a hash code (2112)
        pairs.add(Pair.of("BB", 7));
        pairs.add(Pair.of("Aa", 1));
        return pairs;
    }

    private static int bucketOf(Object key, int n) {
        int h = key.hashCode();
        return ((h % n) + n) % n;
    }

    private static List<List<Object>> decode(byte[][] buckets) {
        List<List<Object>> out = new ArrayList<>();
        for (byte[] b : buckets) {
            out.add(RecordCodec.decode(b));
        }
        return out;
    }

    @Test
    void oneBucketPerReducePartition() {
        for (int n = 1; n <= 4; n++) {
            assertEquals(n, ShuffleWriter.write(input().iterator(), dep(NO_COMBINE, n)).length);
        }
    }

    @Test
    void withoutCombineBucketsHoldExactlyTheirKeysAndEveryPairInOrder() {
        int n = 3;
        List<List<Object>> buckets = decode(ShuffleWriter.write(input().iterator(), dep(NO_COMBINE, n)));
        for (int b = 0; b < n; b++) {
            List<Object> expected = new ArrayList<>();
            for (Object o : input()) {
                if (bucketOf(((Pair<?, ?>) o).first(), n) == b) {
                    expected.add(o);
                }
            }
            assertEquals(expected, buckets.get(b), "bucket " + b);
        }
        int total = buckets.stream().mapToInt(List::size).sum();
        assertEquals(input().size(), total);
    }

    @Test
    void mapSideCombineGivesOnePairPerKeyWithItsTotal() {
        int n = 3;
        Map<Object, Integer> expected = new HashMap<>();
        for (Object o : input()) {
            Pair<?, ?> p = (Pair<?, ?>) o;
            expected.merge(p.first(), (Integer) p.second(), Integer::sum);
        }
        assertEquals(3, expected.get("the"));
        assertEquals(6, expected.get("Aa"));

        List<List<Object>> buckets = decode(ShuffleWriter.write(input().iterator(), dep(Aggregator.reducing(SUM), n)));
        Map<Object, Object> seen = new HashMap<>();
        for (int b = 0; b < n; b++) {
            Set<Object> keysInBucket = new HashSet<>();
            for (Object o : buckets.get(b)) {
                Pair<?, ?> p = (Pair<?, ?>) o;
                assertEquals(b, bucketOf(p.first(), n), p + " is in the wrong bucket");
                assertTrue(keysInBucket.add(p.first()), "key " + p.first() + " twice in bucket " + b);
                seen.put(p.first(), p.second());
            }
        }
        assertEquals(new HashMap<Object, Object>(expected), seen);
    }

    @Test
    void combineByKeyStyleAggregatorCollectsValuesInInputOrder() {
        Aggregator toList = new Aggregator(
                v -> new ArrayList<>(List.of(v)),
                (c, v) -> {
                    @SuppressWarnings("unchecked") List<Object> list = (List<Object>) c;
                    list.add(v);
                    return list;
                },
                (a, b) -> a, true);
        List<Object> in = List.of(Pair.of("x", 1), Pair.of("y", 2), Pair.of("x", 3), Pair.of("x", 4));
        List<List<Object>> buckets = decode(ShuffleWriter.write(in.iterator(), dep(toList, 1)));
        assertEquals(1, buckets.size());
        Set<Object> got = new HashSet<>(buckets.get(0));
        assertEquals(Set.of(Pair.of("x", List.of(1, 3, 4)), Pair.of("y", List.of(2))), got);
    }

    @Test
    void nullKeysGoToBucketZeroAndCombine() {
        List<Object> in = List.of(Pair.of(null, 1), Pair.of(null, 2), Pair.of("b", 3));
        List<List<Object>> combined = decode(ShuffleWriter.write(in.iterator(), dep(Aggregator.reducing(SUM), 2)));
        // "b".hashCode() == 98, even: bucket 0 as well
        assertEquals(Set.of(Pair.of(null, 3), Pair.of("b", 3)), new HashSet<>(combined.get(0)));
        assertEquals(List.of(), combined.get(1));

        List<List<Object>> plain = decode(ShuffleWriter.write(in.iterator(), dep(NO_COMBINE, 2)));
        assertEquals(in, plain.get(0));
    }

    @Test
    void emptyInputGivesEmptyBuckets() {
        for (Aggregator a : List.of(NO_COMBINE, Aggregator.reducing(SUM))) {
            byte[][] buckets = ShuffleWriter.write(List.of().iterator(), dep(a, 3));
            assertEquals(3, buckets.length);
            for (byte[] b : buckets) {
                assertEquals(0, b.length);
            }
        }
    }

    @Test
    void nonPairRecordGivesAClearError() {
        for (Aggregator a : List.of(NO_COMBINE, Aggregator.reducing(SUM))) {
            Iterator<Object> in = List.<Object>of(Pair.of("ok", 1), "oops").iterator();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ShuffleWriter.write(in, dep(a, 2)));
            assertTrue(e.getMessage().contains("key-value pairs"), e.getMessage());
            assertTrue(e.getMessage().contains("java.lang.String"), e.getMessage());
            assertTrue(e.getMessage().contains("oops"), e.getMessage());
        }
        IllegalArgumentException nullRecord = assertThrows(IllegalArgumentException.class,
                () -> ShuffleWriter.write(Arrays.asList((Object) null).iterator(), dep(NO_COMBINE, 2)));
        assertTrue(nullRecord.getMessage().contains("null"), nullRecord.getMessage());
    }

    private static ShuffleDependency dep(Aggregator aggregator, int partitions) {
        return new ShuffleDependency(0, "test", null, aggregator, new HashPartitioner(partitions));
    }
}
