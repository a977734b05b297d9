package dev.sluice.connectors.jdbc;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks and quotes SQL identifiers. Table and column names are spliced into the SQL text
 * (placeholders cannot stand for them), so only plain names get through: a bad name fails
 * when the sink is built instead of becoming SQL injection or a syntax error at the first batch.
 */
final class Identifiers {

    /** PostgreSQL silently truncates longer names (NAMEDATALEN − 1), which would hide typos. */
    static final int MAX_LENGTH = 63;

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private Identifiers() {
    }

    /**
     * The quoted form of a table name, optionally schema-qualified ({@code schema.table}).
     *
     * @throws IllegalArgumentException if a part is not a plain name
     */
    static String quoteTable(String table) {
        if (table == null) {
            throw new IllegalArgumentException("table name is null");
        }
        String[] parts = table.split("\\.", -1);
        if (parts.length > 2) {
            throw new IllegalArgumentException("table name '" + table + "' has more than one dot; use table or schema.table");
        }
        List<String> quoted = new ArrayList<>(parts.length);
        for (String part : parts) {
            quoted.add(quote(part, "table name '" + table + "'"));
        }
        return String.join(".", quoted);
    }

    /**
     * The quoted schema of a valid table name followed by a dot ({@code "schema".}), or the
     * empty string if the name has no schema: what to put before another table's name to
     * place it in the same schema.
     */
    static String schemaPrefix(String table) {
        int dot = table.indexOf('.');
        return dot < 0 ? "" : quote(table.substring(0, dot), "schema") + ".";
    }

    /**
     * The quoted forms of {@code columns}, in order.
     *
     * @param role what the columns are, for error messages ("key column")
     * @throws IllegalArgumentException if a name is not a plain name
     */
    static List<String> quoteColumns(List<String> columns, String role) {
        if (columns == null) {
            throw new IllegalArgumentException(role + "s: list is null");
        }
        List<String> quoted = new ArrayList<>(columns.size());
        for (String column : columns) {
            quoted.add(quote(column, role + " '" + column + "'"));
        }
        return quoted;
    }

    /** Fails if a name occurs twice across {@code keys} and {@code values}. */
    static void requireDistinct(List<String> keys, List<String> values) {
        Set<String> seen = new HashSet<>();
        for (List<String> list : List.of(keys, values)) {
            for (String column : list) {
                // Quoted names are case-sensitive, so "Count" and "count" are different columns.
                if (!seen.add(column)) {
                    throw new IllegalArgumentException("column '" + column + "' is listed twice");
                }
            }
        }
    }

    private static String quote(String name, String what) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(what
                    + " is not a valid SQL identifier: use letters, digits and underscores, not starting with a digit");
        }
        if (name.length() > MAX_LENGTH) {
            throw new IllegalArgumentException(what + " is longer than " + MAX_LENGTH + " characters");
        }
        // Quoting makes the name exact (no case folding, reserved words such as "count" work);
        // the pattern above already excludes the double quote, so no escaping is needed.
        return '"' + name + '"';
    }
}
