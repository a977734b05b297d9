package dev.sluice.connectors.jdbc;

/**
 * A batch could not be written. The batch's transaction was rolled back, so nothing of it is
 * in the database and the batch is not recorded as written: running it again writes it once.
 */
public class JdbcSinkException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String sinkName;
    private final String table;
    private final long batchTimeMs;
    private final String sqlState;

    /**
     * @param sqlState the SQLSTATE of the database error, or {@code null} if the failure did not
     *                 come from the database (for example the row function threw)
     */
    public JdbcSinkException(String sinkName, String table, long batchTimeMs, String sqlState, String detail,
                             Throwable cause) {
        super("JDBC sink '" + sinkName + "' could not write batch " + batchTimeMs + " to table " + table
                + " (SQL state " + (sqlState == null ? "none" : sqlState) + "): " + detail, cause);
        this.sinkName = sinkName;
        this.table = table;
        this.batchTimeMs = batchTimeMs;
        this.sqlState = sqlState;
    }

    /** The sink's name, as recorded in the progress table. */
    public String sinkName() {
        return sinkName;
    }

    /** The table the batch was for, as given to the sink. */
    public String table() {
        return table;
    }

    /** The time of the batch that failed. */
    public long batchTimeMs() {
        return batchTimeMs;
    }

    /** The database's SQLSTATE (such as {@code 23502}, {@code 28P01}, {@code 08001}), or {@code null}. */
    public String sqlState() {
        return sqlState;
    }
}
