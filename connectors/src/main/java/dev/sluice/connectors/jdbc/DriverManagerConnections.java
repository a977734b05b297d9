package dev.sluice.connectors.jdbc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/** {@link ConnectionFactory#of}: connections from {@link DriverManager}. */
final class DriverManagerConnections implements ConnectionFactory {

    private final String url;
    private final String user;
    private final String password;

    DriverManagerConnections(String url, String user, String password) {
        this.url = url;
        this.user = user;
        this.password = password;
    }

    @Override
    public Connection open() throws SQLException {
        // Properties rather than getConnection(url, user, password): a null user or password
        // must mean "not given" (the URL may carry them), and Properties rejects null values.
        Properties props = new Properties();
        if (user != null) {
            props.setProperty("user", user);
        }
        if (password != null) {
            props.setProperty("password", password);
        }
        return DriverManager.getConnection(url, props);
    }

    @Override
    public String toString() {
        // Never the password: this ends up in logs and error messages.
        return "DriverManager(" + url + (user == null ? "" : ", user " + user) + ")";
    }
}
