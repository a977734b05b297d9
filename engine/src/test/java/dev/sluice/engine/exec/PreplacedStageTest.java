package dev.sluice.engine.exec;

import dev.sluice.api.DStream;
import dev.sluice.api.Pair;
import dev.sluice.engine.graph.GraphBuilder;
import dev.sluice.engine.graph.JobGraph;
import dev.sluice.engine.graph.QueueSourceNode;
import dev.sluice.testkit.StreamTest;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A stage after a shuffle is placed while its map stage runs and told where the map outputs
 * are when they land (Drizzle), and gives what launching it afterwards gives, also when a
 * place dies under it.
 */
class PreplacedStageTest {

    private static final List<List<String>> INPUT = List.of(List.of("a b a", "c a b", "d", "b b a"), List.of("b", "c c"));
    private static final Function<DStream<String>, DStream<Pair<String, Long>>> WORD_COUNT =
            lines -> lines.flatMap(l -> Arrays.asList(l.split(" "))).mapToPair(w -> Pair.of(w, 1L)).reduceByKey(Long::sum);

    /** Records what the executor asks of the places, in order. */
    private static final class Recording implements TaskLauncher {
        final Places places;
        final List<String> calls = new ArrayList<>();

        Recording(Places places) {
            this.places = places;
        }

        @Override
        public CompletableFuture<TaskOutcome> launch(TaskSpec task) {
            calls.add("launch " + task.stage() + "/" + task.partition());
            return places.launch(task);
        }

        @Override
        public boolean preplaces() {
            return places.preplaces();
        }

        @Override
        public CompletableFuture<TaskOutcome> preplace(TaskSpec task, Set<Integer> awaited) {
            calls.add("place " + task.stage() + "/" + task.partition() + " awaiting " + awaited);
            return places.preplace(task, awaited);
        }

        @Override
        public void shuffleReady(String job, long batchTimeMs, int stage, int shuffle, List<String> locations) {
            calls.add("ready " + stage + " shuffle " + shuffle + " at " + locations.size());
            places.shuffleReady(job, batchTimeMs, stage, shuffle, locations);
        }

        @Override
        public void stageOver(String job, long batchTimeMs, int stage) {
            calls.add("over " + stage);
            places.stageOver(job, batchTimeMs, stage);
        }
    }

    private List<List<Pair<String, Long>>> run(Places places, Recording launcher, JobGraph graph) {
        List<List<Pair<String, Long>>> out = new ArrayList<>();
        BatchExecutor executor = new BatchExecutor("job", graph, places.plan(), launcher);
        QueueSourceNode source = (QueueSourceNode) graph.sources().get(0);
        for (int b = 1; b <= INPUT.size(); b++) {
            executor.run(b * 1000L, 0, Map.of(source.id(), source.splits(b, 4)));
        }
        return out;
    }

    private static JobGraph wordCount(List<List<Pair<String, Long>>> out) {
        GraphBuilder ctx = new GraphBuilder(Duration.ofSeconds(1), 2, new PrintStream(OutputStream.nullOutputStream()));
        WORD_COUNT.apply(ctx.queueStream(INPUT)).foreachBatch((b, t) -> out.add(b.collect()));
        return ctx.build();
    }

    @Test
    void theReduceStageIsPlacedBeforeItsMapStageEndsAndStartsWhenTheShuffleIsReady() {
        List<List<Pair<String, Long>>> out = new ArrayList<>();
        JobGraph graph = wordCount(out);
        Recording launcher = new Recording(new Places("job", graph, "first", "second"));
        run(launcher.places, launcher, graph);

        assertEquals(StreamTest.run(Duration.ofSeconds(1), 4, INPUT, WORD_COUNT, INPUT.size()), out);
        List<String> firstBatch = launcher.calls.subList(0, launcher.calls.indexOf("over 1") + 1);
        assertEquals(List.of("launch 0/0", "launch 0/1", "launch 0/2", "launch 0/3",
                "place 1/0 awaiting [0]", "place 1/1 awaiting [0]", "ready 1 shuffle 0 at 4", "over 1"), firstBatch);
    }

    @Test
    void launchersThatDoNotPlaceAheadGetTheStageOnceItsMapsAreDone() {
        List<List<Pair<String, Long>>> out = new ArrayList<>();
        JobGraph graph = wordCount(out);
        Recording launcher = new Recording(new Places("job", graph, "first", "second").launchingOnlyWhenReady());
        run(launcher.places, launcher, graph);

        assertEquals(StreamTest.run(Duration.ofSeconds(1), 4, INPUT, WORD_COUNT, INPUT.size()), out);
        assertTrue(launcher.calls.stream().allMatch(c -> c.startsWith("launch")), launcher.calls.toString());
    }

    @Test
    void placedTasksThatFindTheMapOutputLostHaveItRecomputed() {
        List<List<Pair<String, Long>>> out = new ArrayList<>();
        JobGraph graph = wordCount(out);
        Places places = new Places("job", graph, "first", "second");
        // The fifth task is the first placed reduce task, started by the ready shuffle: the place dies then.
        places.killAtLaunch("second", 4);
        Recording launcher = new Recording(places);
        run(places, launcher, graph);

        assertTrue(places.recomputations > 0, "the lost map tasks should have run again");
        assertEquals(StreamTest.run(Duration.ofSeconds(1), 4, INPUT, WORD_COUNT, INPUT.size()), out);
    }
}
