package dev.sluice.receiver.metrics;

import dev.sluice.receiver.StreamCounters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

/**
 * The counters of one (job, node) stream as Micrometer counters, exported as
 * {@code sluice_receiver_records_total}, {@code sluice_receiver_blocks_total} and
 * {@code sluice_receiver_rejected_lines_total}, tagged with {@code job} and {@code node}.
 */
public final class MeterStreamCounters implements StreamCounters {

    private final Counter records;
    private final Counter blocks;
    private final Counter rejectedLines;

    /** Registers (or finds) the counters of {@code job}'s node {@code node} in {@code registry}. */
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
        rejectedLines = Counter.builder("sluice.receiver.rejected.lines")
                .description("Lines rejected for being longer than sluice.receiver.max-line-length")
                .tags(tags)
                .register(registry);
    }

    @Override
    public void blockCut(long records) {
        this.records.increment(records);
        blocks.increment();
    }

    @Override
    public void lineRejected() {
        rejectedLines.increment();
    }
}
