package dev.sluice.bench.harness;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The results as text: a line per run while running, a Markdown table with ratios at the end. */
final class ResultTable {

    private ResultTable() {
    }

    static String row(RunResult r) {
        return String.format(Locale.ROOT,
                "%-14s offered %5.2fM/s sent %5.2fM/s processed %5.2fM/s | sched p50/p99 %s | proc p50/p99 %s | "
                        + "latency p50/p99 %s | trend %+.0f ms/min | cpu %.0f ns/word | rss %s MB | %s",
                r.system(), r.offeredWordsPerSec() / 1e6, r.sentWordsPerSec() / 1e6, r.processedWordsPerSec() / 1e6,
                ms(r.schedulingDelayMs()), ms(r.processingMs()), ms(r.latencyMs()), r.totalDelayTrendMsPerMin(),
                r.cpuNsPerWord(), rss(r), r.verdict());
    }

    static String markdown(List<RunResult> results, String setup) {
        StringBuilder sb = new StringBuilder();
        sb.append("Setup: ").append(setup).append(".\n\n");
        sb.append("| system | offered M words/s | processed M words/s | scheduling delay p50 / p99 ms | processing p50 / p99 ms "
                + "| end-to-end latency p50 / p99 ms | delay trend ms/min | CPU ns/word | peak RSS MB | verdict |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (RunResult r : results) {
            sb.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %s | %s | %s | %+.0f | %.0f | %s | %s |%n",
                    r.system(), r.offeredWordsPerSec() / 1e6, r.processedWordsPerSec() / 1e6, ms(r.schedulingDelayMs()),
                    ms(r.processingMs()), ms(r.latencyMs()), r.totalDelayTrendMsPerMin(), r.cpuNsPerWord(), rss(r), r.verdict()));
        }
        Map<String, Double> best = new LinkedHashMap<>();
        for (RunResult r : results) {
            best.merge(r.system(), r.sustainable() ? r.offeredWordsPerSec() : 0.0, Math::max);
        }
        sb.append("\nHighest sustained offered rate: ");
        sb.append(best.entrySet().stream().map(e -> String.format(Locale.ROOT, "%s %.2fM words/s", e.getKey(), e.getValue() / 1e6))
                .collect(Collectors.joining(", ")));
        sb.append(".\n");
        List<String> ratios = new ArrayList<>();
        Double sluice = best.get("sluice");
        for (String peer : List.of("spark", "flink")) {
            if (sluice != null && best.getOrDefault(peer, 0.0) > 0) {
                ratios.add(String.format(Locale.ROOT, "sluice / %s = %.2f×", peer, sluice / best.get(peer)));
            }
        }
        if (!ratios.isEmpty()) {
            sb.append("Ratios of the highest sustained rates: ").append(String.join(", ", ratios)).append(".\n");
        }
        return sb.toString();
    }

    private static String ms(RunResult.Stats s) {
        return Double.isNaN(s.p50()) ? "–" : String.format(Locale.ROOT, "%.0f / %.0f", s.p50(), s.p99());
    }

    private static String rss(RunResult r) {
        return r.peakRssMb().entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
    }
}
