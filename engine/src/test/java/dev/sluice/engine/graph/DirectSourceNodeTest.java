package dev.sluice.engine.graph;

import dev.sluice.api.KafkaRecord;
import dev.sluice.engine.exec.TaskContext;
import dev.sluice.engine.source.DirectSource;
import dev.sluice.engine.source.RangeSourceProvider;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DirectSourceNodeTest {

    private static final PrintStream NO_OUTPUT = new PrintStream(OutputStream.nullOutputStream());

    private static JobGraph graph(Consumer<GraphBuilder> define) {
        GraphBuilder ctx = new GraphBuilder(Duration.ofSeconds(1), 2, NO_OUTPUT);
        define.accept(ctx);
        return ctx.build();
    }

    private static JobGraph kafka(Map<String, String> options) {
        return graph(ctx -> ctx.kafkaStream("broker:9092", List.of("orders"), options).map(KafkaRecord::value).print());
    }

    @Test
    void kafkaStreamAddsADirectSourceOfKindKafka() {
        JobGraph g = kafka(Map.of("startingOffsets", "earliest", "kafka.sasl.jaas.config", "secret stuff"));
        DirectSourceNode node = assertInstanceOf(DirectSourceNode.class, g.sources().get(0));
        assertEquals("kafka", node.kind());
        assertEquals("kafkaStream([orders])", node.label());
        assertEquals("directStream(kafka,{bootstrap.servers=broker:9092,group.id=sluice-orders,"
                + "kafka.sasl.jaas.config=***,startingOffsets=earliest,timeoutMs=30000,topics=orders})", node.describe());
        assertEquals("secret stuff", node.config().get("kafka.sasl.jaas.config"), "the source gets the real value");
    }

    @Test
    void definingAJobConnectsNowhere() {
        // No Kafka provider is on the engine's classpath: defining must not look for one...
        JobGraph g = kafka(Map.of());
        DirectSourceNode node = (DirectSourceNode) g.sources().get(0);
        // ...and using the source says clearly what is missing.
        IllegalStateException e = assertThrows(IllegalStateException.class, node::source);
        assertTrue(e.getMessage().contains("kafkaStream([orders])") && e.getMessage().contains("kind 'kafka'")
                && e.getMessage().contains("sluice-connectors"), e.getMessage());
    }

    @Test
    void theFingerprintFollowsTheSettings() {
        String reference = kafka(Map.of()).fingerprint();
        assertEquals(reference, kafka(Map.of()).fingerprint());
        assertEquals(reference, kafka(Map.of("startingOffsets", "latest")).fingerprint(), "the default, spelled out");
        assertNotEquals(reference, kafka(Map.of("startingOffsets", "earliest")).fingerprint());
        assertNotEquals(reference, kafka(Map.of("maxRatePerPartition", "10")).fingerprint());
        assertNotEquals(reference, kafka(Map.of("group.id", "other")).fingerprint());
        assertNotEquals(reference, kafka(Map.of("kafka.fetch.max.bytes", "1024")).fingerprint());
        assertNotEquals(reference, graph(ctx -> ctx.kafkaStream("broker:9092", List.of("orders", "returns"), Map.of())
                .map(KafkaRecord::value).print()).fingerprint());
        assertNotEquals(reference, graph(ctx -> ctx.kafkaStream("other:9092", List.of("orders"), Map.of())
                .map(KafkaRecord::value).print()).fingerprint());
    }

    @Test
    void badSettingsFailTheDefinitionNamingKafkaStream() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> kafka(Map.of("maxRatePerPartition", "lots")));
        assertTrue(e.getMessage().startsWith("kafkaStream([orders])") && e.getMessage().contains("maxRatePerPartition"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> graph(ctx -> ctx.kafkaStream("", List.of("t"), Map.of())));
    }

    @Test
    void theSourceIsCreatedLazilyOnceAndReadsTheSplitsItCut() {
        int before = RangeSourceProvider.CREATED.get();
        DirectSourceNode node = new DirectSourceNode(0, 1000, "range", "rangeStream", Map.of("step", "4"));
        assertEquals(before, RangeSourceProvider.CREATED.get(), "not created by the constructor");
        DirectSource shared = node.source();
        assertSame(shared, node.source());
        assertEquals(before + 1, RangeSourceProvider.CREATED.get());

        DirectSource coordinatorSide = node.createSource();
        List<InputSplit> first = coordinatorSide.splitsFor(1000, 1000);
        List<InputSplit> second = coordinatorSide.splitsFor(2000, 1000);
        assertEquals(List.of(new InputSplit.OffsetRange("numbers", 0, 4, 8)), second);

        BatchLayout layout = BatchLayout.of(2000, 0, Map.of(0, second));
        assertEquals(1, node.numPartitions(layout, 2000));
        List<Object> read = new ArrayList<>();
        node.compute(0, 2000, context(layout)).forEachRemaining(read::add);
        assertEquals(List.of(4L, 5L, 6L, 7L), read);
        assertEquals(4, first.get(0).records());
        node.closeSource();
    }

    private static TaskContext context(BatchLayout layout) {
        return new TaskContext() {
            @Override
            public BatchLayout layout() {
                return layout;
            }

            @Override
            public Iterator<Object> readBlock(InputSplit.Block block) {
                throw new AssertionError();
            }

            @Override
            public Iterator<Object> readShuffle(int shuffle, int reducePartition) {
                throw new AssertionError();
            }

            @Override
            public Iterator<Object> readCached(int node, long timeMs, int partition) {
                throw new AssertionError();
            }
        };
    }
}
