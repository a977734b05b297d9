package dev.sluice.bench.harness;

import dev.sluice.bench.load.Corpus;
import dev.sluice.bench.load.SendLog;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What one contender did at one offered rate, over the measured window (after the ramp).
 *
 * <p>End-to-end latency is measured without touching the records: lines leave the generator
 * in order and every system processes them in order (one socket, batches or windows in
 * time order), so the {@code n}-th line processed is the {@code n}-th line sent. A line's
 * latency is the end of the unit that processed it minus the moment it left the generator.
 */
record RunResult(String system, long batchMs, double offeredWordsPerSec, double sentWordsPerSec,
                 double processedWordsPerSec, Stats schedulingDelayMs, Stats processingMs, Stats totalDelayMs,
                 double totalDelayTrendMsPerMin, Stats latencyMs, double cpuNsPerWord, Map<String, Long> peakRssMb,
                 int units, boolean sustainable, String verdict) {

    /** Median and 99th percentile; NaN when there was nothing to measure. */
    record Stats(double p50, double p99) {
        static final Stats NONE = new Stats(Double.NaN, Double.NaN);

        static Stats of(double[] values) {
            if (values.length == 0) {
                return NONE;
            }
            double[] v = values.clone();
            Arrays.sort(v);
            return new Stats(v[(int) Math.floor(0.50 * (v.length - 1))], v[(int) Math.ceil(0.99 * (v.length - 1))]);
        }
    }

    /**
     * Works out the result from everything collected in a run.
     *
     * @param units        every unit the contender finished, oldest first, including the ramp's
     * @param fromMs       the measured window's start (the ramp's end), wall clock
     * @param toMs         its end
     * @param cpuMs        CPU used by the contender's processes within the window
     */
    static RunResult of(String system, long batchMs, double offeredWordsPerSec, List<OutputUnit> units, SendLog log,
                        long fromMs, long toMs, long cpuMs, Map<String, Long> peakRssMb) {
        double seconds = (toMs - fromMs) / 1000.0;
        double sent = (log.sentBy(toMs) - log.sentBy(fromMs)) * (double) Corpus.WORDS_PER_LINE / seconds;
        List<OutputUnit> window = new ArrayList<>();
        List<Double> latencies = new ArrayList<>();
        long linesBefore = 0;
        for (OutputUnit u : units) {
            if (u.timeMs() > fromMs && u.timeMs() <= toMs) {
                window.add(u);
                sampleLatencies(u, linesBefore, log, latencies);
            }
            linesBefore += u.lines();
        }
        long lines = window.stream().mapToLong(OutputUnit::lines).sum();
        double processed = lines * (double) Corpus.WORDS_PER_LINE / seconds;
        Stats scheduling = Stats.of(window.stream().filter(u -> u.schedulingDelayMs() >= 0).mapToDouble(OutputUnit::schedulingDelayMs).toArray());
        Stats processing = Stats.of(window.stream().filter(u -> u.processingMs() >= 0).mapToDouble(OutputUnit::processingMs).toArray());
        Stats total = Stats.of(window.stream().mapToDouble(OutputUnit::totalDelayMs).toArray());
        double trend = slopePerMinute(window);
        double cpuPerWord = lines == 0 ? Double.NaN : cpuMs * 1e6 / (lines * (double) Corpus.WORDS_PER_LINE);
        long expectedUnits = (toMs - fromMs) / batchMs;
        String verdict = verdict(offeredWordsPerSec, sent, processed, window.size(), expectedUnits, trend, batchMs);
        return new RunResult(system, batchMs, offeredWordsPerSec, sent, processed, scheduling, processing, total, trend,
                Stats.of(latencies.stream().mapToDouble(Double::doubleValue).toArray()), cpuPerWord, peakRssMb,
                window.size(), verdict.isEmpty(), verdict.isEmpty() ? "sustained" : verdict);
    }

    /**
     * Empty when the rate was sustained: the generator could send it (nobody pushed back), what
     * was sent was processed, every unit of the window finished, and the delay did not grow by
     * a batch interval over the window. Otherwise what failed.
     */
    private static String verdict(double offered, double sent, double processed, int units, long expectedUnits,
                                  double trendPerMin, long batchMs) {
        List<String> failed = new ArrayList<>();
        if (sent < 0.97 * offered) {
            failed.add(String.format("sent only %.0f%% of the offered rate (pushed back)", 100 * sent / offered));
        }
        if (processed < 0.97 * sent) {
            failed.add(String.format("processed only %.0f%% of what was sent", 100 * processed / Math.max(1, sent)));
        }
        if (units < expectedUnits - 1) {
            failed.add(units + " of " + expectedUnits + " batches finished");
        }
        if (trendPerMin > batchMs) {
            failed.add(String.format("delay grew %.0f ms a minute", trendPerMin));
        }
        return String.join("; ", failed);
    }

    /** Latencies of every 50th line of {@code u}, whose first line is line number {@code first} of the stream. */
    private static void sampleLatencies(OutputUnit u, long first, SendLog log, List<Double> out) {
        for (long n = first; n < first + u.lines(); n += 50) {
            long sentAt = log.sentAt(n);
            if (sentAt >= 0) {
                out.add((double) (u.endMs() - sentAt));
            }
        }
    }

    /** The least-squares slope of the total delay over the units' times, in ms per minute. */
    private static double slopePerMinute(List<OutputUnit> units) {
        int n = units.size();
        if (n < 3) {
            return 0;
        }
        double mx = 0;
        double my = 0;
        for (OutputUnit u : units) {
            mx += u.timeMs();
            my += u.totalDelayMs();
        }
        mx /= n;
        my /= n;
        double sxy = 0;
        double sxx = 0;
        for (OutputUnit u : units) {
            sxy += (u.timeMs() - mx) * (u.totalDelayMs() - my);
            sxx += (u.timeMs() - mx) * (u.timeMs() - mx);
        }
        return sxx == 0 ? 0 : sxy / sxx * 60_000;
    }
}
