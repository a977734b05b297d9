package dev.sluice.bench.jmh;

import dev.sluice.api.Pair;
import dev.sluice.engine.codec.RecordWriter;
import dev.sluice.engine.graph.GraphBuilder;
import dev.sluice.engine.graph.JobGraph;
import dev.sluice.engine.plan.Stage;
import dev.sluice.engine.plan.StagePlanner;
import dev.sluice.engine.shuffle.ShuffleDependency;
import dev.sluice.engine.shuffle.ShuffleWriter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BinaryOperator;

/**
 * The map side of {@code reduceByKey(Long::sum, partitions)}: {@link ShuffleWriter#write} over
 * {@value Workload#WORDS} (word, 1L) pairs of a 10,000-word Zipf vocabulary, combining each
 * key's values, then hashing the combiners into {@code partitions} encoded buckets. The
 * dependency is the one the job API builds. Every invocation gets new key strings (their hash
 * codes not cached), as a flatMap that splits lines makes them. Per input pair.
 *
 * <p>{@code mergeBaseline} is not the engine: the same combine with one {@code HashMap.merge}
 * per pair instead of the writer's {@code get}, {@code containsKey} and {@code put}, and the same
 * encoding, to show what the lookups cost.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Benchmark)
public class MapSideCombineBench {

    @Param({"2", "8"})
    public int partitions;

    private List<String> words;
    private ShuffleDependency dependency;
    private List<Object> pairs;

    @Setup(Level.Trial)
    public void setup() {
        words = Workload.words(Workload.lines(Workload.LINES));
        GraphBuilder job = new GraphBuilder(Duration.ofSeconds(1), 2, new PrintStream(OutputStream.nullOutputStream()));
        job.queueStream(List.of(List.<String>of()))
                .flatMap(line -> Arrays.asList(line.split(" ")))
                .mapToPair(w -> Pair.of(w, 1L))
                .reduceByKey(Long::sum, partitions)
                .foreachBatch((batch, time) -> { });
        JobGraph graph = job.build();
        Stage map = StagePlanner.plan(graph).stage(0);
        dependency = map.writes();
        if (dependency == null || !dependency.combinesMapSide()) {
            throw new IllegalStateException("expected a map stage that combines, got " + map);
        }
        byte[][] buckets = ShuffleWriter.write(Workload.freshPairs(words).iterator(), dependency);
        long bytes = Arrays.stream(buckets).mapToLong(b -> b.length).sum();
        System.out.printf("%n[MapSideCombineBench] %d pairs, %d distinct keys, %d bytes in %d buckets%n",
                words.size(), words.stream().distinct().count(), bytes, buckets.length);
    }

    @Setup(Level.Invocation)
    public void freshKeys() {
        pairs = Workload.freshPairs(words);
    }

    @Benchmark
    @OperationsPerInvocation(Workload.WORDS)
    public byte[][] write() {
        return ShuffleWriter.write(pairs.iterator(), dependency);
    }

    @Benchmark
    @OperationsPerInvocation(Workload.WORDS)
    public byte[][] mergeBaseline() {
        BinaryOperator<Object> f = dependency.aggregator().mergeCombiners();
        Map<Object, Object> combiners = new HashMap<>();
        for (Object o : pairs) {
            Pair<?, ?> kv = (Pair<?, ?>) o;
            combiners.merge(kv.first(), kv.second(), f);
        }
        RecordWriter[] writers = new RecordWriter[partitions];
        for (int i = 0; i < partitions; i++) {
            writers[i] = new RecordWriter();
        }
        for (Map.Entry<Object, Object> e : combiners.entrySet()) {
            writers[dependency.partitioner().partition(e.getKey())].write(Pair.of(e.getKey(), e.getValue()));
        }
        byte[][] buckets = new byte[partitions][];
        for (int i = 0; i < partitions; i++) {
            buckets[i] = writers[i].toByteArray();
        }
        return buckets;
    }
}
