package dev.sluice.engine.shuffle;

import java.util.function.BiFunction;
import java.util.function.BinaryOperator;
import java.util.function.Function;

/**
 * How a shuffle combines the values of a key: Spark's combineByKey triple. With
 * {@code mapSideCombine}, each map task combines its own values before the shuffle, so
 * only one combiner per key and partition crosses the network.
 */
public record Aggregator(Function<Object, Object> create, BiFunction<Object, Object, Object> mergeValue,
                         BinaryOperator<Object> mergeCombiners, boolean mapSideCombine) {

    /** An aggregator that folds values with {@code f}, combining map-side. */
    public static Aggregator reducing(BinaryOperator<Object> f) {
        return new Aggregator(v -> v, f::apply, f, true);
    }
}
