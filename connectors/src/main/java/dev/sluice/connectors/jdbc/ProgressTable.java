package dev.sluice.connectors.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;

/** The table {@code sluice_sink_batches}, which records the batches a sink has written. */
final class ProgressTable {

    /**
     * What a concurrent {@code CREATE TABLE IF NOT EXISTS} can fail with in PostgreSQL when
     * another session creates the table at the same moment: duplicate_table, or unique_violation
     * on the catalog. Either way the table exists now.
     */
    private static final Set<String> CREATED_CONCURRENTLY = Set.of("42P07", "23505");

    private final SinkSql sql;
    private volatile boolean exists;

    ProgressTable(SinkSql sql) {
        this.sql = sql;
    }

    /**
     * Creates the table if it is missing, in its own transaction, once per sink. It looks
     * before it creates, so a role that may write to a pre-created table but not create tables
     * in the schema works.
     *
     * @param connection a connection with auto-commit off and no transaction open
     */
    void ensureExists(Connection connection) throws SQLException {
        if (exists) {
            return;
        }
        try (Statement statement = connection.createStatement()) {
            try {
                statement.executeQuery(sql.probeProgress).close();
                connection.commit();
            } catch (SQLException missing) {
                connection.rollback();
                create(connection, statement, missing);
            }
        }
        exists = true;
    }

    private void create(Connection connection, Statement statement, SQLException missing) throws SQLException {
        try {
            statement.execute(sql.createProgress);
            connection.commit();
        } catch (SQLException e) {
            connection.rollback();
            if (!CREATED_CONCURRENTLY.contains(e.getSQLState())) {
                e.addSuppressed(missing);
                throw e;
            }
        }
    }

    /**
     * Records (sink, batch time) in the current transaction.
     *
     * <p>A second attempt at the same batch while the first is still open waits on the primary
     * key until the first ends: if that commits, the second sees the row and writes nothing; if
     * it rolls back, the second takes over. So concurrent (speculative) attempts also write once.
     *
     * @return {@code true} if the row is new, so the batch is to be written; {@code false} if the
     *         batch was written already
     */
    boolean claim(Connection connection, String sinkName, long batchTimeMs) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(sql.claimBatch)) {
            insert.setString(1, sinkName);
            insert.setLong(2, batchTimeMs);
            return insert.executeUpdate() == 1;
        }
    }
}
