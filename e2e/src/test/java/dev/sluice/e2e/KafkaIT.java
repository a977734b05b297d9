package dev.sluice.e2e;

import dev.sluice.connectors.testing.KafkaBroker;
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
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The Kafka direct stream through the real cluster: records produced into a
 * three-partition topic of a real broker are read by the workers in the offset ranges
 * the coordinator assigns, and each is counted exactly once.
 */
class KafkaIT {

    private static final Pattern COUNT_LINE = Pattern.compile("\\((.+),(\\d+)\\)");
    private static final Pattern RECORDS = Pattern.compile("\"recordsProcessed\":(\\d+)");

    @TempDir
    Path tmp;

    @Test
    void everyRecordOfTheTopicIsCountedOnce() throws Exception {
        try (KafkaBroker broker = KafkaBroker.start();
             LocalCluster cluster = new LocalCluster("kafka")) {
            broker.createTopic("lines", 3);
            Map<String, Long> expected = new HashMap<>();
            for (int p = 0; p < 3; p++) {
                List<String[]> records = new ArrayList<>();
                for (int i = 0; i < 400; i++) {
                    String word = "w" + ((i * 7 + p) % 23);
                    records.add(new String[] {null, word + " " + word});
                    expected.merge(word, 2L, Long::sum);
                }
                broker.produce("lines", p, records);
            }
            Path out = tmp.resolve("out");
            cluster.coordinator("wordcount", Map.of("source", "kafka:" + broker.bootstrapServers() + "/lines",
                            "output", out.resolve("wc").toString()))
                    .worker(0, 2)
                    .worker(1, 2);
            long deadline = System.currentTimeMillis() + 90_000;
            long processed = -1;
            while (System.currentTimeMillis() < deadline && processed < 1200) {
                Thread.sleep(500);
                String status = cluster.get("/api/jobs/wordcount");
                Matcher m = status == null ? null : RECORDS.matcher(status);
                processed = m != null && m.find() ? Long.parseLong(m.group(1)) : -1;
            }
            if (processed != 1200) {
                fail("processed " + processed + " of 1200 records" + cluster.logTails());
            }
            Thread.sleep(2000);
            assertEquals(expected, readCounts(out));
        }
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
}
