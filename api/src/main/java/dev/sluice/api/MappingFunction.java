package dev.sluice.api;

import java.util.Optional;

/** The function of a {@link StateSpec}: maps one key's new value, given its state, to an output. */
@FunctionalInterface
public interface MappingFunction<K, V, S, M> {

    /**
     * @param value the new value, or empty when the key is timing out
     * @return what goes into the mapped stream (a {@code null} goes in as {@code null}, as in Spark)
     */
    M call(K key, Optional<V> value, State<S> state);
}
