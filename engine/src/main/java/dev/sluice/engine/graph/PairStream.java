package dev.sluice.engine.graph;

import dev.sluice.api.DStream;
import dev.sluice.api.MapWithStateDStream;
import dev.sluice.api.MappingFunction;
import dev.sluice.api.Pair;
import dev.sluice.api.PairDStream;
import dev.sluice.api.StateSpec;
import dev.sluice.engine.output.TextFilesOutput;
import dev.sluice.engine.shuffle.Aggregator;
import dev.sluice.engine.shuffle.HashPartitioner;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.BinaryOperator;
import java.util.function.Function;
import java.util.function.Predicate;

/** The {@link PairDStream} a job sees: the per-key operations over one graph node. */
@SuppressWarnings("unchecked")
class PairStream<K, V> extends Stream<Pair<K, V>> implements PairDStream<K, V> {

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
    public PairDStream<K, V> cache() {
        super.cache();
        return this;
    }

    @Override
    public PairDStream<K, V> persist() {
        return cache();
    }

    @Override
    public PairDStream<K, V> checkpoint(Duration interval) {
        super.checkpoint(interval);
        return this;
    }

    @Override
    public <W> PairDStream<K, W> mapValues(Function<? super V, ? extends W> f) {
        return pairs(narrow("mapValues", in -> Iterators.map(in, kv -> {
            Pair<K, V> p = (Pair<K, V>) kv;
            return Pair.of(p.first(), f.apply(p.second()));
        }), true));
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
        }), true));
    }

    @Override
    public PairDStream<K, List<V>> groupByKey() {
        return groupByKey("groupByKey", graph.defaultParallelism());
    }

    private PairDStream<K, List<V>> groupByKey(String operator, int numPartitions) {
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
        return pairs(combine(operator, grouping, numPartitions));
    }

    @Override
    public PairDStream<K, V> reduceByKey(BinaryOperator<V> f) {
        return reduceByKey(f, graph.defaultParallelism());
    }

    @Override
    public PairDStream<K, V> reduceByKey(BinaryOperator<V> f, int numPartitions) {
        return pairs(combine("reduceByKey", Aggregator.reducing((BinaryOperator<Object>) f), numPartitions));
    }

    @Override
    public <C> PairDStream<K, C> combineByKey(Function<? super V, C> create, BiFunction<C, ? super V, C> mergeValue,
                                              BinaryOperator<C> mergeCombiners, int numPartitions) {
        Aggregator aggregator = new Aggregator((Function<Object, Object>) create,
                (BiFunction<Object, Object, Object>) (BiFunction<?, ?, ?>) mergeValue,
                (BinaryOperator<Object>) mergeCombiners, true);
        return pairs(combine("combineByKey", aggregator, numPartitions));
    }

    /**
     * Combines values per key into {@code numPartitions} partitions: with a shuffle, or, when
     * this stream is already partitioned that way, within each partition (as Spark does).
     */
    private Node combine(String operator, Aggregator aggregator, int numPartitions) {
        HashPartitioner target = new HashPartitioner(DefinitionRules.requirePartitions(operator, numPartitions));
        if (target.equals(node.partitioner())) {
            return narrow(operator, in -> {
                Map<Object, Object> combined = new LinkedHashMap<>();
                in.forEachRemaining(r -> {
                    Pair<?, ?> kv = (Pair<?, ?>) r;
                    Object old = combined.get(kv.first());
                    combined.put(kv.first(), old == null && !combined.containsKey(kv.first())
                            ? aggregator.create().apply(kv.second())
                            : aggregator.mergeValue().apply(old, kv.second()));
                });
                return Iterators.pairs(combined);
            }, true);
        }
        return graph.add(id -> new ShuffledNode(id, graph.shuffleIds(1), node, operator, aggregator, numPartitions));
    }

    // ---------------------------------------------------------------- two streams

    private <W> Node cogroupNode(String operator, PairDStream<K, W> other, int numPartitions) {
        Node right = nodeOf(graph, other, operator);
        return graph.add(id -> new CoGroupedNode(id, graph.shuffleIds(2), operator, node, right, numPartitions));
    }

    /** A cogroup followed by {@code f} of each key's two value lists. */
    private <R> PairDStream<K, R> joined(String operator, PairDStream<K, ?> other, int numPartitions,
                                         BiFunction<List<Object>, List<Object>, List<Object>> f) {
        Node grouped = cogroupNode(operator, other, numPartitions);
        return pairs(graph.add(id -> new MapPartitionsNode(id, grouped, operator, in -> Iterators.flatMap(in, r -> {
            Pair<?, Pair<List<Object>, List<Object>>> kv = (Pair<?, Pair<List<Object>, List<Object>>>) r;
            List<Object> out = new ArrayList<>();
            for (Object value : f.apply(kv.second().first(), kv.second().second())) {
                out.add(Pair.of(kv.first(), value));
            }
            return out;
        }), true)));
    }

    private static List<Object> cross(List<?> vs, List<?> ws, Function<Object, Object> left, Function<Object, Object> right) {
        List<Object> out = new ArrayList<>(vs.size() * ws.size());
        for (Object v : vs) {
            for (Object w : ws) {
                out.add(Pair.of(left.apply(v), right.apply(w)));
            }
        }
        return out;
    }

    private static List<Object> each(List<?> values, Function<Object, Object> f) {
        List<Object> out = new ArrayList<>(values.size());
        values.forEach(v -> out.add(f.apply(v)));
        return out;
    }

    @Override
    public <W> PairDStream<K, Pair<V, W>> join(PairDStream<K, W> other) {
        return join(other, graph.defaultParallelism());
    }

    @Override
    public <W> PairDStream<K, Pair<V, W>> join(PairDStream<K, W> other, int numPartitions) {
        return joined("join", other, numPartitions, (vs, ws) -> cross(vs, ws, v -> v, w -> w));
    }

    @Override
    public <W> PairDStream<K, Pair<V, Optional<W>>> leftOuterJoin(PairDStream<K, W> other) {
        return leftOuterJoin(other, graph.defaultParallelism());
    }

    @Override
    public <W> PairDStream<K, Pair<V, Optional<W>>> leftOuterJoin(PairDStream<K, W> other, int numPartitions) {
        return joined("leftOuterJoin", other, numPartitions, (vs, ws) -> ws.isEmpty()
                ? each(vs, v -> Pair.of(v, Optional.empty()))
                : cross(vs, ws, v -> v, Optional::ofNullable));
    }

    @Override
    public <W> PairDStream<K, Pair<Optional<V>, W>> rightOuterJoin(PairDStream<K, W> other) {
        return rightOuterJoin(other, graph.defaultParallelism());
    }

    @Override
    public <W> PairDStream<K, Pair<Optional<V>, W>> rightOuterJoin(PairDStream<K, W> other, int numPartitions) {
        return joined("rightOuterJoin", other, numPartitions, (vs, ws) -> vs.isEmpty()
                ? each(ws, w -> Pair.of(Optional.empty(), w))
                : cross(vs, ws, Optional::ofNullable, w -> w));
    }

    @Override
    public <W> PairDStream<K, Pair<Optional<V>, Optional<W>>> fullOuterJoin(PairDStream<K, W> other) {
        return fullOuterJoin(other, graph.defaultParallelism());
    }

    @Override
    public <W> PairDStream<K, Pair<Optional<V>, Optional<W>>> fullOuterJoin(PairDStream<K, W> other, int numPartitions) {
        return joined("fullOuterJoin", other, numPartitions, (vs, ws) -> {
            if (ws.isEmpty()) {
                return each(vs, v -> Pair.of(Optional.ofNullable(v), Optional.empty()));
            }
            if (vs.isEmpty()) {
                return each(ws, w -> Pair.of(Optional.empty(), Optional.ofNullable(w)));
            }
            return cross(vs, ws, Optional::ofNullable, Optional::ofNullable);
        });
    }

    @Override
    public <W> PairDStream<K, Pair<List<V>, List<W>>> cogroup(PairDStream<K, W> other) {
        return cogroup(other, graph.defaultParallelism());
    }

    @Override
    public <W> PairDStream<K, Pair<List<V>, List<W>>> cogroup(PairDStream<K, W> other, int numPartitions) {
        return pairs(cogroupNode("cogroup", other, numPartitions));
    }

    // ---------------------------------------------------------------- windows

    @Override
    public PairDStream<K, List<V>> groupByKeyAndWindow(Duration length) {
        return groupByKeyAndWindow(length, Duration.ofMillis(node.slideMs()));
    }

    @Override
    public PairDStream<K, List<V>> groupByKeyAndWindow(Duration length, Duration slide) {
        return groupByKeyAndWindow(length, slide, graph.defaultParallelism());
    }

    @Override
    public PairDStream<K, List<V>> groupByKeyAndWindow(Duration length, Duration slide, int numPartitions) {
        String op = "groupByKeyAndWindow";
        windowMs(op, "window length", length);
        windowMs(op, "slide", slide);
        PairStream<K, List<V>> grouped = (PairStream<K, List<V>>) groupByKey(op, numPartitions);
        PairStream<K, List<V>> windowed = pairs(((Stream<?>) grouped.window(op, length, slide)).node);
        // Each batch's groups of a key, concatenated in time order.
        Aggregator concat = new Aggregator(
                list -> new ArrayList<>((List<Object>) list),
                (acc, list) -> {
                    ((List<Object>) acc).addAll((List<Object>) list);
                    return acc;
                },
                (a, b) -> {
                    ((List<Object>) a).addAll((List<Object>) b);
                    return a;
                },
                false);
        return pairs(windowed.combine(op, concat, numPartitions));
    }

    @Override
    public PairDStream<K, V> reduceByKeyAndWindow(BinaryOperator<V> f, Duration length) {
        return reduceByKeyAndWindow(f, length, Duration.ofMillis(node.slideMs()));
    }

    @Override
    public PairDStream<K, V> reduceByKeyAndWindow(BinaryOperator<V> f, Duration length, Duration slide) {
        return reduceByKeyAndWindow(f, length, slide, graph.defaultParallelism());
    }

    @Override
    public PairDStream<K, V> reduceByKeyAndWindow(BinaryOperator<V> f, Duration length, Duration slide, int numPartitions) {
        String op = "reduceByKeyAndWindow";
        windowMs(op, "window length", length);
        windowMs(op, "slide", slide);
        Aggregator reducing = Aggregator.reducing((BinaryOperator<Object>) f);
        PairStream<K, V> reduced = pairs(combine(op, reducing, numPartitions));
        PairStream<K, V> windowed = pairs(((Stream<?>) reduced.window(op, length, slide)).node);
        return pairs(windowed.combine(op, reducing, numPartitions));
    }

    @Override
    public PairDStream<K, V> reduceByKeyAndWindow(BinaryOperator<V> f, BinaryOperator<V> inverse, Duration length,
                                                  Duration slide) {
        return reduceByKeyAndWindow(f, inverse, length, slide, graph.defaultParallelism());
    }

    @Override
    public PairDStream<K, V> reduceByKeyAndWindow(BinaryOperator<V> f, BinaryOperator<V> inverse, Duration length,
                                                  Duration slide, int numPartitions) {
        return reduceByKeyAndWindow(f, inverse, length, slide, numPartitions, kv -> true);
    }

    @Override
    public PairDStream<K, V> reduceByKeyAndWindow(BinaryOperator<V> f, BinaryOperator<V> inverse, Duration length,
                                                  Duration slide, int numPartitions, Predicate<? super Pair<K, V>> keep) {
        String op = "reduceByKeyAndWindow";
        long lengthMs = windowMs(op, "window length", length);
        long slideMs = windowMs(op, "slide", slide);
        if (inverse == null) {
            throw new IllegalArgumentException(op + ": the inverse function must be given");
        }
        Node reduced = combine(op, Aggregator.reducing((BinaryOperator<Object>) f), numPartitions);
        reduced.persist();
        Predicate<Object> filter = (Predicate<Object>) (Predicate<?>) keep;
        Node window = graph.add(id -> new ReducedWindowNode(id, reduced, (BinaryOperator<Object>) f,
                (BinaryOperator<Object>) inverse, lengthMs, slideMs, filter));
        graph.keepState(window);
        return pairs(window);
    }

    // ---------------------------------------------------------------- state

    @Override
    public <S> PairDStream<K, S> updateStateByKey(BiFunction<List<V>, Optional<S>, Optional<S>> f) {
        return updateStateByKey(f, graph.defaultParallelism());
    }

    @Override
    public <S> PairDStream<K, S> updateStateByKey(BiFunction<List<V>, Optional<S>, Optional<S>> f, int numPartitions) {
        return updateStateByKey(f, numPartitions, List.of());
    }

    @Override
    public <S> PairDStream<K, S> updateStateByKey(BiFunction<List<V>, Optional<S>, Optional<S>> f, int numPartitions,
                                                  List<Pair<K, S>> initialState) {
        BiFunction<List<Object>, Optional<Object>, Optional<Object>> g =
                (BiFunction<List<Object>, Optional<Object>, Optional<Object>>) (BiFunction<?, ?, ?>) f;
        List<Pair<Object, Object>> initial = (List<Pair<Object, Object>>) (List<?>) initialState;
        Node state = graph.add(id -> new StateNode(id, graph.shuffleIds(1), node, g, numPartitions, initial));
        graph.keepState(state);
        return pairs(state);
    }

    @Override
    public <S, M> MapWithStateDStream<K, V, S, M> mapWithState(StateSpec<K, V, S, M> spec) {
        int n = spec.getNumPartitions() == 0 ? graph.defaultParallelism() : spec.getNumPartitions();
        long timeoutMs = 0;
        if (spec.getTimeout() != null) {
            timeoutMs = spec.getTimeout().toMillis();
            if (timeoutMs <= 0) {
                throw new IllegalArgumentException("mapWithState: the timeout must be positive, got " + spec.getTimeout());
            }
        }
        long timeout = timeoutMs;
        MappingFunction<Object, Object, Object, Object> f =
                (MappingFunction<Object, Object, Object, Object>) (MappingFunction<?, ?, ?, ?>) spec.getFunction();
        List<Pair<Object, Object>> initial = (List<Pair<Object, Object>>) (List<?>) spec.getInitialState();
        Node state = graph.add(id -> new MapWithStateNode(id, graph.shuffleIds(1), node, f, n, initial, timeout));
        graph.keepState(state);
        return new MapWithStateStream<>(graph, state);
    }

    @Override
    public void saveAsHadoopFiles(String prefix, String suffix) {
        graph.addOutput(i -> new TextFilesOutput(i, node, prefix, suffix, TextFilesOutput.Layout.HADOOP));
    }

    /** The mapped stream of a mapWithState node, with its state snapshots. */
    static final class MapWithStateStream<K, V, S, M> extends Stream<M> implements MapWithStateDStream<K, V, S, M> {

        private final Node state;

        MapWithStateStream(GraphBuilder graph, Node state) {
            super(graph, graph.add(id -> new MapPartitionsNode(id, state, "mapWithState.mapped",
                    in -> Iterators.flatMap(in, r -> (List<Object>) MapWithStateNode.mappedOf(r)), false)));
            this.state = state;
        }

        @Override
        public PairDStream<K, S> stateSnapshots() {
            return new PairStream<>(graph, graph.add(id -> new MapPartitionsNode(id, state, "mapWithState.snapshots",
                    in -> Iterators.flatMap(in, r -> {
                        List<Object> pairs = new ArrayList<>();
                        for (Object e : MapWithStateNode.entriesOf(r)) {
                            pairs.add(Pair.of(((List<?>) e).get(0), ((List<?>) e).get(1)));
                        }
                        return pairs;
                    }), true)));
        }

        @Override
        public DStream<M> checkpoint(Duration interval) {
            state.checkpointEvery(DefinitionRules.requireMultiple("checkpoint", "checkpoint interval", interval,
                    state.slideMs()));
            return this;
        }
    }
}
