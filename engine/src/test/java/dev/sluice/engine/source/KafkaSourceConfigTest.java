package dev.sluice.engine.source;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KafkaSourceConfigTest {

    private static String error(String servers, List<String> topics, Map<String, String> options) {
        return assertThrows(IllegalArgumentException.class, () -> KafkaSourceConfig.of(servers, topics, options)).getMessage();
    }

    private static void assertMentions(String message, String... parts) {
        for (String p : parts) {
            assertTrue(message.contains(p), "'" + message + "' should mention '" + p + "'");
        }
    }

    @Test
    void defaults() {
        KafkaSourceConfig c = KafkaSourceConfig.of("k1:9092, k2:9093", List.of("orders", "payments"), Map.of());
        assertEquals("k1:9092,k2:9093", c.bootstrapServers());
        assertEquals("sluice-orders,payments", c.groupId());
        assertEquals("latest", c.startingOffsets());
        assertEquals(Long.MAX_VALUE, c.maxRecordsPerPartition(1000));
        assertEquals(KafkaSourceConfig.DEFAULT_TIMEOUT_MS, c.timeoutMs());
        assertEquals("kafkaStream([orders, payments])", c.label());
    }

    @Test
    void theMapRoundTripsAndIsSorted() {
        KafkaSourceConfig c = KafkaSourceConfig.of("localhost:9092", List.of("b", "a"), Map.of("group.id", "g",
                "startingOffsets", "EARLIEST", "maxRatePerPartition", "250.0", "timeoutMs", "5000",
                "kafka.isolation.level", "read_committed"));
        Map<String, String> m = c.toMap();
        assertEquals(List.of("bootstrap.servers", "group.id", "kafka.isolation.level", "maxRatePerPartition",
                "startingOffsets", "timeoutMs", "topics"), List.copyOf(m.keySet()));
        assertEquals("b,a", m.get("topics"));
        assertEquals("250", m.get("maxRatePerPartition"));
        assertEquals("earliest", m.get("startingOffsets"));
        assertEquals(c, KafkaSourceConfig.fromMap(m));
        assertTrue(c.startsFromEarliest());
        assertEquals(Map.of("isolation.level", "read_committed"), c.clientSettings());
    }

    @Test
    void theRateCapsABatchAtRateTimesInterval() {
        KafkaSourceConfig c = KafkaSourceConfig.of("h:1", List.of("t"), Map.of("maxRatePerPartition", "100"));
        assertEquals(50, c.maxRecordsPerPartition(500));
        assertEquals(1000, c.maxRecordsPerPartition(10_000));
        KafkaSourceConfig slow = KafkaSourceConfig.of("h:1", List.of("t"), Map.of("maxRatePerPartition", "0.5"));
        assertEquals(1, slow.maxRecordsPerPartition(1000), "at least one record per batch");
        assertEquals(5, slow.maxRecordsPerPartition(10_000));
    }

    @Test
    void badServersAndTopicsAreNamed() {
        assertMentions(error("", List.of("t"), Map.of()), "kafkaStream", "bootstrap servers are empty");
        assertMentions(error(null, List.of("t"), Map.of()), "kafkaStream", "bootstrap servers");
        assertMentions(error("localhost", List.of("t"), Map.of()), "kafkaStream", "'localhost'", "host:port");
        assertMentions(error("h:1,h:notaport", List.of("t"), Map.of()), "kafkaStream", "'h:notaport'");
        assertMentions(error("h:1", List.of(), Map.of()), "kafkaStream", "no topics");
        assertMentions(error("h:1", null, Map.of()), "kafkaStream", "no topics");
        assertMentions(error("h:1", List.of("ok", "not ok"), Map.of()), "kafkaStream", "'not ok'", "topic name");
        assertMentions(error("h:1", Arrays.asList("ok", null), Map.of()), "kafkaStream", "topic name");
        assertMentions(error("h:1", List.of("a", "a"), Map.of()), "kafkaStream", "'a' is listed twice");
    }

    @Test
    void badOptionsAreNamed() {
        List<String> t = List.of("orders");
        assertMentions(error("h:1", t, Map.of("startingOffsets", "smallest")),
                "kafkaStream([orders])", "startingOffsets", "'smallest'", "earliest", "latest");
        assertMentions(error("h:1", t, Map.of("maxRatePerPartition", "fast")),
                "kafkaStream([orders])", "maxRatePerPartition", "'fast'");
        assertMentions(error("h:1", t, Map.of("maxRatePerPartition", "-3")), "maxRatePerPartition", "positive");
        assertMentions(error("h:1", t, Map.of("maxRatePerPartition", "NaN")), "maxRatePerPartition");
        assertMentions(error("h:1", t, Map.of("timeoutMs", "soon")), "kafkaStream([orders])", "timeoutMs", "'soon'");
        assertMentions(error("h:1", t, Map.of("group.id", " ")), "kafkaStream([orders])", "group.id", "empty");
        assertMentions(error("h:1", t, Map.of("maxRatePerPartiton", "5")), "kafkaStream([orders])",
                "unknown option 'maxRatePerPartiton'", "maxRatePerPartition");
        assertMentions(error("h:1", t, Map.of("kafka.group.id", "g")), "'kafka.group.id'", "use the option group.id");
        assertMentions(error("h:1", t, Map.of("kafka.auto.offset.reset", "earliest")), "startingOffsets");
        assertMentions(error("h:1", t, Map.of("kafka.", "x")), "'kafka.'", "names no Kafka setting");
    }
}
