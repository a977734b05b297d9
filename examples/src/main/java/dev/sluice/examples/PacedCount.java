package dev.sluice.examples;

import dev.sluice.api.JobArgs;
import dev.sluice.api.Pair;
import dev.sluice.api.StreamingContext;
import dev.sluice.api.StreamingJob;

/**
 * Counts lines per first word, spending a fixed CPU time on every line: a job whose
 * capacity is known, for watching backpressure hold the scheduling delay under overload.
 * Arguments as {@link WordCount}'s {@code source} and {@code output}, plus
 * {@code cost=<microseconds per line>} (default 100).
 */
public final class PacedCount implements StreamingJob {

    @Override
    public String name() {
        return "paced-count";
    }

    @Override
    public void define(StreamingContext ctx, JobArgs args) {
        long costNanos = 1000L * args.getInt("cost", 100);
        var counts = WordCount.lines(ctx, args.require("source"))
                .map(line -> {
                    spin(costNanos);
                    return line;
                })
                .mapToPair(line -> Pair.of(line.split(" ", 2)[0], 1L))
                .reduceByKey(Long::sum);
        String output = args.get("output");
        if (output != null && !output.isEmpty()) {
            counts.saveAsTextFiles(output, null);
        } else {
            counts.print();
        }
    }

    /** Busy-waits: a stand-in for real per-record work that sleeping would not model (it uses the core). */
    static void spin(long nanos) {
        long until = System.nanoTime() + nanos;
        while (System.nanoTime() < until) {
            Thread.onSpinWait();
        }
    }
}
