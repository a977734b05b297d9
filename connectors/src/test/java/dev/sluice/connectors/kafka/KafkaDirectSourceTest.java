package dev.sluice.connectors.kafka;

import dev.sluice.api.KafkaRecord;
import dev.sluice.connectors.testing.KafkaBroker;
import dev.sluice.engine.graph.GraphBuilder;
import dev.sluice.engine.graph.InputSplit;
import dev.sluice.engine.graph.InputSplit.OffsetRange;
import dev.sluice.engine.source.DirectSource;
import dev.sluice.engine.source.DirectSources;
import dev.sluice.engine.source.KafkaSourceConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Kafka direct source against a real broker: cutting, reading, rate limits, commits, errors. */
class KafkaDirectSourceTest {

    private static final long INTERVAL = 1000;

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

    private static KafkaDirectSource source(String topic, Map<String, String> options) {
        return new KafkaDirectSource(KafkaSourceConfig.of(broker.bootstrapServers(), List.of(topic), options));
    }

    /** Records {@code prefix-0 .. prefix-(n-1)} (values), keyed {@code k<i>} except every third without a key. */
    private static void produce(String topic, int partition, String prefix, int from, int n) {
        List<String[]> records = new ArrayList<>();
        for (int i = from; i < from + n; i++) {
            records.add(new String[] {i % 3 == 2 ? null : "k" + i, prefix + "-" + i});
        }
        broker.produce(topic, partition, records);
    }

    private static List<KafkaRecord> read(DirectSource source, List<InputSplit> splits) {
        List<KafkaRecord> out = new ArrayList<>();
        for (InputSplit s : splits) {
            source.read(s).forEachRemaining(r -> out.add((KafkaRecord) r));
        }
        return out;
    }

    private static List<String> ranges(List<InputSplit> splits) {
        return splits.stream().map(InputSplit::toString).toList();
    }

    @Test
    void everyRecordIsReadExactlyOnceInOffsetOrderPerPartition() {
        broker.createTopic("orders", 3);
        produce("orders", 0, "p0", 0, 10);
        produce("orders", 1, "p1", 0, 7);
        // Made through the ServiceLoader, as the coordinator does.
        KafkaSourceConfig config = KafkaSourceConfig.of(broker.bootstrapServers(), List.of("orders"),
                Map.of("startingOffsets", "earliest", "group.id", "exactly-once"));
        List<KafkaRecord> all = new ArrayList<>();
        Map<TopicPartition, Long> lastUntil = new HashMap<>();
        try (DirectSource source = DirectSources.create("kafka", config.toMap(), config.label())) {
            assertInstanceOf(KafkaDirectSource.class, source);
            long t = 0;
            for (int round = 0; round < 4; round++) {
                if (round == 1) {
                    produce("orders", 2, "p2", 0, 5);
                    produce("orders", 0, "p0", 10, 2);
                }
                List<InputSplit> splits = source.splitsFor(t += INTERVAL, INTERVAL);
                for (InputSplit s : splits) {
                    OffsetRange r = (OffsetRange) s;
                    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                    assertEquals(lastUntil.getOrDefault(tp, 0L), r.fromOffset(), "ranges follow each other: " + s);
                    lastUntil.put(tp, r.untilOffset());
                }
                if (round == 0) {
                    assertEquals(List.of("orders-0[0,10)", "orders-1[0,7)"), ranges(splits), "empty partitions get no split");
                }
                if (round >= 2) {
                    assertEquals(List.of(), splits, "nothing new, nothing to read");
                }
                all.addAll(read(source, splits));
            }
        }
        Map<Integer, List<Long>> offsets = new TreeMap<>();
        all.forEach(r -> offsets.computeIfAbsent(r.partition(), p -> new ArrayList<>()).add(r.offset()));
        assertEquals(Map.of(0, longs(12), 1, longs(7), 2, longs(5)), offsets);
        KafkaRecord third = all.stream().filter(r -> r.partition() == 1 && r.offset() == 2).findFirst().orElseThrow();
        assertEquals("p1-2", third.value());
        assertNull(third.key(), "a record without a key has a null key");
        KafkaRecord later = all.stream().filter(r -> r.partition() == 0 && r.offset() == 10).findFirst().orElseThrow();
        assertEquals("k10", later.key());
        assertEquals("p0-10", later.value());
        assertEquals("orders", later.topic());
        assertTrue(later.timestampMs() > 0);
    }

    private static List<Long> longs(int n) {
        return IntStream.range(0, n).mapToObj(i -> (long) i).toList();
    }

    @Test
    void maxRatePerPartitionCapsEachBatchAtRateTimesInterval() {
        broker.createTopic("rated", 2);
        produce("rated", 0, "a", 0, 25);
        produce("rated", 1, "b", 0, 3);
        try (KafkaDirectSource source = source("rated", Map.of("startingOffsets", "earliest", "maxRatePerPartition", "10"))) {
            assertEquals(List.of("rated-0[0,10)", "rated-1[0,3)"), ranges(source.splitsFor(1000, 1000)));
            assertEquals(List.of("rated-0[10,15)"), ranges(source.splitsFor(1500, 500)), "half the interval, half the records");
            List<InputSplit> third = source.splitsFor(2500, 1000);
            assertEquals(List.of("rated-0[15,25)"), ranges(third));
            assertEquals(10, read(source, third).size());
            assertEquals(List.of(), source.splitsFor(3500, 1000));
        }
    }

    @Test
    void completedCommitsSoANewSourceOfTheGroupGoesOnWithoutGapOrRereading() throws Exception {
        broker.createTopic("resume", 2);
        produce("resume", 0, "a", 0, 6);
        produce("resume", 1, "b", 0, 6);
        Map<String, String> options = Map.of("startingOffsets", "earliest", "group.id", "resumers", "maxRatePerPartition", "4");
        try (KafkaDirectSource first = source("resume", options)) {
            assertEquals(List.of("resume-0[0,4)", "resume-1[0,4)"), ranges(first.splitsFor(1000, 1000)));
            assertEquals(List.of("resume-0[4,6)", "resume-1[4,6)"), ranges(first.splitsFor(2000, 1000)));
            first.completed(1000); // only the first batch's outputs are done when the job stops
        }
        assertEquals(Map.of(new TopicPartition("resume", 0), 4L, new TopicPartition("resume", 1), 4L), committed("resumers"));

        produce("resume", 0, "a", 6, 3);
        try (KafkaDirectSource second = source("resume", options)) {
            List<InputSplit> splits = second.splitsFor(5000, 1000);
            assertEquals(List.of("resume-0[4,8)", "resume-1[4,6)"), ranges(splits), "the uncommitted batch is read again");
            assertEquals(List.of("a-4", "a-5", "a-6", "a-7", "b-4", "b-5"), read(second, splits).stream().map(KafkaRecord::value).toList());
            second.completed(4000);
            assertEquals(4L, committed("resumers").get(new TopicPartition("resume", 0)), "completing an earlier batch commits nothing new");
            second.completed(5000);
            assertEquals(List.of("resume-0[8,9)"), ranges(second.splitsFor(6000, 1000)));
            second.completed(6000);
        }
        assertEquals(Map.of(new TopicPartition("resume", 0), 9L, new TopicPartition("resume", 1), 6L), committed("resumers"));
        try (KafkaDirectSource third = source("resume", Map.of("group.id", "resumers"))) {
            assertEquals(List.of(), third.splitsFor(7000, 1000), "committed offsets win over startingOffsets");
        }
    }

    private static Map<TopicPartition, Long> committed(String group) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = broker.admin().listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get();
        Map<TopicPartition, Long> out = new HashMap<>();
        offsets.forEach((tp, o) -> out.put(tp, o.offset()));
        return out;
    }

    @Test
    void earliestAndLatestApplyWhenTheGroupHasNoCommittedOffset() {
        broker.createTopic("start", 1);
        produce("start", 0, "old", 0, 5);
        try (KafkaDirectSource latest = source("start", Map.of("group.id", "from-latest"));
             KafkaDirectSource earliest = source("start", Map.of("group.id", "from-earliest", "startingOffsets", "earliest"))) {
            assertEquals(List.of(), latest.splitsFor(1000, 1000), "latest: what was there before the start is skipped");
            assertEquals(List.of("start-0[0,5)"), ranges(earliest.splitsFor(1000, 1000)));
            produce("start", 0, "new", 5, 2);
            List<InputSplit> next = latest.splitsFor(2000, 1000);
            assertEquals(List.of("start-0[5,7)"), ranges(next));
            assertEquals(List.of("new-5", "new-6"), read(latest, next).stream().map(KafkaRecord::value).toList());
            assertEquals(List.of("start-0[5,7)"), ranges(earliest.splitsFor(2000, 1000)));
        }
    }

    @Test
    void readCommittedSkipsAbortedRecordsAndTransactionMarkers() {
        broker.createTopic("txn", 1);
        Map<String, Object> settings = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "txn-test");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(settings, new StringSerializer(), new StringSerializer())) {
            producer.initTransactions();
            for (String[] txn : new String[][] {{"c1", "c2", "c3"}, {"x1", "x2"}, {"c4", "c5"}}) {
                producer.beginTransaction();
                for (String v : txn) {
                    producer.send(new ProducerRecord<>("txn", 0, null, v));
                }
                if (txn[0].startsWith("x")) {
                    producer.flush(); // so the aborted records are in the log, not just dropped by the client
                    producer.abortTransaction();
                } else {
                    producer.commitTransaction();
                }
            }
        }
        try (KafkaDirectSource committed = source("txn", Map.of("startingOffsets", "earliest", "group.id", "rc",
                "kafka.isolation.level", "read_committed"));
             KafkaDirectSource everything = source("txn", Map.of("startingOffsets", "earliest", "group.id", "ru"))) {
            // 7 records and 3 commit/abort markers: offsets 0..9. The last marker is written just after
            // commitTransaction returns; until then read_committed ranges stop at the open transaction.
            List<String> ranges = new ArrayList<>();
            List<String> values = new ArrayList<>();
            for (long t = 1000; values.size() < 5 && t < 100_000; t += 1000) {
                List<InputSplit> splits = committed.splitsFor(t, 1000);
                ranges.addAll(ranges(splits));
                read(committed, splits).forEach(r -> values.add(r.value()));
                sleep(50);
            }
            assertEquals(List.of("c1", "c2", "c3", "c4", "c5"), values, ranges.toString());
            assertEquals("txn-0[0,", ranges.get(0).substring(0, 8));
            assertTrue(ranges.get(ranges.size() - 1).endsWith(",10)"), ranges + " " + values);
            assertEquals(List.of("c1", "c2", "c3", "x1", "x2", "c4", "c5"),
                    read(everything, everything.splitsFor(1000, 1000)).stream().map(KafkaRecord::value).toList());
        }
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
    void recoveredBatchesAreNotHandedOutAgain() {
        broker.createTopic("recover", 1);
        produce("recover", 0, "r", 0, 8);
        try (KafkaDirectSource source = source("recover", Map.of("startingOffsets", "earliest", "group.id", "recovering"))) {
            source.recovered(1000, List.of(new OffsetRange("recover", 0, 0, 3)));
            source.recovered(2000, List.of(new OffsetRange("recover", 0, 3, 5)));
            assertEquals(List.of("recover-0[5,8)"), ranges(source.splitsFor(3000, 1000)));
            source.completed(2000);
        }
        try (KafkaDirectSource again = source("recover", Map.of("group.id", "recovering"))) {
            assertEquals(List.of("recover-0[5,8)"), ranges(again.splitsFor(4000, 1000)), "batch 2000 was committed");
        }
    }

    @Test
    void anUnknownTopicIsAClearErrorAndTheSourceRecovers() {
        try (KafkaDirectSource source = source("not-yet", Map.of("startingOffsets", "earliest"))) {
            KafkaSourceException e = assertThrows(KafkaSourceException.class, () -> source.splitsFor(1000, 1000));
            assertTrue(e.getMessage().contains("kafkaStream([not-yet])") && e.getMessage().contains("does not exist")
                    && e.getMessage().contains(broker.bootstrapServers()), e.getMessage());
            // The next cut tries again: once the topic is there, nothing was skipped.
            broker.createTopic("not-yet", 1);
            produce("not-yet", 0, "n", 0, 2);
            assertEquals(List.of("not-yet-0[0,2)"), ranges(source.splitsFor(2000, 1000)));
        }
    }

    @Test
    void anUnreachableBrokerIsAClearErrorNamingTheServers() throws IOException {
        String nowhere = "127.0.0.1:" + closedPort();
        try (KafkaDirectSource source = new KafkaDirectSource(KafkaSourceConfig.of(nowhere, List.of("orders"),
                Map.of("timeoutMs", "1500")))) {
            long started = System.nanoTime();
            KafkaSourceException e = assertThrows(KafkaSourceException.class, () -> source.splitsFor(1000, 1000));
            assertTrue(e.getMessage().contains("kafkaStream([orders])") && e.getMessage().contains(nowhere)
                    && e.getMessage().contains("no answer within 1500 ms"), e.getMessage());
            assertTrue(System.nanoTime() - started < 10_000_000_000L, "gives up after about timeoutMs");

            KafkaSourceException read = assertThrows(KafkaSourceException.class,
                    () -> source.read(new OffsetRange("orders", 0, 0, 5)));
            assertTrue(read.getMessage().contains("kafkaStream([orders])") && read.getMessage().contains("orders-0")
                    && read.getMessage().contains("[0, 5)"), read.getMessage());
        }
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    @Test
    void malformedKafkaSettingsAreNamedBeforeAnythingConnects() {
        KafkaSourceConfig config = KafkaSourceConfig.of(broker.bootstrapServers(), List.of("orders"),
                Map.of("kafka.fetch.max.bytes", "lots"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DirectSources.create("kafka", config.toMap(), config.label()));
        assertTrue(e.getMessage().contains("kafkaStream([orders])") && e.getMessage().contains("fetch.max.bytes"),
                e.getMessage());
        IllegalArgumentException level = assertThrows(IllegalArgumentException.class, () -> source("orders",
                Map.of("kafka.isolation.level", "dirty")));
        assertTrue(level.getMessage().contains("isolation.level"), level.getMessage());
    }

    @Test
    void withTheConnectorOnTheClasspathMalformedKafkaSettingsFailTheJobDefinition() {
        GraphBuilder ctx = new GraphBuilder(Duration.ofSeconds(1), 2, new PrintStream(OutputStream.nullOutputStream()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ctx.kafkaStream(
                "127.0.0.1:9", List.of("orders"), Map.of("kafka.max.poll.records", "-5")));
        assertTrue(e.getMessage().contains("kafkaStream([orders])") && e.getMessage().contains("max.poll.records"),
                e.getMessage());
        // Good settings define fine, and nothing connects (nothing listens on port 9).
        ctx.kafkaStream("127.0.0.1:9", List.of("orders"), Map.of("kafka.max.poll.records", "50")).print();
        assertEquals(1, ctx.build().sources().size());
    }

    @Test
    void aSplitOfAnotherStreamIsRefused() {
        try (KafkaDirectSource source = source("orders-elsewhere", Map.of())) {
            assertThrows(IllegalArgumentException.class, () -> source.read(new OffsetRange("payments", 0, 0, 1)));
            assertThrows(IllegalArgumentException.class, () -> source.read(new InputSplit.File("/tmp/x")));
            assertEquals(false, source.read(new OffsetRange("orders-elsewhere", 0, 3, 3)).hasNext(), "an empty range reads nothing");
        }
    }
}
