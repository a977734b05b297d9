package dev.sluice.engine.source;

import dev.sluice.engine.graph.InputSplit;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

/**
 * A test direct source of kind {@code range}: each batch gets the next {@code step} numbers as
 * one offset range of topic {@code numbers}; reading a range yields its offsets.
 */
public final class RangeSourceProvider implements DirectSourceProvider {

    /** How many sources were created in this JVM. */
    public static final AtomicInteger CREATED = new AtomicInteger();

    @Override
    public String kind() {
        return "range";
    }

    @Override
    public DirectSource create(Map<String, String> config) {
        CREATED.incrementAndGet();
        long step = Long.parseLong(config.getOrDefault("step", "3"));
        return new DirectSource() {
            private long next;
            private final List<Long> completed = new ArrayList<>();

            @Override
            public List<InputSplit> splitsFor(long batchTimeMs, long batchIntervalMs) {
                InputSplit r = new InputSplit.OffsetRange("numbers", 0, next, next + step);
                next += step;
                return List.of(r);
            }

            @Override
            public void completed(long batchTimeMs) {
                completed.add(batchTimeMs);
            }

            @Override
            public Iterator<Object> read(InputSplit split) {
                InputSplit.OffsetRange r = (InputSplit.OffsetRange) split;
                return LongStream.range(r.fromOffset(), r.untilOffset()).<Object>mapToObj(Long::valueOf).iterator();
            }

            @Override
            public void close() {
            }
        };
    }
}
