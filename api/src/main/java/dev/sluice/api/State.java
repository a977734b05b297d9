package dev.sluice.api;

import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * The state of one key in {@link PairDStream#mapWithState}: read it, update it or
 * remove it from within the mapping function. Valid only during the call it is given to.
 */
public interface State<S> {

    /** Whether the key has state. */
    boolean exists();

    /**
     * The key's state.
     *
     * @throws NoSuchElementException when it has none
     */
    S get();

    /** The key's state, or empty. */
    default Optional<S> getOption() {
        return exists() ? Optional.ofNullable(get()) : Optional.empty();
    }

    /**
     * Sets the key's state.
     *
     * @throws IllegalStateException when the key is timing out (its state is about to be removed)
     */
    void update(S state);

    /**
     * Removes the key's state.
     *
     * @throws IllegalStateException when the key is timing out (it is removed anyway)
     */
    void remove();

    /** Whether this call is the one a timed-out key gets, with no new value, before its state goes. */
    boolean isTimingOut();
}
