package dev.sluice.api;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What {@link PairDStream#mapWithState} needs: the mapping function, and optionally the
 * initial state, the number of partitions and an idle timeout.
 */
public final class StateSpec<K, V, S, M> {

    private final MappingFunction<K, V, S, M> function;
    private List<Pair<K, S>> initialState = List.of();
    private int numPartitions;
    private Duration timeout;

    private StateSpec(MappingFunction<K, V, S, M> function) {
        this.function = Objects.requireNonNull(function, "mapping function");
    }

    /** A spec with {@code function} and no initial state, the default partitions and no timeout. */
    public static <K, V, S, M> StateSpec<K, V, S, M> function(MappingFunction<K, V, S, M> function) {
        return new StateSpec<>(function);
    }

    /** Starts from {@code state}. */
    public StateSpec<K, V, S, M> initialState(List<Pair<K, S>> state) {
        this.initialState = List.copyOf(state);
        return this;
    }

    /** Keeps the state in {@code n} partitions. */
    public StateSpec<K, V, S, M> numPartitions(int n) {
        this.numPartitions = n;
        return this;
    }

    /** Times out a key that got no value for longer than {@code idle}. */
    public StateSpec<K, V, S, M> timeout(Duration idle) {
        this.timeout = idle;
        return this;
    }

    public MappingFunction<K, V, S, M> getFunction() {
        return function;
    }

    public List<Pair<K, S>> getInitialState() {
        return initialState;
    }

    /** The number of partitions, or 0 for the default. */
    public int getNumPartitions() {
        return numPartitions;
    }

    /** The idle timeout, or {@code null} for none. */
    public Duration getTimeout() {
        return timeout;
    }
}
