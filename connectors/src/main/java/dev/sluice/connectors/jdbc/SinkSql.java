package dev.sluice.connectors.jdbc;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The SQL text a sink runs, built once from validated, quoted names. */
final class SinkSql {

    /** The progress table's name; one table serves every sink, keyed by sink name. */
    static final String PROGRESS_TABLE = "sluice_sink_batches";

    /** The statement that writes one row: an upsert of the target table. */
    final String upsert;
    /** Creates the progress table if it is missing. */
    final String createProgress;
    /** A query that fails exactly when the progress table is missing. */
    final String probeProgress;
    /** Records (sink name, batch time); touches no row if the batch was recorded already. */
    final String claimBatch;

    /**
     * @param schemaPrefix {@link Identifiers#schemaPrefix} of the target table: the progress
     *                     table sits in the target table's schema when that is named, so a sink
     *                     writing to {@code analytics.totals} keeps its progress next to its data
     *                     (and needs rights in that schema only); otherwise the connection's
     *                     search path finds it
     */
    SinkSql(String quotedTable, String schemaPrefix, List<String> quotedKeys, List<String> quotedValues, WriteMode mode) {
        this.upsert = upsert(quotedTable, quotedKeys, quotedValues, mode);
        String progress = schemaPrefix + PROGRESS_TABLE;
        this.createProgress = "CREATE TABLE IF NOT EXISTS " + progress
                + " (sink_name text NOT NULL, batch_time bigint NOT NULL, PRIMARY KEY (sink_name, batch_time))";
        this.probeProgress = "SELECT 1 FROM " + progress + " WHERE 1 = 0";
        this.claimBatch = "INSERT INTO " + progress + " (sink_name, batch_time) VALUES (?, ?) ON CONFLICT DO NOTHING";
    }

    private static String upsert(String table, List<String> keys, List<String> values, WriteMode mode) {
        List<String> columns = new ArrayList<>(keys);
        columns.addAll(values);
        String placeholders = String.join(", ", Collections.nCopies(columns.size(), "?"));
        // The alias names the stored row in INCREMENT's "t.v + EXCLUDED.v" without repeating a
        // possibly schema-qualified table name.
        String insert = "INSERT INTO " + table + " AS t (" + String.join(", ", columns) + ") VALUES (" + placeholders + ")"
                + " ON CONFLICT (" + String.join(", ", keys) + ")";
        if (values.isEmpty()) {
            return insert + " DO NOTHING";
        }
        List<String> sets = new ArrayList<>(values.size());
        for (String v : values) {
            sets.add(mode == WriteMode.INCREMENT
                    ? v + " = t." + v + " + EXCLUDED." + v
                    : v + " = EXCLUDED." + v);
        }
        return insert + " DO UPDATE SET " + String.join(", ", sets);
    }
}
