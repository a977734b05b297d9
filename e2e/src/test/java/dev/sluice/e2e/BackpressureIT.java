package dev.sluice.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

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
    private static final Pattern COUNT_LINE = Pattern.compile("\\((.+),(\\d+)\\)");
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
                            // batch and passes 8 s within 10 batches (seen with sluice.backpressure.enabled=false).
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
                assertTrue(delay < 8000, "scheduling delay reached " + delay + " ms: backpressure did not hold; delays "
                        + delays + cluster.logTails());
            }
            if (processed < LINES) {
                fail("processed " + processed + " of " + LINES + " lines in 120 s; delays " + delays + cluster.logTails());
            }
            assertTrue(delays.size() >= 8, "the overload should last several batches: " + delays);
            // The delay stops growing: the second half of the run is no worse than the first half's worst plus a batch.
            List<Long> firstHalf = delays.subList(0, delays.size() / 2);
            List<Long> secondHalf = delays.subList(delays.size() / 2, delays.size());
            long worstEarly = firstHalf.stream().mapToLong(Long::longValue).max().orElse(0);
            long worstLate = secondHalf.stream().mapToLong(Long::longValue).max().orElse(0);
            assertTrue(worstLate <= worstEarly + 1000, "scheduling delay kept growing: " + delays);
            assertEquals(expected(lines), readCounts(out), "every line the source sent is counted once");
        }
    }

    private static Map<String, Long> expected(List<String> lines) {
        Map<String, Long> counts = new HashMap<>();
        lines.forEach(l -> counts.merge(l.split(" ", 2)[0], 1L, Long::sum));
        return counts;
    }

    private static Map<String, Long> readCounts(Path out) throws IOException {
        Map<String, Long> counts = new HashMap<>();
        List<Path> parts;
        try (Stream<Path> files = Files.walk(out)) {
            parts = files.filter(f -> f.getFileName().toString().startsWith("part-")).toList();
        }
        for (Path part : parts) {
            for (String line : Files.readAllLines(part)) {
                Matcher m = COUNT_LINE.matcher(line);
                if (m.matches()) {
                    counts.merge(m.group(1), Long.parseLong(m.group(2)), Long::sum);
                }
            }
        }
        return counts;
    }

    private static long number(Pattern p, String json) {
        Matcher m = p.matcher(json);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }
}
