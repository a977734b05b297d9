package dev.sluice.receiver;

import dev.sluice.receiver.block.BlockGenerator;
import dev.sluice.receiver.rate.SourceRateLimit;

/**
 * One stream this receiver runs, for one (job, source node): its source (a socket reader, an
 * HTTP ingest path, a custom receiver), the block generator the source feeds, and the
 * source's rate limit.
 */
public final class ReceiverStream {

    /** The kinds of source a stream has. */
    public enum Kind { SOCKET, HTTP, CUSTOM }

    private final String job;
    private final int node;
    private final Kind kind;
    private final String description;
    private final BlockGenerator generator;
    private final SourceRateLimit rateLimit;
    private final StreamCounters counters;
    private final String httpPath;
    private volatile Runnable stopSource = () -> { };

    ReceiverStream(String job, int node, Kind kind, String description, BlockGenerator generator,
            SourceRateLimit rateLimit, StreamCounters counters, String httpPath) {
        this.job = job;
        this.node = node;
        this.kind = kind;
        this.description = description;
        this.generator = generator;
        this.rateLimit = rateLimit;
        this.counters = counters;
        this.httpPath = httpPath;
    }

    public String job() {
        return job;
    }

    public int node() {
        return node;
    }

    public Kind kind() {
        return kind;
    }

    /** What the source is, for logs: {@code socket localhost:9999}, {@code http /api/ingest/events}. */
    public String description() {
        return description;
    }

    public BlockGenerator generator() {
        return generator;
    }

    public SourceRateLimit rateLimit() {
        return rateLimit;
    }

    public StreamCounters counters() {
        return counters;
    }

    /** The ingest path of an HTTP stream; {@code null} for other kinds. */
    public String httpPath() {
        return httpPath;
    }

    void onStop(Runnable stopSource) {
        this.stopSource = stopSource;
    }

    /** Stops the source, then the generator (which cuts and logs what is buffered one last time). */
    void stop() {
        try {
            stopSource.run();
        } finally {
            generator.stop();
        }
    }

    @Override
    public String toString() {
        return "job " + job + " node " + node + " (" + description + ")";
    }
}
