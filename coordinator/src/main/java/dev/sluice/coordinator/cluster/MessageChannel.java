package dev.sluice.coordinator.cluster;

/** Sends messages down one peer's stream; safe to call from any thread. */
@FunctionalInterface
public interface MessageChannel<M> {

    /** Sends {@code message}; a broken stream is reported through the stream's own error path. */
    void send(M message);
}
