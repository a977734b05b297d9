package dev.sluice.testkit;

import dev.sluice.api.DStream;
import dev.sluice.engine.exec.LocalRunner;
import dev.sluice.engine.graph.GraphBuilder;
import dev.sluice.engine.graph.JobGraph;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Runs a stream operation over given input batches, in this process, through the same
 * operators, planner and shuffle code the workers run (like Kafka Streams'
 * TopologyTestDriver or Spark's streaming TestSuiteBase), and returns what it output.
 *
 * <p>Semantics, as Spark's test harness: batch i (1-based) has time i × batchInterval
 * and holds {@code input.get(i - 1)}; batches past the end of the input are empty; each
 * input batch is cut into p contiguous slices (default 2); the default number of shuffle
 * partitions is 2; a key goes to partition {@code Math.floorMod(key.hashCode(), n)};
 * output lists concatenate partitions in order; a windowed operation outputs only at
 * multiples of its slide. Unless the operation sets a checkpoint directory, state and
 * window checkpoints go to a temporary directory that is deleted afterwards.
 */
public final class StreamTest {

    private static final int DEFAULT_INPUT_PARTITIONS = 2;
    private static final int DEFAULT_SHUFFLE_PARTITIONS = 2;
    private static final String JOB = "stream-test";

    private StreamTest() {
    }

    /**
     * Runs {@code operation} over {@code input} for {@code numBatches} batches.
     *
     * @return one list per output the operation produced, in batch order
     */
    public static <T, R> List<List<R>> run(Duration batchInterval, List<List<T>> input,
                                           Function<DStream<T>, DStream<R>> operation, int numBatches) {
        return run(batchInterval, DEFAULT_INPUT_PARTITIONS, input, operation, numBatches);
    }

    /** The same with two input streams. */
    public static <A, B, R> List<List<R>> run(Duration batchInterval, List<List<A>> input1, List<List<B>> input2,
                                              BiFunction<DStream<A>, DStream<B>, DStream<R>> operation, int numBatches) {
        GraphBuilder ctx = context(batchInterval);
        DStream<R> out = operation.apply(ctx.queueStream(input1), ctx.queueStream(input2));
        return collect(ctx, out, DEFAULT_INPUT_PARTITIONS, numBatches);
    }

    /** The same with each input batch cut into {@code numInputPartitions} partitions. */
    public static <T, R> List<List<R>> run(Duration batchInterval, int numInputPartitions, List<List<T>> input,
                                           Function<DStream<T>, DStream<R>> operation, int numBatches) {
        GraphBuilder ctx = context(batchInterval);
        DStream<R> out = operation.apply(ctx.queueStream(input));
        return collect(ctx, out, numInputPartitions, numBatches);
    }

    private static GraphBuilder context(Duration batchInterval) {
        return new GraphBuilder(batchInterval, DEFAULT_SHUFFLE_PARTITIONS, System.out);
    }

    private static <R> List<List<R>> collect(GraphBuilder ctx, DStream<R> out, int inputPartitions, int numBatches) {
        if (out == null) {
            throw new IllegalArgumentException("the operation returned no stream");
        }
        List<List<R>> results = new ArrayList<>();
        out.foreachBatch((batch, time) -> results.add(batch.collect()));
        Path checkpoints = temporaryDirectory();
        try {
            if (ctx.checkpointDirectory() == null) {
                ctx.checkpoint(checkpoints.toString());
            }
            JobGraph graph = ctx.build();
            LocalRunner runner = new LocalRunner(JOB, graph, inputPartitions);
            for (int i = 1; i <= numBatches; i++) {
                runner.runBatch(i);
            }
            return results;
        } finally {
            deleteRecursively(checkpoints);
        }
    }

    private static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("sluice-streamtest-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a checkpoint directory for the test", e);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // Leftover temporary files are harmless.
        }
    }
}
