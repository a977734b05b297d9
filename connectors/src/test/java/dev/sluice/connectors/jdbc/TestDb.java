package dev.sluice.connectors.jdbc;

import dev.sluice.connectors.testing.PostgresServer;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Reads and changes the test database directly, without the sink. */
final class TestDb {

    private final PostgresServer server;

    TestDb(PostgresServer server) {
        this.server = server;
    }

    void execute(String... statements) {
        try (Connection c = server.connect(); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A two-column query's rows as a map from the first column to the second (a long). */
    Map<String, Long> longs(String query) {
        Map<String, Long> out = new TreeMap<>();
        try (Connection c = server.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            while (rs.next()) {
                long value = rs.getLong(2);
                out.put(rs.getString(1), rs.wasNull() ? null : value);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    /** The batch times the progress table records for {@code sink}, ascending. */
    List<Long> recordedBatches(String sink) {
        return recordedBatches("sluice_sink_batches", sink);
    }

    List<Long> recordedBatches(String progressTable, String sink) {
        List<Long> times = new ArrayList<>();
        try (Connection c = server.connect();
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT batch_time FROM " + progressTable + " WHERE sink_name = '" + sink
                     + "' ORDER BY batch_time")) {
            while (rs.next()) {
                times.add(rs.getLong(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return times;
    }
}
