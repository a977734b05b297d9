package dev.sluice.testkit;

import dev.sluice.api.Pair;
import dev.sluice.api.PairBatch;
import dev.sluice.engine.exec.TaskFailedException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Iterator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The per-key operations of Batch on a pair stream's batches, and mapPartitionsToPair. */
class BatchOperationsTest {

    private static final Duration SECOND = Duration.ofSeconds(1);

    @Test
    void aPairStreamsBatchReducesJoinsAndSortsByKey() {
        List<List<String>> input = List.of(List.of("b", "a", "b", "c"));
        List<List<Pair<String, Pair<Long, Integer>>>> out = StreamTest.run(SECOND, input,
                s -> s.mapToPair(w -> Pair.of(w, 1L)).transformToPair(batch -> {
                    PairBatch<String, Long> counts = batch.reduceByKey(Long::sum);
                    PairBatch<String, Integer> lengths = batch.mapToPair(p -> Pair.of(p.first(), p.first().length()));
                    return counts.<String, Long, Integer>join(lengths).sortByKey(true);
                }), 1);
        assertEquals(List.of(List.of(
                Pair.of("a", Pair.of(1L, 1)),
                Pair.of("b", Pair.of(2L, 1)), Pair.of("b", Pair.of(2L, 1)),
                Pair.of("c", Pair.of(1L, 1)))), out);
    }

    @Test
    void perKeyOperationsOnNonPairsSayWhatIsWrong() {
        TaskFailedException e = assertThrows(TaskFailedException.class, () -> StreamTest.run(SECOND,
                List.of(List.of("a")), s -> s.transform(batch -> batch.reduceByKey(Long::sum).map(Object::toString)), 1));
        assertTrue(e.getMessage().contains("Batch.reduceByKey needs key-value pairs, got java.lang.String"), e.getMessage());
    }

    @Test
    void mapPartitionsToPairSeesWholePartitions() {
        List<List<String>> input = List.of(List.of("a", "b", "c", "d", "e"));
        List<List<Pair<Integer, String>>> out = StreamTest.run(SECOND, input, s -> s.mapPartitionsToPair(
                (Iterator<String> it) -> {
                    StringBuilder sb = new StringBuilder();
                    it.forEachRemaining(sb::append);
                    return List.of(Pair.of(sb.length(), sb.toString())).iterator();
                }), 1);
        // Two input partitions: elements [0, 2) and [2, 5).
        assertEquals(List.of(List.of(Pair.of(2, "ab"), Pair.of(3, "cde"))), out);
    }
}
