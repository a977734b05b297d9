package dev.sluice.bench.jmh;

import dev.sluice.api.DStream;
import dev.sluice.api.Pair;
import dev.sluice.api.PairDStream;
import dev.sluice.engine.cache.CacheStore;
import dev.sluice.engine.exec.InProcessContext;
import dev.sluice.engine.exec.TaskRunner;
import dev.sluice.engine.exec.TaskSpec;
import dev.sluice.engine.graph.BatchLayout;
import dev.sluice.engine.graph.GraphBuilder;
import dev.sluice.engine.graph.JobGraph;
import dev.sluice.engine.graph.Node;
import dev.sluice.engine.graph.QueueSourceNode;
import dev.sluice.engine.graph.ShuffledNode;
import dev.sluice.engine.plan.Stage;
import dev.sluice.engine.shuffle.ShuffleStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The reduce side of a word count's shuffle: {@value #MAPS} map tasks, each over a quarter of
 * {@value Workload#LINES} lines, wrote their buckets with the engine's {@code TaskRunner}; an
 * invocation runs all {@value #REDUCES} reduce partitions of {@code ShuffledNode.compute}:
 * decode the {@value #MAPS} buckets of the partition ({@code RecordCodec.iterate}) and merge
 * them per key into a {@code LinkedHashMap}. Per word of the batch's input (100,000), so it adds
 * up with the map side's figures; the setup prints how many pairs the reduce side reads, for the
 * cost per pair read.
 *
 * <ul>
 *   <li>{@code reduceByKey}: {@code reduceByKey(Long::sum)}: the buckets hold map-side combined
 *       (word, count) pairs, merged with {@code mergeCombiners}.</li>
 *   <li>{@code groupByKey}: no map-side combine: the buckets hold every (word, 1L) and the reduce
 *       side collects each key's values into a list.</li>
 * </ul>
 *
 * {@code decodeOnly} reads the same buckets without merging: the decoding's share.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Benchmark)
public class ShuffleReadBench {

    static final int MAPS = 4;
    static final int REDUCES = 2;
    private static final String JOB = "bench";
    private static final long TIME_MS = 1000;

    @Param({"reduceByKey", "groupByKey"})
    public String operator;

    private ShuffledNode shuffled;
    private InProcessContext ctx;

    @Setup
    public void setup() {
        List<String> lines = Workload.lines(Workload.LINES);
        GraphBuilder job = new GraphBuilder(Duration.ofSeconds(1), REDUCES, new PrintStream(OutputStream.nullOutputStream()));
        DStream<String> in = job.queueStream(List.of(lines));
        PairDStream<String, Long> ones = in.flatMap(line -> Arrays.asList(line.split(" "))).mapToPair(w -> Pair.of(w, 1L));
        switch (operator) {
            case "reduceByKey" -> ones.reduceByKey(Long::sum).foreachBatch((batch, time) -> { });
            case "groupByKey" -> ones.groupByKey().foreachBatch((batch, time) -> { });
            default -> throw new IllegalArgumentException("operator: reduceByKey or groupByKey, not " + operator);
        }
        JobGraph graph = job.build();
        for (Node n : graph.nodes()) {
            if (n instanceof ShuffledNode s) {
                shuffled = s;
            }
        }

        // The map side, as a worker runs it: one task per input partition into the shuffle store.
        ShuffleStore shuffles = new ShuffleStore();
        TaskRunner runner = new TaskRunner(graph, shuffles, new CacheStore());
        Stage map = runner.plan().stage(0);
        QueueSourceNode source = (QueueSourceNode) graph.sources().get(0);
        BatchLayout layout = BatchLayout.of(TIME_MS, 0, Map.of(source.id(), source.splits(1, MAPS)));
        InProcessContext mapCtx = new InProcessContext(JOB, layout, shuffles, new CacheStore());
        for (int p = 0; p < MAPS; p++) {
            runner.run(new TaskSpec(JOB, graph.fingerprint(), map.id(), p, 0, layout), mapCtx);
        }
        int shuffle = map.writes().id();
        ctx = new InProcessContext(JOB, layout.withMapOutputs(shuffle, Collections.nCopies(MAPS, "local")), shuffles, new CacheStore());

        long read = 0;
        long bytes = 0;
        long keys = 0;
        for (int r = 0; r < REDUCES; r++) {
            for (Iterator<Object> it = ctx.readShuffle(shuffle, r); it.hasNext(); it.next()) {
                read++;
            }
            for (int m = 0; m < MAPS; m++) {
                bytes += shuffles.bucket(new ShuffleStore.Key(JOB, TIME_MS, shuffle, m), r).length;
            }
            for (Iterator<Object> it = shuffled.compute(r, TIME_MS, ctx); it.hasNext(); it.next()) {
                keys++;
            }
        }
        System.out.printf("%n[ShuffleReadBench] %s: %d words in, the reduce side reads %d pairs (%d bytes) "
                + "from %d buckets and gives %d keys%n", operator, Workload.WORDS, read, bytes, MAPS * REDUCES, keys);
    }

    @Benchmark
    @OperationsPerInvocation(Workload.WORDS)
    public void reduceSide(Blackhole bh) {
        for (int r = 0; r < REDUCES; r++) {
            Iterator<Object> it = shuffled.compute(r, TIME_MS, ctx);
            while (it.hasNext()) {
                bh.consume(it.next());
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(Workload.WORDS)
    public void decodeOnly(Blackhole bh) {
        int shuffle = shuffled.shuffleDependencies().get(0).id();
        for (int r = 0; r < REDUCES; r++) {
            Iterator<Object> it = ctx.readShuffle(shuffle, r);
            while (it.hasNext()) {
                bh.consume(it.next());
            }
        }
    }
}
