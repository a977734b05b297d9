package dev.sluice.bench.load;

/**
 * How many lines a generator should have sent by a given moment: a linear ramp from zero
 * up to {@code linesPerSecond} over {@code rampMs}, then that rate; or, with a rate of 0,
 * as many as the connection takes.
 */
public record RateSchedule(double linesPerSecond, long rampMs) {

    public RateSchedule {
        if (linesPerSecond < 0 || rampMs < 0) {
            throw new IllegalArgumentException("rate and ramp must not be negative, got " + linesPerSecond + " lines/s over " + rampMs + " ms");
        }
    }

    /** A schedule at {@code wordsPerSecond}, in lines of {@link Corpus#WORDS_PER_LINE} words. */
    public static RateSchedule ofWords(double wordsPerSecond, long rampMs) {
        return new RateSchedule(wordsPerSecond / Corpus.WORDS_PER_LINE, rampMs);
    }

    /** True when there is no target: send as fast as the receiver reads. */
    public boolean unlimited() {
        return linesPerSecond == 0;
    }

    /** The lines due by {@code elapsedMs} after the start (the area under the ramp, then the plateau). */
    public long linesDueBy(long elapsedMs) {
        if (unlimited()) {
            return Long.MAX_VALUE;
        }
        double perMs = linesPerSecond / 1000.0;
        if (elapsedMs <= rampMs) {
            return (long) (perMs * elapsedMs * elapsedMs / (2.0 * rampMs));
        }
        return (long) (perMs * rampMs / 2.0 + perMs * (elapsedMs - rampMs));
    }
}
