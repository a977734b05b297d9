package dev.sluice.engine.graph;

import dev.sluice.api.State;

import java.util.NoSuchElementException;

/** One key's {@link State} during one call of a mapWithState function. */
final class KeyState implements State<Object> {

    private boolean exists;
    private Object value;
    private boolean updated;
    private boolean removed;
    private final boolean timingOut;

    KeyState(boolean exists, Object value, boolean timingOut) {
        this.exists = exists;
        this.value = value;
        this.timingOut = timingOut;
    }

    @Override
    public boolean exists() {
        return exists;
    }

    @Override
    public Object get() {
        if (!exists) {
            throw new NoSuchElementException("the key has no state");
        }
        return value;
    }

    @Override
    public void update(Object state) {
        if (timingOut) {
            throw new IllegalStateException("cannot update the state of a key that is timing out");
        }
        if (removed) {
            throw new IllegalStateException("cannot update the state of a key after removing it");
        }
        value = state;
        exists = true;
        updated = true;
    }

    @Override
    public void remove() {
        if (timingOut) {
            throw new IllegalStateException("cannot remove the state of a key that is timing out: it goes anyway");
        }
        if (removed) {
            throw new IllegalStateException("the state of the key was removed already");
        }
        exists = false;
        value = null;
        removed = true;
    }

    @Override
    public boolean isTimingOut() {
        return timingOut;
    }

    boolean updated() {
        return updated;
    }

    boolean removed() {
        return removed;
    }
}
