package dev.sluice.api;

/** The stream of what a {@link PairDStream#mapWithState} function returned, with the state itself. */
public interface MapWithStateDStream<K, V, S, M> extends DStream<M> {

    /** After every batch, every key with state and its state. */
    PairDStream<K, S> stateSnapshots();
}
