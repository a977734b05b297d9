package dev.sluice.receiver.metrics;

import dev.sluice.receiver.StreamCounters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The meters of one (job, node) stream, tagged with {@code job} and {@code node}:
 * {@code sluice_receiver_records_total}, {@code sluice_receiver_blocks_total},
 * {@code sluice_receiver_rejected_lines_total}, {@code sluice_receiver_rate_limit} (records/s,
 * 0 = none), {@code sluice_receiver_throttled_total} (records held back by the rate limit),
 * {@code sluice_receiver_throttled_seconds_total} (time sources waited for it),
 * {@code sluice_receiver_wal_write_failures_total},
 * {@code sluice_receiver_replication_failures_total}, {@code sluice_receiver_errors_total} and
 * {@code sluice_receiver_restarts_total} (custom receivers).
 */
public final class MeterStreamCounters implements StreamCounters {

    private final Counter records;
    private final Counter blocks;
    private final Counter fullBlocks;
    private final Counter rejectedLines;
    private final Counter sourceFailures;
    private final Counter throttled;
    private final Counter throttledSeconds;
    private final Counter walWriteFailures;
    private final Counter replicationFailures;
    private final Counter errors;
    private final Counter restarts;
    /** The rate limit's double bits: what the gauge reads. */
    private final AtomicLong rateLimitBits = new AtomicLong(Double.doubleToLongBits(0));

    /** Registers (or finds) the meters of {@code job}'s node {@code node} in {@code registry}. */
    public MeterStreamCounters(MeterRegistry registry, String job, int node) {
        Tags tags = Tags.of("job", job, "node", Integer.toString(node));
        records = Counter.builder("sluice.receiver.records")
                .description("Records received and cut into blocks")
                .tags(tags)
                .register(registry);
        blocks = Counter.builder("sluice.receiver.blocks")
                .description("Blocks cut")
                .tags(tags)
                .register(registry);
        fullBlocks = Counter.builder("sluice.receiver.blocks.full")
                .description("Blocks cut before their interval ended: they held sluice.receiver.max-block-bytes")
                .tags(tags)
                .register(registry);
        rejectedLines = Counter.builder("sluice.receiver.rejected.lines")
                .description("Lines rejected: longer than sluice.receiver.max-line-length, or not valid UTF-8")
                .tags(tags)
                .register(registry);
        sourceFailures = Counter.builder("sluice.receiver.source.failures")
                .description("Failed attempts to connect to or read from the source, each retried with backoff")
                .tags(tags)
                .register(registry);
        throttled = Counter.builder("sluice.receiver.throttled")
                .description("Records the rate limit held back: waited for a token, or refused (HTTP 503)")
                .tags(tags)
                .register(registry);
        throttledSeconds = Counter.builder("sluice.receiver.throttled.seconds")
                .description("Time sources spent waiting for the rate limit")
                .tags(tags)
                .register(registry);
        walWriteFailures = Counter.builder("sluice.receiver.wal.write.failures")
                .description("Failed attempts to write a block to the write-ahead log")
                .tags(tags)
                .register(registry);
        replicationFailures = Counter.builder("sluice.receiver.replication.failures")
                .description("Failed attempts to store a replica of a block on a peer receiver")
                .tags(tags)
                .register(registry);
        errors = Counter.builder("sluice.receiver.errors")
                .description("Errors custom receivers reported, failed starts included")
                .tags(tags)
                .register(registry);
        restarts = Counter.builder("sluice.receiver.restarts")
                .description("Restarts of custom receivers")
                .tags(tags)
                .register(registry);
        Gauge.builder("sluice.receiver.rate.limit", rateLimitBits, b -> Double.longBitsToDouble(b.get()))
                .description("The rate limit in force, records per second; 0 when there is none")
                .tags(tags)
                .strongReference(true)
                .register(registry);
    }

    @Override
    public void blockCut(long records) {
        this.records.increment(records);
        blocks.increment();
    }

    @Override
    public void blockFull() {
        fullBlocks.increment();
    }

    @Override
    public void lineRejected() {
        rejectedLines.increment();
    }

    @Override
    public void sourceFailed() {
        sourceFailures.increment();
    }

    @Override
    public void throttled(long records, long nanos) {
        throttled.increment(records);
        if (nanos > 0) {
            throttledSeconds.increment(nanos / 1e9);
        }
    }

    @Override
    public void rateLimit(double recordsPerSecond) {
        rateLimitBits.set(Double.doubleToLongBits(recordsPerSecond));
    }

    @Override
    public void walWriteFailed() {
        walWriteFailures.increment();
    }

    @Override
    public void replicationFailed() {
        replicationFailures.increment();
    }

    @Override
    public void receiverError() {
        errors.increment();
    }

    @Override
    public void receiverRestarted() {
        restarts.increment();
    }
}
