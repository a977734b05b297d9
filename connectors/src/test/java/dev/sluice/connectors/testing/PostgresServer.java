package dev.sluice.connectors.testing;

import dev.sluice.connectors.jdbc.ConnectionFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A throwaway PostgreSQL server for tests: a fresh cluster in a temporary directory, listening
 * on a free port of 127.0.0.1 with trust authentication, with an empty database. {@link #close}
 * stops it and deletes the directory; a shutdown hook does the same if a test run dies first.
 *
 * <p>PostgreSQL refuses to run as root. When the tests run as root (as in CI containers),
 * initdb and pg_ctl run as an unprivileged user through {@code runuser} (or {@code su}): the
 * user in {@code $SLUICE_PG_USER}, else {@code postgres} (created by the Debian package), else
 * {@code nobody}; the temporary directory is handed to that user with {@code chown}. Everything
 * else (writing the configuration, deleting the directory) is done by this process.
 *
 * <p>If no PostgreSQL server programs are installed, {@link #start} fails with a message saying
 * how to install them: a test that needs a database must not pass without one.
 */
public final class PostgresServer implements AutoCloseable {

    /** The superuser initdb creates; trusted, so no password. */
    public static final String SUPERUSER = "postgres";
    /** The database the tests use. */
    public static final String DATABASE = "sluice_test";

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
    private static final int START_ATTEMPTS = 3;

    private final Path binDir;
    private final Path baseDir;
    private final Path dataDir;
    private final Path logFile;
    private final String runAs;
    private final List<String> passwordRoles = new ArrayList<>();
    private final Thread shutdownHook = new Thread(this::stopAndDelete, "postgres-server-cleanup");
    private int port;
    private boolean stopped;

    private PostgresServer(Path binDir, Path baseDir, String runAs) {
        this.binDir = binDir;
        this.baseDir = baseDir;
        this.dataDir = baseDir.resolve("data");
        this.logFile = baseDir.resolve("postgres.log");
        this.runAs = runAs;
    }

    /** Creates, starts and prepares a server; takes about a second. */
    public static PostgresServer start() {
        Path binDir = PostgresBinaries.locate();
        String runAs = isRoot() ? unprivilegedUser() : null;
        PostgresServer server = new PostgresServer(binDir, Scratch.directory("sluice-pg-", "PostgreSQL"), runAs);
        Runtime.getRuntime().addShutdownHook(server.shutdownHook);
        try {
            server.initialize();
            server.startOnFreePort();
            server.createDatabase();
            return server;
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /** The JDBC URL of the test database. */
    public String jdbcUrl() {
        return jdbcUrl(DATABASE);
    }

    /** The port the server listens on, on 127.0.0.1. */
    public int port() {
        return port;
    }

    /** Connections to the test database as the superuser. */
    public ConnectionFactory connections() {
        return ConnectionFactory.of(jdbcUrl(), SUPERUSER, null);
    }

    /** A new connection to the test database as the superuser. */
    public Connection connect() throws SQLException {
        return connections().open();
    }

    /**
     * Creates a login role that must give {@code password} (scram-sha-256) to connect over
     * TCP, unlike everyone else, who is trusted: for testing authentication failures.
     */
    public void createPasswordRole(String role, String password) {
        if (!role.matches("[a-z_][a-z0-9_]*") || password.contains("'")) {
            throw new IllegalArgumentException("use a plain role name and a password without quotes");
        }
        passwordRoles.add(role);
        writeAccessRules();
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), SUPERUSER, null);
             Statement s = c.createStatement()) {
            s.execute("CREATE ROLE " + role + " LOGIN PASSWORD '" + password + "'");
            s.execute("SELECT pg_reload_conf()");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create role " + role + ": " + e.getMessage(), e);
        }
    }

    /** The end of the server's log, for failure messages. */
    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(logFile);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Stops the server and deletes its files. */
    @Override
    public void close() {
        stopAndDelete();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // Called from the hook itself, or the JVM is exiting: nothing to remove.
        }
    }

    private String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    private void initialize() {
        if (runAs != null) {
            // The server's files must belong to the user it runs as.
            OsCommand.check(List.of("chown", "-R", runAs, baseDir.toString()), COMMAND_TIMEOUT);
            OsCommand.Result canWrite = OsCommand.run(OsCommand.as(runAs, List.of("test", "-w", baseDir.toString())), COMMAND_TIMEOUT);
            if (!canWrite.ok()) {
                throw new IllegalStateException("user " + runAs + " cannot reach " + baseDir
                        + " (a parent directory is private to root?); run the tests with -Djava.io.tmpdir=/tmp");
            }
        }
        // --no-sync and fsync=off: a test cluster is thrown away, durability is wasted time.
        pg(List.of(bin("initdb"), "-D", dataDir.toString(), "-U", SUPERUSER, "--auth=trust", "--encoding=UTF8",
                "--locale=C", "--no-sync"));
        Path sockets = baseDir.resolve("sockets");
        append(dataDir.resolve("postgresql.conf"), String.join("\n",
                "",
                "listen_addresses = '127.0.0.1'",
                // The default socket directory (/var/run/postgresql) may be missing or not writable.
                "unix_socket_directories = '" + sockets + "'",
                "fsync = off",
                "synchronous_commit = off",
                "full_page_writes = off",
                "max_connections = 50",
                "shared_buffers = 32MB",
                ""));
        pg(List.of("mkdir", "-p", sockets.toString()));
        writeAccessRules();
    }

    private void writeAccessRules() {
        StringBuilder rules = new StringBuilder("# written by PostgresServer; the first matching line wins\n");
        for (String role : passwordRoles) {
            rules.append("host all ").append(role).append(" 127.0.0.1/32 scram-sha-256\n");
        }
        rules.append("local all all trust\n");
        rules.append("host all all 127.0.0.1/32 trust\n");
        try {
            // Rewriting an existing file keeps its owner, so the server can still read it.
            Files.writeString(dataDir.resolve("pg_hba.conf"), rules);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void startOnFreePort() {
        // The free port can be taken between choosing it and the server binding it; try another then.
        for (int attempt = 1; ; attempt++) {
            port = Scratch.freePort();
            OsCommand.Result r = OsCommand.run(OsCommand.as(runAs, List.of(bin("pg_ctl"), "-D", dataDir.toString(),
                    "-l", logFile.toString(), "-o", "-p " + port, "-w", "-t", "30", "start")), COMMAND_TIMEOUT);
            if (r.ok()) {
                return;
            }
            if (attempt == START_ATTEMPTS || !logTail().contains("could not bind")) {
                throw new IllegalStateException("PostgreSQL did not start:\n" + r.output() + "\nserver log:\n" + logTail());
            }
        }
    }

    private void createDatabase() {
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), SUPERUSER, null);
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + DATABASE);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the test database: " + e.getMessage() + "\n" + logTail(), e);
        }
    }

    private synchronized void stopAndDelete() {
        if (stopped) {
            return;
        }
        stopped = true;
        if (Files.exists(dataDir.resolve("postmaster.pid"))) {
            // Immediate: no clean shutdown checkpoint, since the files are deleted next.
            OsCommand.Result r = OsCommand.run(OsCommand.as(runAs, List.of(bin("pg_ctl"), "-D", dataDir.toString(),
                    "-m", "immediate", "-w", "-t", "30", "stop")), COMMAND_TIMEOUT);
            if (!r.ok()) {
                killPostmaster();
            }
        }
        Scratch.delete(baseDir);
    }

    private void killPostmaster() {
        try {
            String pid = Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim();
            ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
        } catch (IOException | RuntimeException e) {
            // Server already gone.
        }
    }

    private void pg(List<String> command) {
        OsCommand.check(OsCommand.as(runAs, command), COMMAND_TIMEOUT);
    }

    private String bin(String program) {
        return binDir.resolve(program).toString();
    }

    private static void append(Path file, String text) {
        try {
            Files.writeString(file, text, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isRoot() {
        return "0".equals(OsCommand.check(List.of("id", "-u"), COMMAND_TIMEOUT).trim());
    }

    private static String unprivilegedUser() {
        String configured = System.getenv("SLUICE_PG_USER");
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        for (String user : List.of("postgres", "nobody")) {
            if (OsCommand.run(List.of("id", "-u", user), COMMAND_TIMEOUT).ok()) {
                return user;
            }
        }
        throw new IllegalStateException("running as root, and there is no postgres or nobody user to run PostgreSQL as;"
                + " install the postgresql package (it creates postgres) or set SLUICE_PG_USER");
    }



}
