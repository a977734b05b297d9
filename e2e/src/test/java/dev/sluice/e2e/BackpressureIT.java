package dev.sluice.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Overload: a socket source offers lines several times faster than one worker slot can
 * process them. Backpressure must hold the receiver to what the job processes, so the
 * scheduling delay stops growing, and every line the source sent is still counted.
 */
class BackpressureIT {

    private static final int LINES = 12000;
    private static final Pattern RECORDS = Pattern.compile("\"recordsProcessed\":(\\d+)");
    private static final Pattern DELAY = Pattern.compile("\"schedulingDelayMs\":(\\d+)");

    @TempDir
    Path tmp;

    @Test
    void schedulingDelayStaysBoundedAndNoLineIsLost() throws Exception {
        List<String> lines = new ArrayList<>(LINES);
        for (int i = 0; i < LINES; i++) {
            lines.add("k" + (i % 7) + " payload " + i);
        }
        Path out = tmp.resolve("out");
        // 2 ms of CPU per line on one slot: about 500 lines/s, offered at 3000 lines/s.
        try (CorpusServer source = new CorpusServer(lines, 3000);
             LocalCluster cluster = new LocalCluster("backpressure")) {
            cluster.coordinator("paced-count", Map.of("source", "socket://localhost:" + source.port(),
                            "output", out.resolve("counts").toString(), "cost", "2000", "batch", "1s"),
                            // Twice what the job can take: without backpressure the delay grows a second a
                            // batch to 12 s (seen with sluice.backpressure.enabled=false); with it, it peaks
                            // while the estimator learns (about 7 s) and then falls.
                            List.of("-Dsluice.backpressure.initial-rate=1000"))
                    .receiver(0)
                    .worker(0, 1);
            List<Long> delays = new ArrayList<>();
            long deadline = System.currentTimeMillis() + 120_000;
            long processed = 0;
            while (processed < LINES && System.currentTimeMillis() < deadline) {
                Thread.sleep(1000);
                String status = cluster.get("/api/jobs/paced-count");
                if (status == null) {
                    continue;
                }
                processed = number(RECORDS, status);
                long delay = number(DELAY, status);
                if (delay >= 0) {
                    delays.add(delay);
                }
                assertTrue(delay < 10_000, "scheduling delay reached " + delay + " ms: backpressure did not hold; delays "
                        + delays + cluster.logTails());
            }
            if (processed < LINES) {
                fail("processed " + processed + " of " + LINES + " lines in 120 s; delays " + delays + cluster.logTails());
            }
            assertTrue(delays.size() >= 8, "the overload should last several batches: " + delays);
            // The delay stops growing and comes back down while the source still offers more than the job takes.
            List<Long> last = delays.subList(delays.size() - 5, delays.size());
            assertTrue(last.stream().allMatch(d -> d < 3000), "scheduling delay did not come back down: " + delays);
            assertEquals(expected(lines), CountFiles.sum(out), "every line the source sent is counted once");
        }
    }

    private static Map<String, Long> expected(List<String> lines) {
        Map<String, Long> counts = new HashMap<>();
        lines.forEach(l -> counts.merge(l.split(" ", 2)[0], 1L, Long::sum));
        return counts;
    }

    private static long number(Pattern p, String json) {
        Matcher m = p.matcher(json);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }
}
