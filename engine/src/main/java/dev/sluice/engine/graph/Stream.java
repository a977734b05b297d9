package dev.sluice.engine.graph;

import dev.sluice.api.BatchConsumer;
import dev.sluice.api.DStream;
import dev.sluice.api.Pair;
import dev.sluice.api.PairDStream;
import dev.sluice.api.StreamingContext;
import dev.sluice.engine.output.ForeachBatchOutput;
import dev.sluice.engine.output.PrintOutput;
import dev.sluice.engine.output.TextFilesOutput;
import dev.sluice.engine.shuffle.Aggregator;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.BinaryOperator;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The {@link DStream} a job sees: a handle on one graph node. Each operation adds a node
 * and returns a handle on it; whole-batch aggregates are built from the per-key ones, as
 * in Spark.
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
    static Node nodeOf(GraphBuilder graph, DStream<?> stream) {
        if (stream instanceof Stream<?> s && s.graph == graph) {
            return s.node;
        }
        throw new IllegalArgumentException("cannot combine streams of different streaming contexts");
    }

    Node narrow(String operator, Function<Iterator<Object>, Iterator<Object>> f) {
        return graph.add(id -> new MapPartitionsNode(id, node, operator, f));
    }

    <K, V> PairStream<K, V> pairs(Node n) {
        return new PairStream<>(graph, n);
    }

    @Override
    public StreamingContext context() {
        return graph;
    }

    @Override
    public <R> DStream<R> map(Function<? super T, ? extends R> f) {
        Function<Object, Object> g = (Function<Object, Object>) f;
        return new Stream<>(graph, narrow("map", in -> Iterators.map(in, g)));
    }

    @Override
    public <R> DStream<R> flatMap(Function<? super T, ? extends Iterable<? extends R>> f) {
        Function<Object, Iterable<?>> g = (Function<Object, Iterable<?>>) (Function<?, ?>) f;
        return new Stream<>(graph, narrow("flatMap", in -> Iterators.flatMap(in, g)));
    }

    @Override
    public DStream<T> filter(Predicate<? super T> p) {
        return new Stream<>(graph, filterNode(p));
    }

    Node filterNode(Predicate<? super T> p) {
        Predicate<Object> q = (Predicate<Object>) p;
        return narrow("filter", in -> Iterators.filter(in, q));
    }

    @Override
    public <K, V> PairDStream<K, V> mapToPair(Function<? super T, Pair<K, V>> f) {
        Function<Object, Object> g = (Function<Object, Object>) (Function<?, ?>) f;
        return pairs(narrow("mapToPair", in -> Iterators.map(in, g)));
    }

    @Override
    public <K, V> PairDStream<K, V> flatMapToPair(Function<? super T, ? extends Iterable<Pair<K, V>>> f) {
        Function<Object, Iterable<?>> g = (Function<Object, Iterable<?>>) (Function<?, ?>) f;
        return pairs(narrow("flatMapToPair", in -> Iterators.flatMap(in, g)));
    }

    @Override
    public <R> DStream<R> mapPartitions(Function<Iterator<T>, Iterator<R>> f) {
        Function<Iterator<Object>, Iterator<Object>> g = (Function<Iterator<Object>, Iterator<Object>>) (Function<?, ?>) f;
        return new Stream<>(graph, narrow("mapPartitions", g));
    }

    @Override
    public DStream<List<T>> glom() {
        return new Stream<>(graph, narrow("glom", in -> {
            List<Object> all = new ArrayList<>();
            in.forEachRemaining(all::add);
            return List.<Object>of(all).iterator();
        }));
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
        });
        Node zero = graph.add(id -> new ConstantNode(id, node.slideMs(), List.of(Pair.of(null, 0L))));
        Node both = graph.add(id -> new UnionNode(id, List.of(counts, zero)));
        BinaryOperator<Object> sum = (a, b) -> (Long) a + (Long) b;
        Node summed = graph.add(id -> new ShuffledNode(id, both, "count", Aggregator.reducing(sum), 1));
        return new Stream<T>(graph, summed).map(kv -> (Long) ((Pair<?, ?>) kv).second());
    }

    @Override
    public PairDStream<T, Long> countByValue() {
        return countByValue(graph.defaultParallelism());
    }

    @Override
    public PairDStream<T, Long> countByValue(int numPartitions) {
        return this.<T, Long>mapToPair(t -> Pair.of(t, 1L)).reduceByKey(Long::sum, numPartitions);
    }

    @Override
    public DStream<T> reduce(BinaryOperator<T> f) {
        PairDStream<Object, T> keyed = mapToPair(t -> Pair.of(null, t));
        return keyed.reduceByKey(f, 1).map(Pair::second);
    }

    @Override
    public DStream<T> union(DStream<T> other) {
        return new Stream<>(graph, unionNode(other));
    }

    Node unionNode(DStream<?> other) {
        Node o = nodeOf(graph, other);
        return graph.add(id -> new UnionNode(id, List.of(node, o)));
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
        graph.addOutput(i -> new ForeachBatchOutput(i, node, (BatchConsumer<Object>) (BatchConsumer<?>) f));
    }
}
