package dev.sluice.connectors.jdbc;

import dev.sluice.api.Batch;
import dev.sluice.api.Pair;
import dev.sluice.connectors.testing.PostgresServer;
import dev.sluice.engine.batch.LocalBatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Replays, failures mid-batch, retries and concurrent attempts, against a real PostgreSQL. */
class JdbcSinkExactlyOnceTest {

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

    /** A batch in two partitions, as foreachBatch gets it. */
    @SafeVarargs
    private static <T> Batch<T> batch(T... elements) {
        List<T> all = List.of(elements);
        int half = all.size() / 2;
        return new LocalBatch<>(List.of(all.subList(0, half), all.subList(half, all.size())), 2);
    }

    private static Batch<Pair<String, Long>> counts(Object... keysAndValues) {
        List<Pair<String, Long>> pairs = new ArrayList<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            pairs.add(Pair.of((String) keysAndValues[i], (Long) keysAndValues[i + 1]));
        }
        return new LocalBatch<>(List.of(pairs), 1);
    }

    private static void createTotals(String table) {
        db.execute("CREATE TABLE " + table + " (word text PRIMARY KEY, total bigint NOT NULL)");
    }

    private static Map<String, Long> totals(String table) {
        return db.longs("SELECT word, total FROM " + table);
    }

    @Test
    void replayingABatchInIncrementModeLeavesTheTableUnchanged() {
        createTotals("replay_totals");
        JdbcSink<Pair<String, Long>> sink = JdbcSink.incrementPairs(server.connections(), "replay_totals", "word", "total");

        sink.accept(counts("a", 1L, "b", 2L), 1000);
        sink.accept(counts("a", 10L), 2000);
        Map<String, Long> afterTwoBatches = totals("replay_totals");
        sink.accept(counts("a", 1L, "b", 2L), 1000);
        sink.accept(counts("a", 10L), 2000);

        assertEquals(Map.of("a", 11L, "b", 2L), afterTwoBatches);
        assertEquals(afterTwoBatches, totals("replay_totals"));
        assertEquals(List.of(1000L, 2000L), db.recordedBatches("replay_totals"));
    }

    @Test
    void aSecondSinkInstanceAlsoSeesTheBatchAsWritten() {
        // After a coordinator restart the sink is a new object: the progress lives in the database.
        createTotals("restart_totals");
        JdbcSink.<String, Long>incrementPairs(server.connections(), "restart_totals", "word", "total")
                .accept(counts("a", 5L), 7000);
        JdbcSink.<String, Long>incrementPairs(server.connections(), "restart_totals", "word", "total")
                .accept(counts("a", 5L), 7000);

        assertEquals(Map.of("a", 5L), totals("restart_totals"));
    }

    @Test
    void repeatedKeysInOneBatchAreAllAddedOrTheLastWins() {
        createTotals("repeat_totals");
        createTotals("repeat_latest");
        Batch<Pair<String, Long>> batch = batch(Pair.of("a", 1L), Pair.of("b", 1L), Pair.of("a", 2L), Pair.of("a", 3L));

        JdbcSink.<String, Long>incrementPairs(server.connections(), "repeat_totals", "word", "total").accept(batch, 1000);
        JdbcSink.<String, Long>upsertPairs(server.connections(), "repeat_latest", "word", "total").accept(batch, 1000);

        assertEquals(Map.of("a", 6L, "b", 1L), totals("repeat_totals"));
        assertEquals(Map.of("a", 3L, "b", 1L), totals("repeat_latest"));
    }

    @Test
    void aBatchFailingMidwayLeavesNothingBehindAndARetryWritesItOnce() {
        createTotals("failing_totals");
        JdbcSink<Pair<String, Long>> sink = JdbcSink.incrementPairs(server.connections(), "failing_totals", "word", "total");
        sink.accept(counts("w0", 100L), 1000);

        // More rows than one round trip, with the bad one in the second: the first rows reached
        // the database before the failure and must be rolled back.
        int rows = RowWriter.ROWS_PER_ROUND_TRIP * 2;
        List<Pair<String, Long>> broken = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            broken.add(Pair.of("w" + i, i == rows - 10 ? null : 1L));
        }
        JdbcSinkException e = assertThrows(JdbcSinkException.class,
                () -> sink.accept(new LocalBatch<>(List.of(broken), 1), 2000));

        assertEquals("23502", e.sqlState(), "not_null_violation");
        assertEquals(2000L, e.batchTimeMs());
        assertEquals("failing_totals", e.table());
        assertTrue(e.getMessage().contains("failing_totals") && e.getMessage().contains("batch 2000")
                && e.getMessage().contains("23502"), e.getMessage());
        assertEquals(Map.of("w0", 100L), totals("failing_totals"), "nothing of batch 2000 is left");
        assertEquals(List.of(1000L), db.recordedBatches("failing_totals"), "batch 2000 is not recorded");

        List<Pair<String, Long>> fixed = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            fixed.add(Pair.of("w" + i, 1L));
        }
        sink.accept(new LocalBatch<>(List.of(fixed), 1), 2000);
        sink.accept(new LocalBatch<>(List.of(fixed), 1), 2000);

        Map<String, Long> after = totals("failing_totals");
        assertEquals(rows, after.size());
        assertEquals(101L, after.get("w0"));
        assertEquals(1L, after.get("w" + (rows - 1)));
        assertEquals(List.of(1000L, 2000L), db.recordedBatches("failing_totals"));
    }

    @Test
    void aThrowingRowFunctionRollsBackAndNamesTheBatch() {
        db.execute("CREATE TABLE throwing_rows (word text PRIMARY KEY)");
        JdbcSink<String> sink = JdbcSink.upsert(server.connections(), "throwing_rows", List.of("word"), List.of(),
                w -> {
                    if (w.equals("boom")) {
                        throw new IllegalStateException("cannot map " + w);
                    }
                    return List.of(w);
                });

        JdbcSinkException e = assertThrows(JdbcSinkException.class, () -> sink.accept(batch("a", "b", "boom"), 3000));

        assertNull(e.sqlState());
        assertTrue(e.getMessage().contains("throwing_rows") && e.getMessage().contains("batch 3000")
                && e.getMessage().contains("cannot map boom"), e.getMessage());
        assertEquals(Map.of(), db.longs("SELECT word, 0 FROM throwing_rows"));
        assertEquals(List.of(), db.recordedBatches("throwing_rows"));
    }

    @Test
    void aRowOfTheWrongWidthIsAClearError() {
        createTotals("wide_rows");
        JdbcSink<String> sink = JdbcSink.upsert(server.connections(), "wide_rows", List.of("word"), List.of("total"),
                w -> List.of(w));

        JdbcSinkException e = assertThrows(JdbcSinkException.class, () -> sink.accept(batch("a"), 1000));

        assertTrue(e.getMessage().contains("expected 2 values, for columns [word, total]"), e.getMessage());
    }

    @Test
    void concurrentAttemptsAtOneBatchWriteItOnce() throws Exception {
        // Speculative copies of an output task: all try the same batch at once.
        createTotals("concurrent_totals");
        JdbcSink<Pair<String, Long>> sink =
                JdbcSink.incrementPairs(server.connections(), "concurrent_totals", "word", "total");
        int attempts = 8;
        ExecutorService pool = Executors.newFixedThreadPool(attempts);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < attempts; i++) {
                futures.add(pool.submit(() -> {
                    go.await();
                    sink.accept(counts("a", 1L, "b", 2L), 1000);
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }

        assertEquals(Map.of("a", 1L, "b", 2L), totals("concurrent_totals"));
    }

    @Test
    void anEmptyBatchOpensNoConnectionAndRecordsNothing() {
        AtomicInteger opened = new AtomicInteger();
        ConnectionFactory counting = () -> {
            opened.incrementAndGet();
            return server.connect();
        };
        JdbcSink<Pair<String, Long>> sink = JdbcSink.incrementPairs(counting, "never_created", "word", "total");

        sink.accept(new LocalBatch<>(List.of(List.of(), List.of()), 2), 1000);

        assertEquals(0, opened.get());
    }

    @Test
    void sinksWithDifferentNamesKeepSeparateProgressOnOneTable() {
        createTotals("shared_totals");
        JdbcSink<Pair<String, Long>> first = JdbcSink.<String, Long>incrementPairs(
                server.connections(), "shared_totals", "word", "total").named("clicks");
        JdbcSink<Pair<String, Long>> second = JdbcSink.<String, Long>incrementPairs(
                server.connections(), "shared_totals", "word", "total").named("views");

        first.accept(counts("a", 1L), 1000);
        second.accept(counts("a", 10L), 1000);
        second.accept(counts("a", 10L), 1000);

        assertEquals(Map.of("a", 11L), totals("shared_totals"));
        assertEquals(List.of(1000L), db.recordedBatches("clicks"));
        assertEquals(List.of(1000L), db.recordedBatches("views"));
    }

    @Test
    void aSchemaQualifiedTableKeepsItsProgressInItsSchema() {
        db.execute("CREATE SCHEMA analytics",
                "CREATE TABLE analytics.totals (word text PRIMARY KEY, total bigint NOT NULL)");
        JdbcSink<Pair<String, Long>> sink =
                JdbcSink.incrementPairs(server.connections(), "analytics.totals", "word", "total");

        sink.accept(counts("a", 3L), 1000);
        sink.accept(counts("a", 3L), 1000);

        assertEquals(Map.of("a", 3L), db.longs("SELECT word, total FROM analytics.totals"));
        assertEquals(List.of(1000L), db.recordedBatches("analytics.sluice_sink_batches", "analytics.totals"));
    }

    @Test
    void upsertReplacesSeveralValueColumnsUnderACompositeKey() {
        db.execute("CREATE TABLE page_stats (site text, page text, views bigint NOT NULL, last_user text,"
                + " PRIMARY KEY (site, page))");
        JdbcSink<List<Object>> sink = JdbcSink.upsert(server.connections(), "page_stats", List.of("site", "page"),
                List.of("views", "last_user"), row -> row);

        sink.accept(batch(List.of("s", "/a", 5L, "ann"), List.of("s", "/b", 1L, "bob")), 1000);
        sink.accept(batch(java.util.Arrays.asList("s", "/a", 7L, null)), 2000);

        assertEquals(Map.of("/a", 7L, "/b", 1L), db.longs("SELECT page, views FROM page_stats"));
        assertEquals(1L, db.longs("SELECT page, 1 FROM page_stats WHERE last_user IS NULL").size());
    }
}
