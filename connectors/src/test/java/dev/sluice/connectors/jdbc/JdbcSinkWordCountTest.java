package dev.sluice.connectors.jdbc;

import dev.sluice.api.DStream;
import dev.sluice.api.Pair;
import dev.sluice.api.PairDStream;
import dev.sluice.connectors.testing.PostgresServer;
import dev.sluice.testkit.StreamTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A word count run with StreamTest, writing through the sink to a real PostgreSQL. */
class JdbcSinkWordCountTest {

    private static final Duration SECOND = Duration.ofSeconds(1);

    /** Five batches: one repeats words within itself, one is empty, one repeats an earlier batch's words. */
    private static final List<List<String>> INPUT = List.of(
            List.of("the quick brown fox", "jumps over the lazy dog"),
            List.of("the dog barks", "the fox runs", "the end"),
            List.of(),
            List.of("quick quick quick"),
            List.of("lazy dog", "lazy fox", "the the"));

    private static PostgresServer server;
    private static TestDb db;

    @BeforeAll
    static void startDatabase() {
        server = PostgresServer.start();
        db = new TestDb(server);
    }

    @AfterAll
    static void stopDatabase() {
        if (server != null) {
            server.close();
        }
    }

    private static PairDStream<String, Long> wordCounts(DStream<String> lines) {
        return lines.flatMap(line -> Arrays.asList(line.split(" ")))
                .mapToPair(word -> Pair.of(word, 1L))
                .reduceByKey(Long::sum);
    }

    private static List<List<Pair<String, Long>>> run(Function<PairDStream<String, Long>, Void> outputs) {
        return StreamTest.run(SECOND, INPUT, lines -> {
            PairDStream<String, Long> counts = wordCounts(lines);
            outputs.apply(counts);
            return counts;
        }, INPUT.size());
    }

    /** Word counts computed directly from the input, without the stream. */
    private static Map<String, Long> expectedCounts(List<String> lines) {
        Map<String, Long> counts = new TreeMap<>();
        for (String line : lines) {
            for (String word : line.split(" ")) {
                counts.merge(word, 1L, Long::sum);
            }
        }
        return counts;
    }

    @Test
    void upsertWritesEachBatchsCountsAndKeepsTheLatestPerWord() {
        db.execute("CREATE TABLE wc_per_batch (batch_time bigint NOT NULL, word text NOT NULL, count bigint NOT NULL,"
                        + " PRIMARY KEY (batch_time, word))",
                "CREATE TABLE wc_latest (word text PRIMARY KEY, count bigint NOT NULL)");
        ConnectionFactory connect = server.connections();

        List<List<Pair<String, Long>>> streamed = run(counts -> {
            // The row function sees elements only; transform is how a job puts the batch time in a row.
            counts.transform((batch, time) -> batch.map(p -> List.<Object>of(time, p.first(), p.second())))
                    .foreachBatch(JdbcSink.upsert(connect, "wc_per_batch", List.of("batch_time", "word"),
                            List.of("count"), Function.identity()));
            counts.foreachBatch(JdbcSink.upsertPairs(connect, "wc_latest", "word", "count"));
            return null;
        });

        Map<String, Long> latest = new HashMap<>();
        for (int i = 0; i < INPUT.size(); i++) {
            long time = (i + 1) * 1000L;
            Map<String, Long> expected = expectedCounts(INPUT.get(i));
            assertEquals(expected, db.longs("SELECT word, count FROM wc_per_batch WHERE batch_time = " + time),
                    "batch " + time);
            assertEquals(expected, toMap(streamed.get(i)), "the stream's own output for batch " + time);
            latest.putAll(expected);
        }
        assertEquals(new TreeMap<>(latest), db.longs("SELECT word, count FROM wc_latest"));
        // Empty batch 3000 is not recorded: there was nothing to write.
        assertEquals(List.of(1000L, 2000L, 4000L, 5000L), db.recordedBatches("wc_latest"));
        assertEquals(List.of(1000L, 2000L, 4000L, 5000L), db.recordedBatches("wc_per_batch"));
    }

    @Test
    void incrementAccumulatesTotalsEqualToCountsOverAllInput() {
        db.execute("CREATE TABLE wc_totals (word text PRIMARY KEY, total bigint NOT NULL)");
        ConnectionFactory connect = server.connections();

        run(counts -> {
            counts.foreachBatch(JdbcSink.incrementPairs(connect, "wc_totals", "word", "total"));
            return null;
        });

        Map<String, Long> expected = expectedCounts(INPUT.stream().flatMap(List::stream).toList());
        assertEquals(expected, db.longs("SELECT word, total FROM wc_totals"));
        assertEquals(7L, expected.get("the"), "totals span batches");
    }

    @Test
    void rerunningTheWholeJobChangesNoTotal() {
        // As a coordinator restarted on its checkpoint replays batches: the same batch times
        // and data reach the sink again.
        db.execute("CREATE TABLE wc_rerun (word text PRIMARY KEY, total bigint NOT NULL)");
        ConnectionFactory connect = server.connections();
        Function<PairDStream<String, Long>, Void> outputs = counts -> {
            counts.foreachBatch(JdbcSink.incrementPairs(connect, "wc_rerun", "word", "total"));
            return null;
        };

        run(outputs);
        Map<String, Long> once = db.longs("SELECT word, total FROM wc_rerun");
        run(outputs);

        assertEquals(expectedCounts(INPUT.stream().flatMap(List::stream).toList()), once);
        assertEquals(once, db.longs("SELECT word, total FROM wc_rerun"));
    }

    private static Map<String, Long> toMap(List<Pair<String, Long>> pairs) {
        Map<String, Long> out = new TreeMap<>();
        for (Pair<String, Long> p : pairs) {
            out.put(p.first(), p.second());
        }
        return out;
    }
}
