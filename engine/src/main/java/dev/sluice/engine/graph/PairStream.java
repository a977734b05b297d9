package dev.sluice.engine.graph;

import dev.sluice.api.DStream;
import dev.sluice.api.Pair;
import dev.sluice.api.PairDStream;
import dev.sluice.engine.output.TextFilesOutput;
import dev.sluice.engine.shuffle.Aggregator;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.BinaryOperator;
import java.util.function.Function;
import java.util.function.Predicate;

/** The {@link PairDStream} a job sees: the per-key operations over one graph node. */
@SuppressWarnings("unchecked")
final class PairStream<K, V> extends Stream<Pair<K, V>> implements PairDStream<K, V> {

    PairStream(GraphBuilder graph, Node node) {
        super(graph, node);
    }

    @Override
    public PairDStream<K, V> filter(Predicate<? super Pair<K, V>> p) {
        return pairs(filterNode(p));
    }

    @Override
    public PairDStream<K, V> union(DStream<Pair<K, V>> other) {
        return pairs(unionNode(other));
    }

    @Override
    public <W> PairDStream<K, W> mapValues(Function<? super V, ? extends W> f) {
        return pairs(narrow("mapValues", in -> Iterators.map(in, kv -> {
            Pair<K, V> p = (Pair<K, V>) kv;
            return Pair.of(p.first(), f.apply(p.second()));
        })));
    }

    @Override
    public <W> PairDStream<K, W> flatMapValues(Function<? super V, ? extends Iterable<? extends W>> f) {
        return pairs(narrow("flatMapValues", in -> Iterators.flatMap(in, kv -> {
            Pair<K, V> p = (Pair<K, V>) kv;
            List<Object> out = new ArrayList<>();
            for (W w : f.apply(p.second())) {
                out.add(Pair.of(p.first(), w));
            }
            return out;
        })));
    }

    @Override
    public PairDStream<K, List<V>> groupByKey() {
        // No map-side combine, as Spark: grouping does not shrink the data.
        Aggregator grouping = new Aggregator(
                v -> {
                    List<Object> list = new ArrayList<>();
                    list.add(v);
                    return list;
                },
                (list, v) -> {
                    ((List<Object>) list).add(v);
                    return list;
                },
                (a, b) -> {
                    ((List<Object>) a).addAll((List<Object>) b);
                    return a;
                },
                false);
        return pairs(shuffle("groupByKey", grouping, graph.defaultParallelism()));
    }

    @Override
    public PairDStream<K, V> reduceByKey(BinaryOperator<V> f) {
        return reduceByKey(f, graph.defaultParallelism());
    }

    @Override
    public PairDStream<K, V> reduceByKey(BinaryOperator<V> f, int numPartitions) {
        return pairs(shuffle("reduceByKey", Aggregator.reducing((BinaryOperator<Object>) f), numPartitions));
    }

    @Override
    public <C> PairDStream<K, C> combineByKey(Function<? super V, C> create, BiFunction<C, ? super V, C> mergeValue,
                                              BinaryOperator<C> mergeCombiners, int numPartitions) {
        Aggregator aggregator = new Aggregator((Function<Object, Object>) create,
                (BiFunction<Object, Object, Object>) (BiFunction<?, ?, ?>) mergeValue,
                (BinaryOperator<Object>) mergeCombiners, true);
        return pairs(shuffle("combineByKey", aggregator, numPartitions));
    }

    private Node shuffle(String operator, Aggregator aggregator, int numPartitions) {
        if (numPartitions <= 0) {
            throw new IllegalArgumentException(operator + ": number of partitions must be positive, got " + numPartitions);
        }
        return graph.add(id -> new ShuffledNode(id, node, operator, aggregator, numPartitions));
    }

    @Override
    public void saveAsHadoopFiles(String prefix, String suffix) {
        graph.addOutput(i -> new TextFilesOutput(i, node, prefix, suffix, TextFilesOutput.Layout.HADOOP));
    }
}
