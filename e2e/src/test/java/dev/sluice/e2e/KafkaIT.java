package dev.sluice.e2e;

import dev.sluice.connectors.testing.KafkaBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The Kafka direct stream through the real cluster: records produced into a
 * three-partition topic of a real broker are read by the workers in the offset ranges
 * the coordinator assigns, and each is counted exactly once.
 */
class KafkaIT {

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
            cluster.awaitRecords("wordcount", 1200, Duration.ofSeconds(90));
            Thread.sleep(2000);
            assertEquals(expected, CountFiles.sum(out));
        }
    }
}
