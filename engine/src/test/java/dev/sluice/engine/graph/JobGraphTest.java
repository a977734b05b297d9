package dev.sluice.engine.graph;

import dev.sluice.api.DStream;
import dev.sluice.api.JobArgs;
import dev.sluice.api.Pair;
import dev.sluice.api.PairDStream;
import dev.sluice.api.StreamingContext;
import dev.sluice.api.StreamingJob;
import dev.sluice.engine.exec.TaskRunner;
import dev.sluice.engine.exec.TaskSpec;
import dev.sluice.engine.cache.CacheStore;
import dev.sluice.engine.shuffle.ShuffleStore;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JobGraphTest {

    private static final PrintStream NO_OUTPUT = new PrintStream(OutputStream.nullOutputStream());
    private static final List<List<String>> LINES = List.of(List.of("a b", "b c"), List.of("c"));

    private static JobGraph graph(Duration batch, int parallelism, Consumer<GraphBuilder> define) {
        GraphBuilder ctx = new GraphBuilder(batch, parallelism, NO_OUTPUT);
        define.accept(ctx);
        return ctx.build();
    }

    private static JobGraph graph(Consumer<GraphBuilder> define) {
        return graph(Duration.ofSeconds(1), 2, define);
    }

    private static PairDStream<String, Integer> pairs(StreamingContext ctx) {
        return ctx.queueStream(LINES).flatMap(l -> Arrays.asList(l.split(" "))).mapToPair(w -> Pair.of(w, 1));
    }

    /** The reference job every variant below differs from in one respect. */
    private static void wordCount(GraphBuilder ctx) {
        pairs(ctx).reduceByKey(Integer::sum, 2).print(10);
    }

    private static String fingerprint(Consumer<GraphBuilder> define) {
        return graph(define).fingerprint();
    }

    @Test
    void identicalDefinitionsHaveTheSameFingerprint() {
        // separate contexts, separate lambda instances
        assertEquals(fingerprint(JobGraphTest::wordCount), fingerprint(JobGraphTest::wordCount));
        assertEquals(fingerprint(JobGraphTest::wordCount), fingerprint(ctx -> pairs(ctx).reduceByKey((a, b) -> a + b, 2).print(10)));
    }

    @Test
    void fingerprintIsShortHex() {
        assertTrue(fingerprint(JobGraphTest::wordCount).matches("[0-9a-f]{16}"), fingerprint(JobGraphTest::wordCount));
    }

    @Test
    void anotherOperatorChangesTheFingerprint() {
        String reference = fingerprint(JobGraphTest::wordCount);
        assertNotEquals(reference, fingerprint(ctx -> pairs(ctx).filter(kv -> true).reduceByKey(Integer::sum, 2).print(10)));
        assertNotEquals(reference, fingerprint(ctx -> ctx.queueStream(LINES).flatMap(l -> Arrays.asList(l.split(" ")))
                .map(w -> Pair.of(w, 1)).print(10)));
        assertNotEquals(reference, fingerprint(ctx -> pairs(ctx).groupByKey().print(10)));
    }

    @Test
    void parametersChangeTheFingerprint() {
        String reference = fingerprint(JobGraphTest::wordCount);
        assertNotEquals(reference, fingerprint(ctx -> pairs(ctx).reduceByKey(Integer::sum, 3).print(10)), "numPartitions");
        assertNotEquals(reference, graph(Duration.ofSeconds(2), 2, JobGraphTest::wordCount).fingerprint(), "batch interval");
        assertNotEquals(reference, graph(Duration.ofSeconds(1), 4, JobGraphTest::wordCount).fingerprint(), "default parallelism");
        assertNotEquals(reference, fingerprint(ctx -> pairs(ctx).reduceByKey(Integer::sum, 2).print(5)), "print n");
        assertNotEquals(reference, fingerprint(ctx -> ctx.queueStream(List.of(List.of("other input")))
                .flatMap(l -> Arrays.asList(l.split(" "))).mapToPair(w -> Pair.of(w, 1))
                .reduceByKey(Integer::sum, 2).print(10)), "queue data");
    }

    @Test
    void outputsChangeTheFingerprint() {
        String reference = fingerprint(JobGraphTest::wordCount);
        assertNotEquals(reference, fingerprint(ctx -> pairs(ctx).reduceByKey(Integer::sum, 2)
                .saveAsTextFiles("/tmp/out", "txt")), "another output kind");
        assertNotEquals(fingerprint(ctx -> pairs(ctx).reduceByKey(Integer::sum, 2).saveAsTextFiles("/tmp/out", "txt")),
                fingerprint(ctx -> pairs(ctx).reduceByKey(Integer::sum, 2).saveAsTextFiles("/tmp/other", "txt")),
                "another prefix");
        assertNotEquals(fingerprint(ctx -> pairs(ctx).reduceByKey(Integer::sum, 2).saveAsTextFiles("/tmp/out", "txt")),
                fingerprint(ctx -> pairs(ctx).reduceByKey(Integer::sum, 2).saveAsHadoopFiles("/tmp/out", "txt")),
                "text versus Hadoop layout");
        assertNotEquals(reference, fingerprint(ctx -> {
            PairDStream<String, Integer> counts = pairs(ctx).reduceByKey(Integer::sum, 2);
            counts.print(10);
            counts.print(10);
        }), "a second output");
        assertNotEquals(reference, fingerprint(ctx -> {
            PairDStream<String, Integer> p = pairs(ctx);
            p.reduceByKey(Integer::sum, 2);
            p.print(10);
        }), "the same output on another stream");
    }

    @Test
    void jobWithoutOutputIsRejected() {
        GraphBuilder ctx = new GraphBuilder(Duration.ofSeconds(1), 2, NO_OUTPUT);
        pairs(ctx).reduceByKey(Integer::sum);
        IllegalStateException e = assertThrows(IllegalStateException.class, ctx::build);
        assertTrue(e.getMessage().contains("no output"), e.getMessage());
        assertTrue(e.getMessage().contains("print()"), e.getMessage());
    }

    @Test
    void nodesAreNumberedInDefinitionOrder() {
        JobGraph g = graph(JobGraphTest::wordCount);
        assertEquals(4, g.nodes().size());
        for (int i = 0; i < g.nodes().size(); i++) {
            assertEquals(i, g.node(i).id());
        }
        assertEquals(List.of("flatMap", "mapToPair"), List.of(g.node(1).describe(), g.node(2).describe()));
        assertEquals(1, g.sources().size());
        assertEquals(0, g.sources().get(0).id());
        assertEquals(1, g.outputs().size());
        assertEquals(3, g.outputs().get(0).stream().id());
    }

    @Test
    void invalidContextsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new GraphBuilder(Duration.ZERO, 2, NO_OUTPUT));
        assertThrows(IllegalArgumentException.class, () -> new GraphBuilder(Duration.ofSeconds(1), 0, NO_OUTPUT));
        GraphBuilder ctx = new GraphBuilder(Duration.ofSeconds(1), 2, NO_OUTPUT);
        IllegalArgumentException partitions = assertThrows(IllegalArgumentException.class,
                () -> pairs(ctx).reduceByKey(Integer::sum, 0));
        assertTrue(partitions.getMessage().contains("reduceByKey"), partitions.getMessage());
        assertThrows(IllegalArgumentException.class, () -> pairs(ctx).print(0));
    }

    @Test
    void streamsOfAnotherContextCannotBeCombined() {
        GraphBuilder one = new GraphBuilder(Duration.ofSeconds(1), 2, NO_OUTPUT);
        GraphBuilder two = new GraphBuilder(Duration.ofSeconds(1), 2, NO_OUTPUT);
        DStream<String> a = one.queueStream(LINES);
        DStream<String> b = two.queueStream(LINES);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.union(b));
        assertTrue(e.getMessage().contains("different streaming contexts"), e.getMessage());
    }

    /** A job that records what its context looked like and reduces without naming a partition count. */
    private static final class ProbeJob implements StreamingJob {
        Duration seenInterval;

        @Override
        public String name() {
            return "probe";
        }

        @Override
        public void define(StreamingContext ctx, JobArgs args) {
            seenInterval = ctx.batchInterval();
            pairs(ctx).reduceByKey(Integer::sum).print();
        }
    }

    @Test
    void defineHonoursBatchAndParallelismArgs() {
        ProbeJob job = new ProbeJob();
        JobGraph g = GraphBuilder.define(job, JobArgs.of(Map.of("batch", "250ms", "parallelism", "5")), NO_OUTPUT);
        assertEquals(250, g.batchIntervalMs());
        assertEquals(Duration.ofMillis(250), job.seenInterval);
        assertEquals(5, g.defaultParallelism());
        ShuffledNode reduce = (ShuffledNode) g.node(3);
        assertEquals(5, reduce.partitioner().numPartitions());
    }

    @Test
    void defineDefaultsToOneSecondAndTwoPartitions() {
        ProbeJob job = new ProbeJob();
        JobGraph g = GraphBuilder.define(job, JobArgs.empty(), NO_OUTPUT);
        assertEquals(1000, g.batchIntervalMs());
        assertEquals(Duration.ofSeconds(1), job.seenInterval);
        assertEquals(2, g.defaultParallelism());
        assertEquals(2, ((ShuffledNode) g.node(3)).partitioner().numPartitions());
        assertEquals(GraphBuilder.define(new ProbeJob(), JobArgs.parse(List.of("batch=1s", "parallelism=2")), NO_OUTPUT)
                .fingerprint(), g.fingerprint());
    }

    @Test
    void defineRejectsBadArgs() {
        IllegalArgumentException parallelism = assertThrows(IllegalArgumentException.class,
                () -> GraphBuilder.define(new ProbeJob(), JobArgs.of(Map.of("parallelism", "many")), NO_OUTPUT));
        assertTrue(parallelism.getMessage().contains("parallelism"), parallelism.getMessage());
        IllegalArgumentException batch = assertThrows(IllegalArgumentException.class,
                () -> GraphBuilder.define(new ProbeJob(), JobArgs.of(Map.of("batch", "soon")), NO_OUTPUT));
        assertTrue(batch.getMessage().contains("batch"), batch.getMessage());
    }

    @Test
    void taskFromAnotherGraphIsRefusedNamingBothFingerprints() {
        JobGraph mine = graph(JobGraphTest::wordCount);
        JobGraph theirs = graph(ctx -> pairs(ctx).reduceByKey(Integer::sum, 3).print(10));
        TaskSpec task = new TaskSpec("wc", theirs.fingerprint(), 0, 0, 0, BatchLayout.of(1000, 0, Map.of()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TaskRunner(mine, new ShuffleStore(), new CacheStore()).run(task, null));
        assertTrue(e.getMessage().contains(mine.fingerprint()), e.getMessage());
        assertTrue(e.getMessage().contains(theirs.fingerprint()), e.getMessage());
    }
}
