package dev.sluice.bench.harness;

/**
 * One batch (or, for Flink, one window) a system finished: what it covered and when it was
 * done. Times are wall-clock milliseconds on this machine, as every system runs here.
 *
 * @param timeMs             the batch time (Sluice, Spark) or window end (Flink)
 * @param lines              the input lines it processed
 * @param schedulingDelayMs  from its time to the start of its processing; -1 where the system has no such notion
 * @param processingMs       from the start to the end of its processing; -1 where unknown
 * @param endMs              when its output was complete
 */
public record OutputUnit(long timeMs, long lines, long schedulingDelayMs, long processingMs, long endMs) {

    /** From its time to the end of its output: Spark's total delay, Flink's lag behind the window's end. */
    public long totalDelayMs() {
        return endMs - timeMs;
    }
}
