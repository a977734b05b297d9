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
}
