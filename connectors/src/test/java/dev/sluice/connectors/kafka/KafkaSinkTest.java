package dev.sluice.connectors.kafka;

import dev.sluice.api.Batch;
import dev.sluice.api.Pair;
import dev.sluice.connectors.testing.KafkaBroker;
import dev.sluice.engine.batch.LocalBatch;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Kafka sink against a real broker. What it guarantees: each batch is one transaction, so a
 * read_committed reader sees whole batches or nothing of them; a batch at or before the last
 * one written is skipped, so writing a batch again (same batch time) adds nothing; a batch
 * that fails midway (a bad element, the sink closed) is invisible and can be written again.
 */
class KafkaSinkTest {

    private static KafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = KafkaBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    /** A batch in two partitions, as foreachBatch gets it. */
    @SafeVarargs
    private static <T> Batch<T> batch(T... elements) {
        List<T> all = Arrays.asList(elements);
        int half = all.size() / 2;
        return new LocalBatch<>(List.of(all.subList(0, half), all.subList(half, all.size())), 2);
    }

    /** What a reader of {@code topic} sees: "key=value@batchTime" per record, in offset order per partition. */
    private static List<String> read(String topic, boolean committedOnly) {
        Map<String, Object> settings = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, committedOnly ? "read_committed" : "read_uncommitted");
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(settings, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = c.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).sorted((a, b) -> a.partition() - b.partition()).toList();
            c.assign(partitions);
            c.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = c.endOffsets(partitions);
            List<String> out = new ArrayList<>();
            long deadline = System.currentTimeMillis() + 10_000;
            while (partitions.stream().anyMatch(tp -> c.position(tp) < ends.get(tp))) {
                assertTrue(System.currentTimeMillis() < deadline, "reading " + topic + " took too long");
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
                    if (r.offset() < ends.get(new TopicPartition(r.topic(), r.partition()))) {
                        Header h = r.headers().lastHeader(KafkaSink.BATCH_TIME_HEADER);
                        out.add(r.key() + "=" + r.value() + "@" + (h == null ? "-" : new String(h.value(), StandardCharsets.UTF_8)));
                    }
                }
            }
            return out;
        }
    }

    /** Reads with read_committed until {@code expected} records are visible (markers are written just after a commit). */
    private static List<String> awaitCommitted(String topic, int expected) {
        long deadline = System.currentTimeMillis() + 10_000;
        List<String> seen = read(topic, true);
        while (seen.size() < expected && System.currentTimeMillis() < deadline) {
            sleep(100);
            seen = read(topic, true);
        }
        return seen;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Test
    void eachBatchIsOneTransactionAndItsRecordsCarryTheBatchTime() {
        broker.createTopic("counts", 1);
        try (KafkaSink<Pair<String, Long>> sink = KafkaSink.pairs(broker.bootstrapServers(), "counts")) {
            assertEquals(OptionalLong.empty(), sink.lastWritten());
            sink.accept(batch(Pair.of("a", 1L), Pair.of("b", 2L), Pair.of("c", null)), 1000);
            sink.accept(batch(), 2000); // an empty batch writes nothing
            sink.accept(batch(Pair.of("a", 5L), Pair.of(null, 7L)), 3000);
            assertEquals(OptionalLong.of(3000), sink.lastWritten());
            assertEquals("sluice-sink-counts", sink.transactionalId());
        }
        assertEquals(List.of("a=1@1000", "b=2@1000", "c=null@1000", "a=5@3000", "null=7@3000"), awaitCommitted("counts", 5));
    }

    @Test
    void aBatchWrittenAgainIsNotWrittenTwiceEvenByANewSinkInstance() {
        broker.createTopic("replayed", 2);
        try (KafkaSink<String> sink = KafkaSink.values(broker.bootstrapServers(), "replayed")) {
            sink.accept(batch("x", "y"), 1000);
            sink.accept(batch("x", "y"), 1000);
            sink.accept(batch("z"), 2000);
        }
        // A restarted coordinator replays its last batches: same name, same batch times.
        try (KafkaSink<String> restarted = KafkaSink.values(broker.bootstrapServers(), "replayed")) {
            restarted.accept(batch("x", "y"), 1000);
            restarted.accept(batch("z"), 2000);
            restarted.accept(batch("w"), 3000);
        }
        List<String> seen = awaitCommitted("replayed", 4);
        assertEquals(List.of("null=w@3000", "null=x@1000", "null=y@1000", "null=z@2000"), seen.stream().sorted().toList());
        // Another name is another sink, with its own progress.
        try (KafkaSink<String> other = KafkaSink.values(broker.bootstrapServers(), "replayed").named("audit")) {
            other.accept(batch("x"), 1000);
            assertEquals("sluice-sink-audit", other.progressGroup());
        }
        assertEquals(5, awaitCommitted("replayed", 5).size());
    }

    @Test
    void aBatchThatFailsMidwayIsInvisibleAndCanBeWrittenAgain() {
        broker.createTopic("checked", 1);
        try (KafkaSink<String> sink = KafkaSink.of(broker.bootstrapServers(), "checked", s -> null, s -> {
            if (s.equals("boom")) {
                throw new IllegalArgumentException("cannot encode " + s);
            }
            return s.toUpperCase();
        })) {
            sink.accept(batch("a"), 1000);
            KafkaSinkException e = assertThrows(KafkaSinkException.class, () -> sink.accept(batch("b", "c", "boom", "d"), 2000));
            assertTrue(e.getMessage().contains("'checked'") && e.getMessage().contains("topic checked")
                    && e.getMessage().contains("batch 2000") && e.getMessage().contains("cannot encode boom"), e.getMessage());
            assertEquals(2000, e.batchTimeMs());
            assertEquals(OptionalLong.of(1000), sink.lastWritten(), "the failed batch is not recorded as written");
            sink.accept(batch("b", "c", "d"), 2000); // the batch run again, its data fixed
        }
        assertEquals(List.of("null=A@1000", "null=B@2000", "null=C@2000", "null=D@2000"), awaitCommitted("checked", 4));
    }

    @Test
    void aSinkClosedInTheMiddleOfABatchLeavesNothingVisible() {
        broker.createTopic("interrupted", 1);
        List<KafkaSink<String>> self = new ArrayList<>();
        KafkaSink<String> sink = KafkaSink.of(broker.bootstrapServers(), "interrupted", s -> null, s -> {
            if (s.equals("stop")) {
                self.get(0).close(); // the process goes away halfway through the batch
            }
            return s;
        });
        self.add(sink);
        sink.accept(batch("first"), 1000);
        KafkaSinkException e = assertThrows(KafkaSinkException.class, () -> sink.accept(batch("p", "q", "stop", "r"), 2000));
        assertTrue(e.getMessage().contains("batch 2000"), e.getMessage());

        try (KafkaSink<String> next = KafkaSink.values(broker.bootstrapServers(), "interrupted")) {
            next.accept(batch("p", "q", "stop", "r"), 2000);
        }
        assertEquals(List.of("null=first@1000", "null=p@2000", "null=q@2000", "null=stop@2000", "null=r@2000"),
                awaitCommitted("interrupted", 5));
        List<String> everything = read("interrupted", false);
        assertTrue(everything.size() >= 5, "a read_uncommitted reader may also see the aborted records: " + everything);
    }

    @Test
    void badSettingsAreNamedWithTheSinkAndTopic() throws IOException {
        IllegalArgumentException malformed = assertThrows(IllegalArgumentException.class,
                () -> KafkaSink.values(broker.bootstrapServers(), "events").withSettings(Map.of("acks", "maybe")));
        assertTrue(malformed.getMessage().contains("Kafka sink 'events'") && malformed.getMessage().contains("topic events")
                && malformed.getMessage().contains("acks"), malformed.getMessage());
        IllegalArgumentException reserved = assertThrows(IllegalArgumentException.class,
                () -> KafkaSink.values(broker.bootstrapServers(), "events").withSettings(Map.of("transactional.id", "x")));
        assertTrue(reserved.getMessage().contains("transactional.id"), reserved.getMessage());
        assertThrows(IllegalArgumentException.class, () -> KafkaSink.values("", "events"));
        assertThrows(IllegalArgumentException.class, () -> KafkaSink.values(broker.bootstrapServers(), " "));

        String nowhere = "127.0.0.1:" + closedPort();
        try (KafkaSink<String> unreachable = KafkaSink.values(nowhere, "events").withSettings(Map.of("max.block.ms", "1500"))) {
            KafkaSinkException e = assertThrows(KafkaSinkException.class, () -> unreachable.accept(batch("a"), 1000));
            assertTrue(e.getMessage().contains("'events'") && e.getMessage().contains(nowhere)
                    && e.getMessage().contains("1500 ms"), e.getMessage());
        }
        try (KafkaSink<String> noTopic = KafkaSink.values(broker.bootstrapServers(), "no-such-topic")
                .withSettings(Map.of("max.block.ms", "1500"))) {
            KafkaSinkException e = assertThrows(KafkaSinkException.class, () -> noTopic.accept(batch("a"), 1000));
            assertTrue(e.getMessage().contains("topic no-such-topic"), e.getMessage());
        }
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }
}
