package dev.sluice.connectors.jdbc;

import dev.sluice.api.Batch;
import dev.sluice.api.Pair;
import dev.sluice.connectors.testing.PostgresServer;
import dev.sluice.engine.batch.LocalBatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Names checked when the sink is built; connection and schema errors named when a batch is written. */
class JdbcSinkConfigurationTest {

    private static final ConnectionFactory UNUSED = () -> {
        throw new AssertionError("a sink that is not built must not connect");
    };
    private static final Function<Pair<String, Long>, List<Object>> ROW = p -> List.of(p.first(), p.second());

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

    private static Batch<Pair<String, Long>> oneRow() {
        return new LocalBatch<>(List.of(List.of(Pair.of("a", 1L))), 1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"words; DROP TABLE users", "word counts", "1words", "words\"", "", "a.b.c", ".words",
            "words.", "wörds", "w-c",
            "a_table_name_of_sixty_four_characters_xxxxxxxxxxxxxxxxxxxxxxxxxxx"})
    void badTableNamesAreRejectedWhenTheSinkIsBuilt(String table) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JdbcSink.upsert(UNUSED, table, List.of("word"), List.of("count"), ROW));
        assertTrue(e.getMessage().contains("'" + table + "'"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"count) VALUES (1); --", "my count", "count\"", "", "t.count", "9lives"})
    void badColumnNamesAreRejectedWhenTheSinkIsBuilt(String column) {
        IllegalArgumentException asKey = assertThrows(IllegalArgumentException.class,
                () -> JdbcSink.upsert(UNUSED, "words", List.of(column), List.of("count"), ROW));
        IllegalArgumentException asValue = assertThrows(IllegalArgumentException.class,
                () -> JdbcSink.increment(UNUSED, "words", List.of("word"), List.of(column), ROW));
        assertTrue(asKey.getMessage().contains("key column '" + column + "'"), asKey.getMessage());
        assertTrue(asValue.getMessage().contains("value column '" + column + "'"), asValue.getMessage());
    }

    @Test
    void otherMistakesAreRejectedWhenTheSinkIsBuilt() {
        assertThrows(IllegalArgumentException.class, () -> JdbcSink.upsert(UNUSED, null, List.of("w"), List.of(), ROW));
        assertThrows(IllegalArgumentException.class, () -> JdbcSink.upsert(UNUSED, "t", List.of(), List.of("v"), ROW));
        assertThrows(IllegalArgumentException.class,
                () -> JdbcSink.upsert(UNUSED, "t", java.util.Arrays.asList("w", null), List.of(), ROW));
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> JdbcSink.upsert(UNUSED, "t", List.of("w"), List.of("v", "w"), ROW));
        assertTrue(twice.getMessage().contains("'w' is listed twice"), twice.getMessage());
        IllegalArgumentException nothingToAdd = assertThrows(IllegalArgumentException.class,
                () -> JdbcSink.increment(UNUSED, "t", List.of("w"), List.of(), ROW));
        assertTrue(nothingToAdd.getMessage().contains("INCREMENT"), nothingToAdd.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> JdbcSink.<String, Long>upsertPairs(UNUSED, "t", "w", "v").named(" "));
        assertThrows(NullPointerException.class, () -> JdbcSink.upsertPairs(null, "t", "w", "v"));
    }

    @Test
    void goodNamesAreQuotedIntoTheSql() {
        SinkSql upsert = new SinkSql(Identifiers.quoteTable("Stats"), Identifiers.schemaPrefix("Stats"),
                Identifiers.quoteColumns(List.of("day", "user"), "key column"),
                Identifiers.quoteColumns(List.of("count", "Sum_2"), "value column"), WriteMode.UPSERT);
        assertEquals("INSERT INTO \"Stats\" AS t (\"day\", \"user\", \"count\", \"Sum_2\") VALUES (?, ?, ?, ?)"
                + " ON CONFLICT (\"day\", \"user\") DO UPDATE SET \"count\" = EXCLUDED.\"count\","
                + " \"Sum_2\" = EXCLUDED.\"Sum_2\"", upsert.upsert);
        assertEquals("INSERT INTO sluice_sink_batches (sink_name, batch_time) VALUES (?, ?) ON CONFLICT DO NOTHING",
                upsert.claimBatch);

        SinkSql increment = new SinkSql(Identifiers.quoteTable("app.totals"), Identifiers.schemaPrefix("app.totals"),
                List.of("\"w\""), List.of("\"n\""), WriteMode.INCREMENT);
        assertEquals("INSERT INTO \"app\".\"totals\" AS t (\"w\", \"n\") VALUES (?, ?)"
                + " ON CONFLICT (\"w\") DO UPDATE SET \"n\" = t.\"n\" + EXCLUDED.\"n\"", increment.upsert);
        assertTrue(increment.createProgress.startsWith("CREATE TABLE IF NOT EXISTS \"app\".sluice_sink_batches ("),
                increment.createProgress);

        SinkSql keysOnly = new SinkSql("\"seen\"", "", List.of("\"id\""), List.of(), WriteMode.UPSERT);
        assertTrue(keysOnly.upsert.endsWith("ON CONFLICT (\"id\") DO NOTHING"), keysOnly.upsert);
    }

    @Test
    void anUnreachableServerIsNamedWithTableAndBatch() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getByName("127.0.0.1"))) {
            closedPort = s.getLocalPort();
        }
        JdbcSink<Pair<String, Long>> sink = JdbcSink.upsertPairs(
                ConnectionFactory.of("jdbc:postgresql://127.0.0.1:" + closedPort + "/sluice_test", "postgres", null),
                "words", "word", "count");

        JdbcSinkException e = assertThrows(JdbcSinkException.class, () -> sink.accept(oneRow(), 4000));

        assertEquals("08001", e.sqlState(), e.getMessage());
        assertTrue(e.getMessage().contains("table words") && e.getMessage().contains("batch 4000")
                && e.getMessage().contains("cannot connect") && e.getMessage().contains("SQL state 08001"), e.getMessage());
    }

    @Test
    void aUrlNoDriverTakesIsNamedWithTableAndBatch() {
        JdbcSink<Pair<String, Long>> sink = JdbcSink.upsertPairs(
                ConnectionFactory.of("jdbc:postgres://localhost/typo", "postgres", null), "words", "word", "count");

        JdbcSinkException e = assertThrows(JdbcSinkException.class, () -> sink.accept(oneRow(), 5000));

        assertTrue(e.getMessage().contains("table words") && e.getMessage().contains("batch 5000")
                && e.getMessage().contains("No suitable driver") && e.getMessage().contains("jdbc:postgres://localhost/typo"),
                e.getMessage());
    }

    @Test
    void aWrongPasswordIsNamedWithTableAndBatch() {
        server.createPasswordRole("sink_writer", "right-password");
        JdbcSink<Pair<String, Long>> sink = JdbcSink.upsertPairs(
                ConnectionFactory.of(server.jdbcUrl(), "sink_writer", "wrong-password"), "words", "word", "count");

        JdbcSinkException e = assertThrows(JdbcSinkException.class, () -> sink.accept(oneRow(), 6000));

        assertEquals("28P01", e.sqlState(), "invalid_password: " + e.getMessage());
        assertTrue(e.getMessage().contains("table words") && e.getMessage().contains("batch 6000")
                && e.getMessage().contains("password authentication failed"), e.getMessage());
        assertTrue(!e.getMessage().contains("wrong-password"), "the password is never in the message");
    }

    @Test
    void aMissingTableIsNamedAndRecordsNothing() {
        JdbcSink<Pair<String, Long>> sink = JdbcSink.upsertPairs(server.connections(), "no_such_table", "word", "count");

        JdbcSinkException e = assertThrows(JdbcSinkException.class, () -> sink.accept(oneRow(), 7000));

        assertEquals("42P01", e.sqlState(), "undefined_table: " + e.getMessage());
        assertTrue(e.getMessage().contains("no_such_table") && e.getMessage().contains("batch 7000"), e.getMessage());
        assertEquals(List.of(), db.recordedBatches("no_such_table"));
    }

    @Test
    void keysWithoutAUniqueConstraintAreNamed() {
        db.execute("CREATE TABLE unkeyed (word text, count bigint)");
        JdbcSink<Pair<String, Long>> sink = JdbcSink.upsertPairs(server.connections(), "unkeyed", "word", "count");

        JdbcSinkException e = assertThrows(JdbcSinkException.class, () -> sink.accept(oneRow(), 8000));

        assertEquals("42P10", e.sqlState(), "invalid_column_reference: " + e.getMessage());
        assertTrue(e.getMessage().contains("unique or exclusion constraint"), e.getMessage());
    }
}
