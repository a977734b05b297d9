package dev.sluice.connectors.jdbc;

import java.sql.BatchUpdateException;
import java.sql.SQLException;

/** Finds what went wrong in an {@link SQLException}: its SQLSTATE and the useful message. */
final class SqlErrors {

    private SqlErrors() {
    }

    /**
     * The first SQLSTATE in the exception, its chained exceptions ({@code getNextException},
     * where drivers put the real error of a failed statement batch) and its causes, or
     * {@code null} if none has one.
     */
    static String state(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                for (SQLException s = sql; s != null; s = s.getNextException()) {
                    if (s.getSQLState() != null) {
                        return s.getSQLState();
                    }
                }
            }
        }
        return null;
    }

    /**
     * The database's own message. For a failed statement batch that is the chained exception's:
     * the batch exception's own message repeats the whole statement with the failing row's
     * values, which is long and puts data in logs.
     */
    static String message(SQLException e) {
        if (e instanceof BatchUpdateException && e.getNextException() != null) {
            return "statement batch failed: " + e.getNextException().getMessage();
        }
        return e.getMessage();
    }
}
