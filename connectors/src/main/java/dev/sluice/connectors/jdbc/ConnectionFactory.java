package dev.sluice.connectors.jdbc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Objects;

/**
 * Opens a database connection. The sink opens one per batch and closes it when the batch is
 * written, so a factory backed by a connection pool (for example {@code pool::getConnection})
 * reuses connections across batches.
 */
@FunctionalInterface
public interface ConnectionFactory {

    /** A new (or pooled) connection; the caller closes it. */
    Connection open() throws SQLException;

    /**
     * A factory that asks {@link DriverManager} for a connection, so any JDBC 4 driver on the
     * classpath works without naming its class.
     *
     * @param url      a JDBC URL such as {@code jdbc:postgresql://db:5432/app}
     * @param user     the user name, or {@code null} to leave it to the URL
     * @param password the password, or {@code null} for none
     */
    static ConnectionFactory of(String url, String user, String password) {
        Objects.requireNonNull(url, "url");
        return new DriverManagerConnections(url, user, password);
    }
}
