package dev.sluice.engine.exec;

import dev.sluice.api.DStream;
import dev.sluice.api.Pair;
import dev.sluice.engine.cache.CacheStore;
import dev.sluice.engine.codec.RecordCodec;
import dev.sluice.engine.codec.RecordReader;
import dev.sluice.engine.graph.BatchLayout;
import dev.sluice.engine.graph.GraphBuilder;
import dev.sluice.engine.graph.InputSplit;
import dev.sluice.engine.graph.JobGraph;
import dev.sluice.engine.graph.QueueSourceNode;
import dev.sluice.engine.shuffle.ShuffleStore;
import dev.sluice.testkit.StreamTest;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A batch over two places, one of which dies after the map side of a shuffle ran there:
 * the reduce tasks find its output lost, the batch recomputes those map tasks at the
 * surviving place and runs the reduce again, and the output is what StreamTest gives.
 */
class FetchFailureRecoveryTest {

    private static final List<List<String>> INPUT = List.of(List.of("a b a", "c a b", "d", "b b a"));

    private static final Function<DStream<String>, DStream<Pair<String, Long>>> WORD_COUNT =
            lines -> lines.flatMap(l -> Arrays.asList(l.split(" "))).mapToPair(w -> Pair.of(w, 1L)).reduceByKey(Long::sum);

    /** Two places, each with its own stores; the second can die. */
    private static final class TwoPlaces implements TaskLauncher {
        private final JobGraph graph;
        private final Map<String, ShuffleStore> shuffles = new HashMap<>();
        private final Map<String, TaskRunner> runners = new HashMap<>();
        private boolean secondDead;
        private int recomputedMapTasks;

        TwoPlaces(JobGraph graph) {
            this.graph = graph;
            for (String place : List.of("first", "second")) {
                shuffles.put(place, new ShuffleStore());
                runners.put(place, new TaskRunner(graph, shuffles.get(place), new CacheStore()));
            }
        }

        @Override
        public CompletableFuture<TaskOutcome> launch(TaskSpec task) {
            boolean readsShuffle = !task.layout().mapOutputs().isEmpty();
            if (readsShuffle && !secondDead) {
                // The second place dies once the map side is done, with its output.
                secondDead = true;
                shuffles.put("second", new ShuffleStore());
            }
            if (task.attempt() >= 100 && runners.get("first").plan().stage(task.stage()).isShuffleMap()) {
                recomputedMapTasks++;
            }
            String place = secondDead || task.partition() % 2 == 0 ? "first" : "second";
            try {
                byte[] result = runners.get(place).run(task, new Context(task.layout()));
                return CompletableFuture.completedFuture(new TaskOutcome(place, result));
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e instanceof FetchFailedException ? e
                        : new TaskFailedException(e.toString(), e));
            }
        }

        private final class Context implements TaskContext {
            private final BatchLayout layout;

            Context(BatchLayout layout) {
                this.layout = layout;
            }

            @Override
            public BatchLayout layout() {
                return layout;
            }

            @Override
            public Iterator<Object> readBlock(InputSplit.Block block) {
                throw new IllegalStateException("no blocks here");
            }

            @Override
            public Iterator<Object> readShuffle(int shuffle, int reducePartition) {
                List<String> at = layout.mapOutputsOf(shuffle);
                List<byte[]> buckets = new ArrayList<>();
                for (int m = 0; m < at.size(); m++) {
                    if (secondDead && at.get(m).equals("second")) {
                        throw new FetchFailedException("second", "the second place is gone");
                    }
                    buckets.add(shuffles.get(at.get(m)).bucket(
                            new ShuffleStore.Key("job", layout.batchTimeMs(), shuffle, m), reducePartition));
                }
                return RecordCodec.iterate(buckets);
            }

            @Override
            public Iterator<Object> readCached(int node, long timeMs, int partition) {
                return new RecordReader(new byte[0]);
            }
        }
    }

    @Test
    void lostShuffleOutputIsRecomputedAndTheBatchSucceeds() {
        GraphBuilder ctx = new GraphBuilder(Duration.ofSeconds(1), 2, new PrintStream(OutputStream.nullOutputStream()));
        List<List<Pair<String, Long>>> out = new ArrayList<>();
        DStream<String> lines = ctx.queueStream(INPUT);
        WORD_COUNT.apply(lines).foreachBatch((b, t) -> out.add(b.collect()));
        JobGraph graph = ctx.build();
        TwoPlaces places = new TwoPlaces(graph);
        BatchExecutor executor = new BatchExecutor("job", graph, places.runners.get("first").plan(), places);
        QueueSourceNode source = (QueueSourceNode) graph.sources().get(0);
        executor.run(1000, 0, Map.of(source.id(), source.splits(1, 4)));

        assertTrue(places.recomputedMapTasks > 0, "the lost map tasks should have run again");
        assertEquals(StreamTest.run(Duration.ofSeconds(1), 4, INPUT, WORD_COUNT, 1), out);
    }
}
