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
import dev.sluice.engine.graph.QueueSourceNode;
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
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One partition of {@value Workload#LINES} lines through {@code flatMap(split on whitespace)}
 * then {@code mapToPair(w -> (w, 1L))}, defined through the public job API and run by the
 * engine as a task runs it: the stage's final node pulled through {@code TaskContext.iterator},
 * which chains the queue source and the two fused {@code MapPartitionsNode}s in one pass. Per
 * word (pair out; 10 per line).
 *
 * <ul>
 *   <li>{@code fused}: the narrow chain alone, drained.</li>
 *   <li>{@code handWritten}: the same user functions in a plain loop, no engine: what the fusion costs
 *       is {@code fused - handWritten}.</li>
 *   <li>{@code shuffleMapTask}: the whole map task of {@code reduceByKey(Long::sum)} through
 *       {@code TaskRunner.run}: the narrow chain, map-side combine, two encoded buckets.</li>
 * </ul>
 *
 * {@code split}: {@code space} splits with {@code line.split(" ")} (String's one-char fast path);
 * {@code regex} with {@code line.split("\\s+")}, as the WordCount example does (a regex compiled for
 * every line).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(java.util.concurrent.TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Benchmark)
public class NarrowOperatorsBench {

    private static final String JOB = "bench";
    private static final long TIME_MS = 1000;

    @Param({"space", "regex"})
    public String split;

    private List<String> lines;
    private Function<String, Iterable<String>> words;
    private TaskRunner runner;
    private Stage mapStage;
    private TaskSpec mapTask;
    private InProcessContext ctx;

    @Setup
    public void setup() {
        lines = Workload.lines(Workload.LINES);
        words = switch (split) {
            case "space" -> line -> Arrays.asList(line.split(" "));
            case "regex" -> line -> Arrays.asList(line.split("\\s+"));
            default -> throw new IllegalArgumentException("split: space or regex, not " + split);
        };
        GraphBuilder job = new GraphBuilder(Duration.ofSeconds(1), 2, new PrintStream(OutputStream.nullOutputStream()));
        DStream<String> in = job.queueStream(List.of(lines));
        PairDStream<String, Long> ones = in.flatMap(words).mapToPair(w -> Pair.of(w, 1L));
        ones.reduceByKey(Long::sum).foreachBatch((batch, time) -> { });
        JobGraph graph = job.build();

        ShuffleStore shuffles = new ShuffleStore();
        runner = new TaskRunner(graph, shuffles, new CacheStore());
        mapStage = runner.plan().stage(0);
        if (mapStage.kind() != Stage.Kind.SHUFFLE_MAP || mapStage.nodes().size() != 3) {
            throw new IllegalStateException("expected the map stage source -> flatMap -> mapToPair, got " + mapStage
                    + " over " + mapStage.nodes());
        }
        QueueSourceNode source = (QueueSourceNode) graph.sources().get(0);
        BatchLayout layout = BatchLayout.of(TIME_MS, 0, Map.of(source.id(), source.splits(1, 1)));
        ctx = new InProcessContext(JOB, layout, shuffles, new CacheStore());
        mapTask = new TaskSpec(JOB, graph.fingerprint(), mapStage.id(), 0, 0, layout);

        int n = 0;
        for (Iterator<Object> it = ctx.iterator(mapStage.finalNode(), TIME_MS, 0); it.hasNext(); it.next()) {
            n++;
        }
        if (n != Workload.WORDS) {
            throw new IllegalStateException("the narrow chain gave " + n + " pairs, not " + Workload.WORDS);
        }
    }

    @Benchmark
    @OperationsPerInvocation(Workload.WORDS)
    public void fused(Blackhole bh) {
        Iterator<Object> it = ctx.iterator(mapStage.finalNode(), TIME_MS, 0);
        while (it.hasNext()) {
            bh.consume(it.next());
        }
    }

    @Benchmark
    @OperationsPerInvocation(Workload.WORDS)
    public void handWritten(Blackhole bh) {
        for (String line : lines) {
            for (String w : words.apply(line)) {
                bh.consume(Pair.of(w, 1L));
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(Workload.WORDS)
    public byte[] shuffleMapTask() {
        return runner.run(mapTask, ctx);
    }
}
