package dev.sluice.connectors.jdbc;

import dev.sluice.api.Batch;
import dev.sluice.api.BatchConsumer;
import dev.sluice.api.Pair;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Writes every batch of a stream to a database table, exactly once per batch: pass it to
 * {@link dev.sluice.api.DStream#foreachBatch}.
 *
 * <pre>{@code
 * counts.foreachBatch(JdbcSink.incrementPairs(
 *         ConnectionFactory.of("jdbc:postgresql://db/app", "app", secret), "word_totals", "word", "total"));
 * }</pre>
 *
 * <p>Each batch is written in one transaction that also inserts the row (sink name, batch time)
 * into the progress table {@code sluice_sink_batches} (created if missing, in the target
 * table's schema if one is named). If that row is there already, the batch was written before
 * and the transaction writes nothing. So a batch that is replayed after a coordinator restart,
 * retried after a failure, or run twice by a speculative task lands exactly once, even in
 * {@link WriteMode#INCREMENT} mode, and a failed batch leaves nothing behind. This is the
 * design's rule that outputs are atomic and idempotent, keyed by (batch time, output operation):
 * the sink name stands for the output operation, so two sinks writing the same table need
 * different names ({@link #named}).
 *
 * <p>The target table must exist, with a primary key or unique constraint on exactly the key
 * columns. Names are checked (letters, digits, underscores; at most 63 characters) and quoted,
 * which makes them case-sensitive: PostgreSQL stores unquoted names in lower case, so pass
 * {@code word_totals}, not {@code WordTotals}, for a table created as {@code WordTotals}.
 * Rows of one batch are applied in order, so for repeated keys in a batch the last one wins
 * ({@code UPSERT}) or all are added ({@code INCREMENT}).
 *
 * <p>The SQL is PostgreSQL's {@code INSERT ... ON CONFLICT}; databases that speak it
 * (CockroachDB, YugabyteDB, SQLite) work too. One connection is opened per non-empty batch
 * and closed after it; give a pooled {@link ConnectionFactory} to reuse connections. Empty
 * batches open no connection and record nothing: there is nothing to write twice.
 *
 * @param <T> the stream's element type
 */
public final class JdbcSink<T> implements BatchConsumer<T> {

    private static final System.Logger LOG = System.getLogger(JdbcSink.class.getName());

    private final ConnectionFactory connect;
    private final String table;
    private final String name;
    private final WriteMode mode;
    private final List<String> columns;
    private final Function<? super T, ? extends List<?>> row;
    private final SinkSql sql;
    private final ProgressTable progress;

    private JdbcSink(ConnectionFactory connect, String table, String name, WriteMode mode, List<String> columns,
                     Function<? super T, ? extends List<?>> row, SinkSql sql) {
        this.connect = connect;
        this.table = table;
        this.name = name;
        this.mode = mode;
        this.columns = columns;
        this.row = row;
        this.sql = sql;
        this.progress = new ProgressTable(sql);
    }

    /**
     * A sink that inserts rows, replacing the value columns of rows whose key is there already.
     *
     * @param connect      opens connections to the database
     * @param table        the target table, {@code table} or {@code schema.table}
     * @param keyColumns   the columns of the table's primary key or unique constraint, at least one
     * @param valueColumns the other columns to write; may be empty
     * @param row          an element's column values: the keys, then the values, in the order of
     *                     the column lists ({@code null} writes SQL {@code NULL})
     * @throws IllegalArgumentException if a name is not a plain SQL identifier, a column is listed
     *                                  twice, or no key column is given
     */
    public static <T> JdbcSink<T> upsert(ConnectionFactory connect, String table, List<String> keyColumns,
                                         List<String> valueColumns, Function<? super T, ? extends List<?>> row) {
        return of(WriteMode.UPSERT, connect, table, keyColumns, valueColumns, row);
    }

    /**
     * A sink that inserts rows, adding the values to those of rows whose key is there already:
     * running totals. Parameters as for {@link #upsert}; at least one value column is needed.
     */
    public static <T> JdbcSink<T> increment(ConnectionFactory connect, String table, List<String> keyColumns,
                                            List<String> valueColumns, Function<? super T, ? extends List<?>> row) {
        return of(WriteMode.INCREMENT, connect, table, keyColumns, valueColumns, row);
    }

    /**
     * A sink writing in {@code mode}; parameters as for {@link #upsert}. The sink's name is the
     * table name until {@link #named} changes it.
     */
    public static <T> JdbcSink<T> of(WriteMode mode, ConnectionFactory connect, String table, List<String> keyColumns,
                                     List<String> valueColumns, Function<? super T, ? extends List<?>> row) {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(connect, "connect");
        Objects.requireNonNull(row, "row");
        String quotedTable = Identifiers.quoteTable(table);
        List<String> keys = Identifiers.quoteColumns(keyColumns, "key column");
        List<String> values = Identifiers.quoteColumns(valueColumns, "value column");
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("table " + table + ": at least one key column is needed for ON CONFLICT");
        }
        if (mode == WriteMode.INCREMENT && values.isEmpty()) {
            throw new IllegalArgumentException("table " + table + ": INCREMENT needs at least one value column to add to");
        }
        Identifiers.requireDistinct(keyColumns, valueColumns);
        List<String> columns = new ArrayList<>(keyColumns);
        columns.addAll(valueColumns);
        SinkSql sql = new SinkSql(quotedTable, Identifiers.schemaPrefix(table), keys, values, mode);
        return new JdbcSink<>(connect, table, table, mode, List.copyOf(columns), row, sql);
    }

    /** {@link #upsert} for a pair stream: the pair's key goes to {@code keyColumn}, its value to {@code valueColumn}. */
    public static <K, V> JdbcSink<Pair<K, V>> upsertPairs(ConnectionFactory connect, String table, String keyColumn,
                                                          String valueColumn) {
        return upsert(connect, table, List.of(keyColumn), List.of(valueColumn), JdbcSink::pairRow);
    }

    /** {@link #increment} for a pair stream: adds each pair's value to {@code valueColumn} of its key's row. */
    public static <K, V> JdbcSink<Pair<K, V>> incrementPairs(ConnectionFactory connect, String table, String keyColumn,
                                                             String valueColumn) {
        return increment(connect, table, List.of(keyColumn), List.of(valueColumn), JdbcSink::pairRow);
    }

    private static List<Object> pairRow(Pair<?, ?> p) {
        // Not List.of: it rejects nulls, and a null value must reach the database as NULL.
        return Arrays.asList(p.first(), p.second());
    }

    /**
     * The same sink under another name in the progress table. Needed when two sinks write the
     * same table (else each would take the other's batches as written), and to keep a sink's
     * progress when its table is renamed.
     */
    public JdbcSink<T> named(String sinkName) {
        if (sinkName == null || sinkName.isBlank()) {
            throw new IllegalArgumentException("table " + table + ": sink name is empty");
        }
        return new JdbcSink<>(connect, table, sinkName, mode, columns, row, sql);
    }

    /** The name under which this sink records its batches. */
    public String name() {
        return name;
    }

    /** The target table, as given. */
    public String table() {
        return table;
    }

    /** How rows whose key exists are written. */
    public WriteMode mode() {
        return mode;
    }

    /**
     * Writes the batch in one transaction, unless the progress table says it was written.
     *
     * @throws JdbcSinkException if it cannot be written; the transaction is rolled back
     */
    @Override
    public void accept(Batch<T> batch, long batchTimeMs) {
        // A foreachBatch batch is already in this process's memory, so collecting copies only references.
        List<T> elements = batch.collect();
        if (elements.isEmpty()) {
            return;
        }
        Connection connection;
        try {
            connection = connect.open();
        } catch (SQLException e) {
            throw failure(batchTimeMs, "cannot connect: ", e);
        }
        if (connection == null) {
            throw new JdbcSinkException(name, table, batchTimeMs, null, "the connection factory returned null", null);
        }
        try (connection) {
            boolean wasAutoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                writeOnce(connection, elements, batchTimeMs);
            } finally {
                restoreAutoCommit(connection, wasAutoCommit);
            }
        } catch (SQLException e) {
            throw failure(batchTimeMs, "", e);
        }
    }

    private void writeOnce(Connection connection, List<T> elements, long batchTimeMs) throws SQLException {
        try {
            progress.ensureExists(connection);
            if (!progress.claim(connection, name, batchTimeMs)) {
                connection.rollback();
                LOG.log(System.Logger.Level.INFO, () -> "JDBC sink '" + name + "': batch " + batchTimeMs
                        + " was written to " + table + " already; not writing it again");
                return;
            }
            try (RowWriter<T> writer = new RowWriter<>(connection, sql.upsert, columns, row)) {
                for (T element : elements) {
                    writer.add(element);
                }
                writer.flush();
            }
            // If the connection breaks during commit the outcome is unknown; that is fine, since
            // a retry finds the progress row if the commit went through and writes nothing.
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            try {
                connection.rollback();
            } catch (SQLException rollbackFailure) {
                e.addSuppressed(rollbackFailure);
            }
            if (e instanceof SQLException sqlException) {
                throw sqlException;
            }
            throw new JdbcSinkException(name, table, batchTimeMs, null, e.toString(), e);
        }
    }

    private static void restoreAutoCommit(Connection connection, boolean autoCommit) {
        // Pooled connections go back to the pool as they came; a broken connection is closed next anyway.
        try {
            if (!connection.isClosed()) {
                connection.setAutoCommit(autoCommit);
            }
        } catch (SQLException ignored) {
            // Nothing to restore on a connection that no longer works.
        }
    }

    private JdbcSinkException failure(long batchTimeMs, String prefix, SQLException e) {
        return new JdbcSinkException(name, table, batchTimeMs, SqlErrors.state(e), prefix + SqlErrors.message(e), e);
    }

    @Override
    public String toString() {
        return "JdbcSink(" + name + " -> " + table + " " + columns + ", " + mode + ")";
    }
}
