package dev.sluice.engine.graph;

import dev.sluice.api.Batch;
import dev.sluice.api.BatchConsumer;
import dev.sluice.api.BatchTransform;
import dev.sluice.api.BatchTransform2;
import dev.sluice.api.DStream;
import dev.sluice.api.MultiBatchTransform;
import dev.sluice.api.Pair;
import dev.sluice.api.PairDStream;
import dev.sluice.api.StreamingContext;
import dev.sluice.engine.output.ForeachBatchOutput;
import dev.sluice.engine.output.PrintOutput;
import dev.sluice.engine.output.TextFilesOutput;
import dev.sluice.engine.shuffle.Aggregator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.BinaryOperator;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The {@link DStream} a job sees: a handle on one graph node. Each operation adds nodes
 * and returns a handle on the last; whole-batch and windowed aggregates are built from
 * the per-key ones exactly as Spark builds them, so they mean the same.
 */
@SuppressWarnings("unchecked")
public class Stream<T> implements DStream<T> {

    final GraphBuilder graph;
    final Node node;

    Stream(GraphBuilder graph, Node node) {
        this.graph = graph;
        this.node = node;
    }

    /** The node behind {@code stream}, which must belong to {@code graph}. */
    static Node nodeOf(GraphBuilder graph, DStream<?> stream, String operator) {
        if (stream instanceof Stream<?> s && s.graph == graph) {
            return s.node;
        }
        throw new IllegalArgumentException(operator + ": cannot combine streams of different streaming contexts");
    }

    Node narrow(String operator, Function<Iterator<Object>, Iterator<Object>> f, boolean preservesPartitioning) {
        return graph.add(id -> new MapPartitionsNode(id, node, operator, f, preservesPartitioning));
    }

    <K, V> PairStream<K, V> pairs(Node n) {
        return new PairStream<>(graph, n);
    }

    long windowMs(String operator, String what, Duration d) {
        return DefinitionRules.requireMultiple(operator, what, d, node.slideMs());
    }

    @Override
    public StreamingContext context() {
        return graph;
    }

    @Override
    public <R> DStream<R> map(Function<? super T, ? extends R> f) {
        Function<Object, Object> g = (Function<Object, Object>) f;
        return new Stream<>(graph, narrow("map", in -> Iterators.map(in, g), false));
    }

    @Override
    public <R> DStream<R> flatMap(Function<? super T, ? extends Iterable<? extends R>> f) {
        Function<Object, Iterable<?>> g = (Function<Object, Iterable<?>>) (Function<?, ?>) f;
        return new Stream<>(graph, narrow("flatMap", in -> Iterators.flatMap(in, g), false));
    }

    @Override
    public DStream<T> filter(Predicate<? super T> p) {
        return new Stream<>(graph, filterNode(p));
    }

    Node filterNode(Predicate<? super T> p) {
        Predicate<Object> q = (Predicate<Object>) p;
        return narrow("filter", in -> Iterators.filter(in, q), true);
    }

    @Override
    public <K, V> PairDStream<K, V> mapToPair(Function<? super T, Pair<K, V>> f) {
        Function<Object, Object> g = (Function<Object, Object>) (Function<?, ?>) f;
        return pairs(narrow("mapToPair", in -> Iterators.map(in, g), false));
    }

    @Override
    public <K, V> PairDStream<K, V> flatMapToPair(Function<? super T, ? extends Iterable<Pair<K, V>>> f) {
        Function<Object, Iterable<?>> g = (Function<Object, Iterable<?>>) (Function<?, ?>) f;
        return pairs(narrow("flatMapToPair", in -> Iterators.flatMap(in, g), false));
    }

    @Override
    public <R> DStream<R> mapPartitions(Function<Iterator<T>, Iterator<R>> f) {
        Function<Iterator<Object>, Iterator<Object>> g = (Function<Iterator<Object>, Iterator<Object>>) (Function<?, ?>) f;
        return new Stream<>(graph, narrow("mapPartitions", g, false));
    }

    @Override
    public <K, V> PairDStream<K, V> mapPartitionsToPair(Function<Iterator<T>, Iterator<Pair<K, V>>> f) {
        Function<Iterator<Object>, Iterator<Object>> g = (Function<Iterator<Object>, Iterator<Object>>) (Function<?, ?>) f;
        return pairs(narrow("mapPartitionsToPair", g, false));
    }

    @Override
    public DStream<List<T>> glom() {
        return new Stream<>(graph, narrow("glom", in -> {
            List<Object> all = new ArrayList<>();
            in.forEachRemaining(all::add);
            return List.<Object>of(all).iterator();
        }, false));
    }

    @Override
    public DStream<Long> count() {
        // As Spark: count each partition, add a zero so an empty batch counts 0, sum in one partition.
        Node counts = narrow("count", in -> {
            long n = 0;
            for (; in.hasNext(); in.next()) {
                n++;
            }
            return List.<Object>of(Pair.of(null, n)).iterator();
        }, false);
        Node zero = graph.add(id -> new ConstantNode(id, node.slideMs(), List.of(Pair.of(null, 0L))));
        Node both = graph.add(id -> new UnionNode(id, "count", List.of(counts, zero)));
        BinaryOperator<Object> sum = (a, b) -> (Long) a + (Long) b;
        Node summed = graph.add(id -> new ShuffledNode(id, graph.shuffleIds(1), both, "count", Aggregator.reducing(sum), 1));
        return new Stream<T>(graph, summed).map(kv -> (Long) ((Pair<?, ?>) kv).second());
    }

    @Override
    public PairDStream<T, Long> countByValue() {
        return countByValue(graph.defaultParallelism());
    }

    @Override
    public PairDStream<T, Long> countByValue(int numPartitions) {
        DefinitionRules.requirePartitions("countByValue", numPartitions);
        return this.<T, Long>mapToPair(t -> Pair.of(t, 1L)).reduceByKey(Long::sum, numPartitions);
    }

    @Override
    public DStream<T> reduce(BinaryOperator<T> f) {
        PairDStream<Object, T> keyed = mapToPair(t -> Pair.of(null, t));
        return keyed.reduceByKey(f, 1).map(Pair::second);
    }

    @Override
    public DStream<T> repartition(int numPartitions) {
        int n = DefinitionRules.requirePartitions("repartition", numPartitions);
        // Deal each partition's records round-robin, from a start that differs per partition.
        Node keyed = graph.add(id -> new MapPartitionsNode(id, node, "repartition",
                (partition, in) -> {
                    int[] position = {partition % n};
                    return Iterators.map(in, r -> Pair.of(position[0]++ % n, r));
                }, false));
        Node shuffled = graph.add(id -> new ShuffledNode(id, graph.shuffleIds(1), keyed, "repartition", null, n));
        return new Stream<T>(graph, shuffled).map(kv -> (T) ((Pair<?, ?>) kv).second());
    }

    @Override
    public DStream<T> union(DStream<T> other) {
        return new Stream<>(graph, unionNode(other));
    }

    Node unionNode(DStream<?> other) {
        Node o = nodeOf(graph, other, "union");
        return graph.add(id -> new UnionNode(id, "union", List.of(node, o)));
    }

    @Override
    public <R> DStream<R> transform(Function<Batch<T>, Batch<R>> f) {
        return transform((batch, time) -> f.apply(batch));
    }

    @Override
    public <R> DStream<R> transform(BatchTransform<T, R> f) {
        return new Stream<>(graph, graph.<R>transformNode("transform", List.of(this),
                (batches, time) -> f.apply((Batch<T>) batches.get(0), time)));
    }

    @Override
    public <K, V> PairDStream<K, V> transformToPair(Function<Batch<T>, Batch<Pair<K, V>>> f) {
        return pairs(graph.<Pair<K, V>>transformNode("transformToPair", List.of(this),
                (batches, time) -> f.apply((Batch<T>) batches.get(0))));
    }

    @Override
    public <K, V> PairDStream<K, V> transformToPair(BatchTransform<T, Pair<K, V>> f) {
        return pairs(graph.<Pair<K, V>>transformNode("transformToPair", List.of(this),
                (batches, time) -> f.apply((Batch<T>) batches.get(0), time)));
    }

    @Override
    public <U, R> DStream<R> transformWith(DStream<U> other, BatchTransform2<T, U, R> f) {
        return new Stream<>(graph, graph.<R>transformNode("transformWith", List.of(this, other),
                (batches, time) -> f.apply((Batch<T>) batches.get(0), (Batch<U>) batches.get(1), time)));
    }

    @Override
    public DStream<T> window(Duration length) {
        return window("window", length, Duration.ofMillis(node.slideMs()));
    }

    @Override
    public DStream<T> window(Duration length, Duration slide) {
        return window("window", length, slide);
    }

    DStream<T> window(String operator, Duration length, Duration slide) {
        long lengthMs = windowMs(operator, "window length", length);
        long slideMs = windowMs(operator, "slide", slide);
        node.persist();
        return new Stream<>(graph, graph.add(id -> new WindowNode(id, node, lengthMs, slideMs)));
    }

    @Override
    public DStream<Long> countByWindow(Duration length, Duration slide) {
        windowMs("countByWindow", "window length", length);
        windowMs("countByWindow", "slide", slide);
        return map(t -> 1L).reduceByWindow(Long::sum, (a, b) -> a - b, length, slide);
    }

    @Override
    public DStream<T> reduceByWindow(BinaryOperator<T> f, Duration length, Duration slide) {
        windowMs("reduceByWindow", "window length", length);
        windowMs("reduceByWindow", "slide", slide);
        return ((Stream<T>) reduce(f)).window("reduceByWindow", length, slide).reduce(f);
    }

    @Override
    public DStream<T> reduceByWindow(BinaryOperator<T> f, BinaryOperator<T> inverse, Duration length, Duration slide) {
        windowMs("reduceByWindow", "window length", length);
        windowMs("reduceByWindow", "slide", slide);
        PairDStream<Integer, T> keyed = mapToPair(t -> Pair.of(1, t));
        return keyed.reduceByKeyAndWindow(f, inverse, length, slide, 1).map(Pair::second);
    }

    @Override
    public PairDStream<T, Long> countByValueAndWindow(Duration length, Duration slide) {
        return countByValueAndWindow(length, slide, graph.defaultParallelism());
    }

    @Override
    public PairDStream<T, Long> countByValueAndWindow(Duration length, Duration slide, int numPartitions) {
        windowMs("countByValueAndWindow", "window length", length);
        windowMs("countByValueAndWindow", "slide", slide);
        DefinitionRules.requirePartitions("countByValueAndWindow", numPartitions);
        PairDStream<T, Long> ones = mapToPair(t -> Pair.of(t, 1L));
        return ones.reduceByKeyAndWindow(Long::sum, (a, b) -> a - b, length, slide, numPartitions, kv -> kv.second() != 0L);
    }

    @Override
    public DStream<T> cache() {
        node.persist();
        return this;
    }

    @Override
    public DStream<T> persist() {
        return cache();
    }

    @Override
    public DStream<T> checkpoint(Duration interval) {
        node.checkpointEvery(windowMs("checkpoint", "checkpoint interval", interval));
        return this;
    }

    @Override
    public void print() {
        print(10);
    }

    @Override
    public void print(int n) {
        graph.addOutput(i -> new PrintOutput(i, node, n, graph.out()));
    }

    @Override
    public void saveAsTextFiles(String prefix, String suffix) {
        graph.addOutput(i -> new TextFilesOutput(i, node, prefix, suffix, TextFilesOutput.Layout.TEXT));
    }

    @Override
    public void foreachBatch(BatchConsumer<T> f) {
        graph.addOutput(i -> new ForeachBatchOutput(i, node, (BatchConsumer<Object>) (BatchConsumer<?>) f,
                graph.defaultParallelism()));
    }
}
