package dev.sluice.connectors.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import java.util.function.Function;

/** Writes elements as rows through one batched prepared statement. */
final class RowWriter<T> implements AutoCloseable {

    /**
     * Rows sent per round trip: large enough to amortise the round trip, small enough that
     * the driver does not buffer a whole big batch at once.
     */
    static final int ROWS_PER_ROUND_TRIP = 1000;

    private final PreparedStatement statement;
    private final List<String> columns;
    private final Function<? super T, ? extends List<?>> row;
    private int pending;

    /** @param columns the statement's parameters in order, keys then values, for error messages */
    RowWriter(Connection connection, String sql, List<String> columns, Function<? super T, ? extends List<?>> row)
            throws SQLException {
        this.statement = connection.prepareStatement(sql);
        this.columns = columns;
        this.row = row;
    }

    /** Adds one element's row; sends the rows so far when enough have piled up. */
    void add(T element) throws SQLException {
        List<?> values = row.apply(element);
        if (values == null || values.size() != columns.size()) {
            throw new IllegalArgumentException("the row function gave " + (values == null ? "null" : values.size() + " values " + values)
                    + " for " + element + "; expected " + columns.size() + " values, for columns " + columns);
        }
        for (int i = 0; i < values.size(); i++) {
            Object value = values.get(i);
            if (value == null) {
                // setObject(i, null) is not portable across drivers; setNull with an unknown type is.
                statement.setNull(i + 1, Types.NULL);
            } else {
                statement.setObject(i + 1, value);
            }
        }
        statement.addBatch();
        if (++pending == ROWS_PER_ROUND_TRIP) {
            flush();
        }
    }

    /** Sends the rows not sent yet. */
    void flush() throws SQLException {
        if (pending > 0) {
            statement.executeBatch();
            pending = 0;
        }
    }

    @Override
    public void close() throws SQLException {
        statement.close();
    }
}
