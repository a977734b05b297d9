package dev.sluice.bench.jmh;

import dev.sluice.api.DStream;
import dev.sluice.engine.cache.CacheStore;
import dev.sluice.engine.codec.RecordReader;
import dev.sluice.engine.codec.RecordWriter;
import dev.sluice.engine.exec.InProcessContext;
import dev.sluice.engine.exec.TaskContext;
import dev.sluice.engine.graph.BatchLayout;
import dev.sluice.engine.graph.GraphBuilder;
import dev.sluice.engine.graph.InputSplit;
import dev.sluice.engine.graph.JobGraph;
import dev.sluice.engine.graph.Node;
import dev.sluice.engine.graph.QueueSourceNode;
import dev.sluice.engine.plan.Stage;
import dev.sluice.engine.plan.StagePlanner;
import dev.sluice.engine.shuffle.ShuffleStore;
import dev.sluice.pipeline.PipelineJob;
import dev.sluice.pipeline.SpecParser;
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
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The map side of the pipeline's word count ({@code split: "\\s+"} → {@code pair: {key: $0, value: 1}}
 * → {@code reduceByKey: sum}, which the spec compiler runs as one token count per partition) over one
 * partition of {@value Workload#LINES} lines: the stage's final node drained, per word.
 *
 * <ul>
 *   <li>{@code input=block}: the lines as a stage-worker reads them from a receiver block, encoded
 *       records in a {@link RecordReader}, counted from their bytes.</li>
 *   <li>{@code input=strings}: the same lines as decoded strings (an in-process queue source).</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(java.util.concurrent.TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Benchmark)
public class PipelineWordCountBench {

    // The socket source stands for the queue stream given as the input named lines.
    private static final String SPEC = """
            sources: {lines: {socket: "localhost:9999"}}
            streams:
              words:  {from: lines, flatMap: {split: "\\\\s+"}}
              pairs:  {from: words, pair: {key: $0, value: 1}}
              counts: {from: pairs, reduceByKey: sum}
            outputs:
              - {stream: counts, print: 1}
            """;
    private static final long TIME_MS = 1000;

    @Param({"block", "strings"})
    public String input;

    private Node mapSide;
    private TaskContext ctx;

    @Setup
    public void setup() {
        List<String> lines = Workload.lines(Workload.LINES);
        GraphBuilder job = new GraphBuilder(Duration.ofSeconds(1), 2, new PrintStream(OutputStream.nullOutputStream()));
        DStream<String> in = job.queueStream(List.of(lines));
        PipelineJob.define(job, new SpecParser().parse(SPEC), Map.of("lines", in));
        JobGraph graph = job.build();
        Stage map = StagePlanner.plan(graph).stage(0);
        if (map.kind() != Stage.Kind.SHUFFLE_MAP || map.nodes().size() != 2) {
            throw new IllegalStateException("expected the fused map stage source -> token count, got " + map.nodes());
        }
        mapSide = map.finalNode();
        QueueSourceNode source = (QueueSourceNode) graph.sources().get(0);
        BatchLayout layout = BatchLayout.of(TIME_MS, 0, Map.of(source.id(), source.splits(1, 1)));
        InProcessContext strings = new InProcessContext("bench", layout, new ShuffleStore(), new CacheStore());
        ctx = switch (input) {
            case "strings" -> strings;
            case "block" -> new BlockContext(strings, encode(lines));
            default -> throw new IllegalArgumentException("input: block or strings, not " + input);
        };
    }

    private static byte[] encode(List<String> lines) {
        RecordWriter writer = new RecordWriter();
        lines.forEach(writer::write);
        return writer.toByteArray();
    }

    @Benchmark
    @OperationsPerInvocation(Workload.WORDS)
    public void mapSide(Blackhole bh) {
        Iterator<Object> it = ctx.iterator(mapSide, TIME_MS, 0);
        while (it.hasNext()) {
            bh.consume(it.next());
        }
    }

    /** Reads the source's one partition as a stage-worker reads a receiver block: encoded records. */
    private record BlockContext(TaskContext inner, byte[] block) implements TaskContext {

        @Override
        public Iterator<Object> iterator(Node node, long timeMs, int partition) {
            return node.parents().isEmpty() ? new RecordReader(block) : node.compute(partition, timeMs, this);
        }

        @Override
        public BatchLayout layout() {
            return inner.layout();
        }

        @Override
        public Iterator<Object> readBlock(InputSplit.Block b) {
            return new RecordReader(block);
        }

        @Override
        public Iterator<Object> readShuffle(int shuffle, int reducePartition) {
            return inner.readShuffle(shuffle, reducePartition);
        }

        @Override
        public Iterator<Object> readCached(int node, long timeMs, int partition) {
            return inner.readCached(node, timeMs, partition);
        }
    }
}
