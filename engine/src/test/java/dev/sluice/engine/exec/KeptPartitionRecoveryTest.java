package dev.sluice.engine.exec;

import dev.sluice.api.DStream;
import dev.sluice.api.Pair;
import dev.sluice.engine.graph.GraphBuilder;
import dev.sluice.engine.graph.InputSplit;
import dev.sluice.engine.graph.JobGraph;
import dev.sluice.engine.graph.QueueSourceNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kept partitions of state and windows that die with their place are restored — from the
 * last checkpoint, or recomputed from the input of their batches — and every batch's
 * output is what a run without failures gives. A coordinator restart, which loses every
 * location at once, takes the same path.
 */
class KeptPartitionRecoveryTest {

    private static final int BATCHES = 14;
    private static final List<List<String>> INPUT = WordBatches.of(BATCHES);

    @TempDir
    Path checkpoints;

    /** A job with state (checkpointed every 3 batches), an inverse-reduced window and a plain window. */
    private final class Job {
        final List<String> out = new ArrayList<>();
        final JobGraph graph;
        final QueueSourceNode source;

        Job(String checkpointSubdir) {
            GraphBuilder ctx = new GraphBuilder(Duration.ofSeconds(1), 3, new PrintStream(OutputStream.nullOutputStream()));
            ctx.checkpoint(checkpoints.resolve(checkpointSubdir).toString());
            DStream<String> words = ctx.queueStream(INPUT).flatMap(l -> Arrays.asList(l.split(" ")));
            var pairs = words.mapToPair(w -> Pair.of(w, 1L));
            pairs.<Long>updateStateByKey((vs, s) -> Optional.of(s.orElse(0L) + vs.stream().mapToLong(v -> v).sum()))
                    .checkpoint(Duration.ofSeconds(3))
                    .foreachBatch((b, t) -> out.add("state@" + t + sorted(b.collect())));
            pairs.reduceByKeyAndWindow(Long::sum, (x, y) -> x - y, Duration.ofSeconds(3), Duration.ofSeconds(1))
                    .foreachBatch((b, t) -> out.add("inverse@" + t + sorted(b.collect())));
            words.window(Duration.ofSeconds(4), Duration.ofSeconds(2)).countByValue()
                    .foreachBatch((b, t) -> out.add("window@" + t + sorted(b.collect())));
            graph = ctx.build();
            source = (QueueSourceNode) graph.sources().get(0);
        }

        Map<Integer, List<InputSplit>> splits(int index) {
            return Map.of(source.id(), source.splits(index, 3));
        }
    }

    private static <K, V> String sorted(List<Pair<K, V>> pairs) {
        Map<String, String> m = new TreeMap<>();
        pairs.forEach(p -> m.put(String.valueOf(p.first()), String.valueOf(p.second())));
        return m.toString();
    }

    private List<String> reference() {
        Job job = new Job("reference");
        Places places = new Places("job", job.graph, "a", "b", "c");
        BatchExecutor executor = new BatchExecutor("job", job.graph, places.plan(), places);
        for (int i = 1; i <= BATCHES; i++) {
            executor.run(i * 1000L, 0, job.splits(i));
            places.batchDone(i * 1000L, places.plan().retentionMs());
        }
        return job.out;
    }

    @Test
    void keptPartitionsLostWithTheirPlacesAreRestoredAndOutputIsUnchanged() {
        Job job = new Job("kills");
        Places places = new Places("job", job.graph, "a", "b", "c");
        BatchExecutor executor = new BatchExecutor("job", job.graph, places.plan(), places);
        for (int i = 1; i <= BATCHES; i++) {
            if (i == 5) {
                places.kill("b");
            }
            if (i == 8) {
                // Right after a checkpoint (batch 6) and between windows: restores come from both paths.
                places.kill("c");
            }
            executor.run(i * 1000L, 0, job.splits(i));
            places.batchDone(i * 1000L, places.plan().retentionMs());
        }
        assertEquals(reference(), job.out);
        assertTrue(places.checkpointReads > 0, "some state should have come back from its checkpoint");
    }

    @Test
    void aPlaceDyingAtAnyMomentOfABatchChangesNoOutput() {
        List<String> expected = reference();
        // Batch 7 launches tasks 120 and on (28 or more per batch); kill at each of its moments.
        for (int launch = 120; launch < 170; launch += 3) {
            Job job = new Job("mid-batch-" + launch);
            Places places = new Places("job", job.graph, "a", "b", "c");
            places.killAtLaunch("b", launch);
            BatchExecutor executor = new BatchExecutor("job", job.graph, places.plan(), places);
            for (int i = 1; i <= BATCHES; i++) {
                executor.run(i * 1000L, 0, job.splits(i));
                places.batchDone(i * 1000L, places.plan().retentionMs());
            }
            assertEquals(expected, job.out, "with the kill at launch " + launch);
        }
    }

    @Test
    void aLeavingPlaceHasWhatItKeepsCopiedOffAndCanGoWithoutRecomputation() {
        Job job = new Job("drain");
        Places places = new Places("job", job.graph, "a", "b", "c");
        BatchExecutor executor = new BatchExecutor("job", job.graph, places.plan(), places);
        for (int i = 1; i <= BATCHES; i++) {
            if (i == 6) {
                places.retire("b");
                executor.leaving("b");
                assertTrue(executor.holds("b"));
            }
            executor.run(i * 1000L, 0, job.splits(i));
            places.batchDone(i * 1000L, places.plan().retentionMs());
            if (i == 6) {
                assertFalse(executor.holds("b"), "after one batch nothing kept should be left on the leaving place");
                places.kill("b");
            }
        }
        assertEquals(reference(), job.out);
        assertTrue(places.copies > 0, "kept partitions should have been copied");
        assertEquals(0, places.recomputations, "nothing should have been recomputed");
    }

    @Test
    void aNewExecutorWithTheRememberedInputRebuildsStateAndWindows() {
        List<String> expected = reference();
        Job job = new Job("restart");
        Places before = new Places("job", job.graph, "a", "b");
        BatchExecutor first = new BatchExecutor("job", job.graph, before.plan(), before);
        int restartAt = 9;
        for (int i = 1; i < restartAt; i++) {
            first.run(i * 1000L, 0, job.splits(i));
        }
        // What a restarted coordinator knows: the input of recent batches from its metadata
        // log, the checkpoints on disk; no location of anything kept.
        Places after = new Places("job", job.graph, "x", "y");
        BatchExecutor second = new BatchExecutor("job", job.graph, after.plan(), after);
        long retention = second.inputRetentionMs();
        for (int i = 1; i < restartAt; i++) {
            if (i * 1000L > (restartAt - 1) * 1000L - retention) {
                second.remember(i * 1000L, job.splits(i));
            }
        }
        int before9 = job.out.size();
        for (int i = restartAt; i <= BATCHES; i++) {
            second.run(i * 1000L, 0, job.splits(i));
            after.batchDone(i * 1000L, after.plan().retentionMs());
        }
        assertEquals(expected.subList(before9, expected.size()), job.out.subList(before9, job.out.size()));
    }

    @Test
    void withoutTheInputOfTheBatchesToRecomputeTheBatchFailsSayingWhy() {
        Job job = new Job("forgotten");
        Places before = new Places("job", job.graph, "a");
        BatchExecutor first = new BatchExecutor("job", job.graph, before.plan(), before);
        for (int i = 1; i <= 4; i++) {
            first.run(i * 1000L, 0, job.splits(i));
        }
        Places after = new Places("job", job.graph, "x");
        BatchExecutor second = new BatchExecutor("job", job.graph, after.plan(), after);
        TaskFailedException e = assertThrows(TaskFailedException.class, () -> second.run(5000L, 0, job.splits(5)));
        assertTrue(e.getMessage().contains("no longer kept"), e.getMessage());
    }
}
