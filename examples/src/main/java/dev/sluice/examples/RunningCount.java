package dev.sluice.examples;

import dev.sluice.api.DStream;
import dev.sluice.api.JobArgs;
import dev.sluice.api.Pair;
import dev.sluice.api.PairDStream;
import dev.sluice.api.StreamingContext;
import dev.sluice.api.StreamingJob;

import java.time.Duration;
import java.util.Optional;

/**
 * Counts lines by their first word three ways at once: per batch, in a sliding window
 * (an inverse-reduced window over three batch intervals), and as running totals kept in
 * state. It exercises everything recovery must bring back — shuffles, kept window
 * batches, state and its checkpoints — so the chaos tests run it. Arguments as
 * {@link WordCount}'s {@code source}, {@code output=<dir>} (each batch under
 * {@code <dir>/batch-<t>}, {@code <dir>/window-<t>} and {@code <dir>/total-<t>}), and
 * {@code cost=<microseconds of CPU per line>} (default 0).
 */
public final class RunningCount implements StreamingJob {

    /** The three results, as streams. */
    public record Counts(PairDStream<String, Long> batch, PairDStream<String, Long> window, PairDStream<String, Long> total) {
    }

    @Override
    public String name() {
        return "running-count";
    }

    @Override
    public void define(StreamingContext ctx, JobArgs args) {
        Counts counts = counts(WordCount.lines(ctx, args.require("source")), ctx.batchInterval(),
                args.getInt("parallelism", 2), 1000L * args.getInt("cost", 0));
        String output = args.require("output");
        counts.batch().saveAsTextFiles(output + "/batch", null);
        counts.window().saveAsTextFiles(output + "/window", null);
        counts.total().saveAsTextFiles(output + "/total", null);
    }

    /** The job's computation over {@code lines}, for running it on any source. */
    public static Counts counts(DStream<String> lines, Duration batchInterval, int partitions, long costNanos) {
        PairDStream<String, Long> ones = lines
                .map(line -> {
                    PacedCount.spin(costNanos);
                    return line;
                })
                .mapToPair(line -> Pair.of(line.split(" ", 2)[0], 1L));
        PairDStream<String, Long> batch = ones.reduceByKey(Long::sum);
        PairDStream<String, Long> window = ones.reduceByKeyAndWindow(Long::sum, (a, b) -> a - b,
                batchInterval.multipliedBy(3), batchInterval, partitions, kv -> kv.second() != 0);
        PairDStream<String, Long> total = batch.updateStateByKey(
                (values, state) -> Optional.of(state.orElse(0L) + values.stream().mapToLong(Long::longValue).sum()));
        return new Counts(batch, window, total);
    }
}
