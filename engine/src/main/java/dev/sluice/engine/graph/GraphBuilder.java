package dev.sluice.engine.graph;

import dev.sluice.api.DStream;
import dev.sluice.api.JobArgs;
import dev.sluice.api.KafkaRecord;
import dev.sluice.api.MultiBatchTransform;
import dev.sluice.api.Receiver;
import dev.sluice.api.StreamingContext;
import dev.sluice.api.StreamingJob;
import dev.sluice.engine.output.OutputOperation;
import dev.sluice.engine.source.DirectSources;
import dev.sluice.engine.source.KafkaSourceConfig;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The {@link StreamingContext} a job's {@code define} runs against: every call records a
 * node, numbered in call order, and {@link #build()} freezes them into a {@link JobGraph}.
 * Definition rules are checked as each operator is declared.
 */
public final class GraphBuilder implements StreamingContext {

    /** The job argument that sets the batch interval. */
    public static final String BATCH_ARG = "batch";
    /** The job argument that sets the default number of shuffle partitions. */
    public static final String PARALLELISM_ARG = "parallelism";
    /** The job argument that sets the checkpoint directory, unless the job sets one itself. */
    public static final String CHECKPOINT_ARG = "checkpoint";

    private static final int CHECKPOINT_BATCHES = 10;

    private final Duration batchInterval;
    private final int defaultParallelism;
    private final PrintStream out;
    private final List<Node> nodes = new ArrayList<>();
    private final List<OutputOperation> outputs = new ArrayList<>();
    private int shuffles;
    private String checkpointDirectory;
    private Duration rememberDuration = Duration.ZERO;

    /**
     * @param out where {@code print()} writes, on the process that finishes batches
     */
    public GraphBuilder(Duration batchInterval, int defaultParallelism, PrintStream out) {
        if (batchInterval.toMillis() <= 0) {
            throw new IllegalArgumentException("batch interval must be at least 1 ms, got " + batchInterval);
        }
        if (defaultParallelism <= 0) {
            throw new IllegalArgumentException("default parallelism must be positive, got " + defaultParallelism);
        }
        this.batchInterval = batchInterval;
        this.defaultParallelism = defaultParallelism;
        this.out = out;
    }

    /**
     * Defines {@code job} with {@code args}: the arguments {@code batch} (default 1s),
     * {@code parallelism} (default 2) and {@code checkpoint} (a directory; default under
     * the temporary directory, and then the job is not resumed after a coordinator restart)
     * configure the context itself.
     */
    public static JobGraph define(StreamingJob job, JobArgs args, PrintStream out) {
        GraphBuilder ctx = new GraphBuilder(args.getDuration(BATCH_ARG, Duration.ofSeconds(1)),
                args.getInt(PARALLELISM_ARG, 2), out);
        String checkpoint = args.get(CHECKPOINT_ARG);
        if (checkpoint != null) {
            ctx.checkpoint(checkpoint);
        }
        job.define(ctx, args);
        return ctx.build();
    }

    /** Freezes the graph. A job must have at least one output operation, as in Spark. */
    public JobGraph build() {
        if (outputs.isEmpty()) {
            throw new IllegalStateException("the job registers no output operations, so nothing would run: "
                    + "add print(), saveAsTextFiles(...) or foreachBatch(...)");
        }
        String dir = checkpointDirectory != null ? checkpointDirectory
                : Path.of(System.getProperty("java.io.tmpdir"), "sluice-checkpoints").toString();
        return new JobGraph(batchInterval.toMillis(), defaultParallelism, nodes, outputs, dir, checkpointDirectory != null,
                rememberDuration.toMillis());
    }

    @Override
    public Duration batchInterval() {
        return batchInterval;
    }

    public int defaultParallelism() {
        return defaultParallelism;
    }

    PrintStream out() {
        return out;
    }

    long batchIntervalMs() {
        return batchInterval.toMillis();
    }

    /** Adds the node {@code make} builds with the next id. */
    <N extends Node> N add(IntFunction<N> make) {
        N node = make.apply(nodes.size());
        nodes.add(node);
        return node;
    }

    /** Reserves {@code count} consecutive shuffle ids and returns the first. */
    int shuffleIds(int count) {
        int first = shuffles;
        shuffles += count;
        return first;
    }

    void addOutput(IntFunction<OutputOperation> make) {
        outputs.add(make.apply(outputs.size()));
    }

    /** Persists {@code node} and checkpoints it every 10 batch intervals, rounded up to a multiple of its slide. */
    void keepState(Node node) {
        long slide = node.slideMs();
        long every = (CHECKPOINT_BATCHES * batchIntervalMs() + slide - 1) / slide * slide;
        node.checkpointEvery(every);
    }

    @Override
    public DStream<String> socketTextStream(String host, int port) {
        return new Stream<>(this, add(id -> new SocketSourceNode(id, batchIntervalMs(), host, port)));
    }

    @Override
    public DStream<String> textFileStream(String directory) {
        return new Stream<>(this, add(id -> new FileSourceNode(id, batchIntervalMs(), directory)));
    }

    @Override
    public DStream<String> httpStream(String path) {
        return new Stream<>(this, add(id -> new HttpSourceNode(id, batchIntervalMs(), path)));
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> DStream<T> receiverStream(Receiver<T> receiver) {
        return new Stream<>(this, add(id -> new ReceiverSourceNode(id, batchIntervalMs(), (Receiver<Object>) receiver)));
    }

    @Override
    public DStream<KafkaRecord> kafkaStream(String bootstrapServers, List<String> topics, Map<String, String> options) {
        KafkaSourceConfig config = KafkaSourceConfig.of(bootstrapServers, topics, options);
        // The Kafka client settings (kafka.*) are checked by the connector, when it is on the classpath.
        DirectSources.validateIfPresent(KafkaSourceConfig.KIND, config.toMap());
        return new Stream<>(this, add(id -> new DirectSourceNode(id, batchIntervalMs(), KafkaSourceConfig.KIND,
                config.label(), config.toMap())));
    }

    @Override
    public <T> DStream<T> queueStream(List<List<T>> batches) {
        return new Stream<>(this, add(id -> new QueueSourceNode(id, batchIntervalMs(), batches)));
    }

    @Override
    @SafeVarargs
    public final <T> DStream<T> union(DStream<T>... streams) {
        if (streams.length == 0) {
            throw new IllegalArgumentException("union needs at least one stream");
        }
        List<Node> parents = new ArrayList<>();
        for (DStream<T> s : streams) {
            parents.add(Stream.nodeOf(this, s, "union"));
        }
        return new Stream<>(this, add(id -> new UnionNode(id, "union", parents)));
    }

    @Override
    public <R> DStream<R> transform(List<DStream<?>> streams, MultiBatchTransform<R> f) {
        return new Stream<>(this, transformNode("transform", streams, f));
    }

    /** A node applying {@code f} to whole batches of {@code streams}, which it persists. */
    @SuppressWarnings("unchecked")
    <R> Node transformNode(String operator, List<DStream<?>> streams, MultiBatchTransform<R> f) {
        if (streams.isEmpty()) {
            throw new IllegalArgumentException(operator + " needs at least one stream");
        }
        List<Node> parents = new ArrayList<>();
        for (DStream<?> s : streams) {
            parents.add(Stream.nodeOf(this, s, operator));
        }
        MultiBatchTransform<Object> g = (MultiBatchTransform<Object>) (MultiBatchTransform<?>) f;
        TransformNode node = add(id -> new TransformNode(id, operator, parents, g, defaultParallelism));
        parents.forEach(Node::persist);
        return node;
    }

    @Override
    public void checkpoint(String directory) {
        this.checkpointDirectory = directory;
    }

    /** The checkpoint directory set so far, or {@code null}. */
    public String checkpointDirectory() {
        return checkpointDirectory;
    }

    @Override
    public void remember(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("remember: the duration must not be negative, got " + duration);
        }
        this.rememberDuration = duration;
    }
}
