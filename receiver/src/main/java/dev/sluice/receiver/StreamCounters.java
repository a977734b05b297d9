package dev.sluice.receiver;

/**
 * What one receiver stream (a source and its block generator, for one job and source node)
 * counts. Kept as an interface so the source and generator logic stays free of the
 * metrics library.
 */
public interface StreamCounters {

    /** Counts nothing. */
    StreamCounters NONE = new StreamCounters() {
        @Override
        public void blockCut(long records) {
        }

        @Override
        public void lineRejected() {
        }
    };

    /** A block of {@code records} records was cut from the buffer. */
    void blockCut(long records);

    /** A line was rejected because it was longer than the configured limit. */
    void lineRejected();

    /** Connecting to or reading from the source failed; it is retried with backoff. */
    default void sourceFailed() {
    }

    /**
     * The rate limit held back {@code records} records: they waited {@code nanos} for tokens
     * (a socket line, a custom receiver's record) or were refused (an HTTP post, with 0 nanos).
     */
    default void throttled(long records, long nanos) {
    }

    /** A block reached the most bytes a block may hold and was cut before its interval ended. */
    default void blockFull() {
    }

    /** The rate limit in force is now {@code recordsPerSecond}; 0 for none. */
    default void rateLimit(double recordsPerSecond) {
    }

    /** Writing a block to the write-ahead log failed. */
    default void walWriteFailed() {
    }

    /** Storing a replica of a block on a peer receiver failed (no peer, or none took it). */
    default void replicationFailed() {
    }

    /** A custom receiver reported an error (or failed to start). */
    default void receiverError() {
    }

    /** A custom receiver was restarted. */
    default void receiverRestarted() {
    }
}
