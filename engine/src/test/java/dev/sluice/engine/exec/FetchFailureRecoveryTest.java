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

    @Test
    void lostShuffleOutputIsRecomputedAndTheBatchSucceeds() {
        GraphBuilder ctx = new GraphBuilder(Duration.ofSeconds(1), 2, new PrintStream(OutputStream.nullOutputStream()));
        List<List<Pair<String, Long>>> out = new ArrayList<>();
        DStream<String> lines = ctx.queueStream(INPUT);
        WORD_COUNT.apply(lines).foreachBatch((b, t) -> out.add(b.collect()));
        JobGraph graph = ctx.build();
        Places places = new Places("job", graph, "first", "second");
        // Four map tasks run first, two on each place; the second dies as the reduce side starts.
        places.killAtLaunch("second", 4);
        BatchExecutor executor = new BatchExecutor("job", graph, places.plan(), places);
        QueueSourceNode source = (QueueSourceNode) graph.sources().get(0);
        executor.run(1000, 0, Map.of(source.id(), source.splits(1, 4)));

        assertTrue(places.recomputations > 0, "the lost map tasks should have run again");
        assertEquals(StreamTest.run(Duration.ofSeconds(1), 4, INPUT, WORD_COUNT, 1), out);
    }
}
