package ikg.neo4jserver;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.ConnectorPortRegister;
import org.neo4j.configuration.connectors.ConnectorType;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.io.ByteUnit;
import org.neo4j.kernel.internal.GraphDatabaseAPI;

/**
 * A Neo4j 5 (Community) server embedded in this JVM, with only the Bolt connector, on 127.0.0.1.
 *
 * <p>Usage: {@code Launcher DATA_DIR [PORT]}. The port comes from the argument, else {@code NEO4J_PORT}, else
 * 7687; 0 lets the OS pick a free port (the READY line tells which). Authentication is on: the password of user
 * {@code neo4j} comes from {@code NEO4J_PASSWORD} (required) and is set on every start.
 *
 * <p>Prints exactly one line {@code READY bolt://127.0.0.1:PORT} on stdout once Bolt accepts connections and the
 * password is set; Neo4j's own logs go to DATA_DIR/logs. Exits with 1 on any start-up failure (the reason goes
 * to stderr). SIGTERM shuts the databases down cleanly.
 */
public final class Launcher {
    private static final String HOST = "127.0.0.1";

    private Launcher() {}

    public static void main(String[] args) {
        // Keep stdout for the READY line: anything a library prints to stdout goes to stderr instead.
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        System.setOut(System.err);
        try {
            run(args, out);
        } catch (Throwable t) {
            System.err.println("neo4j test server failed to start: " + t);
            t.printStackTrace(System.err);
            System.exit(1);
        }
    }

    private static void run(String[] args, PrintStream out) throws Exception {
        if (args.length < 1 || args.length > 2) {
            throw new IllegalArgumentException("usage: Launcher DATA_DIR [PORT]");
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        int port = parsePort(args.length > 1 ? args[1] : System.getenv().getOrDefault("NEO4J_PORT", "7687"));
        String password = System.getenv("NEO4J_PASSWORD");
        if (password == null || password.isEmpty()) {
            throw new IllegalArgumentException("NEO4J_PASSWORD must be set (the password of user neo4j)");
        }
        Files.createDirectories(home);

        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress(HOST, port))
                .setConfig(BoltConnector.advertised_address, new SocketAddress(HOST, port))
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .setConfig(HttpConnector.enabled, false)
                .setConfig(HttpsConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                .setConfig(GraphDatabaseSettings.auth_minimum_password_length, 1)
                // Tests try wrong passwords on purpose: never lock the user out after failed attempts.
                .setConfig(GraphDatabaseSettings.auth_max_failed_attempts, 0)
                .setConfig(GraphDatabaseSettings.udc_enabled, false)
                .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(128))
                // Bounds a hostile read cannot pass (tests/test_hostile_queries.py): the memory of one
                // transaction (db.memory.transaction.max) and of all (dbms.memory.transaction.total.max),
                // well inside the 512 MB heap, so a huge UNWIND or product fails alone instead of taking
                // the server down; and a timeout for a transaction that sets none (db.transaction.timeout).
                .setConfig(GraphDatabaseSettings.memory_transaction_max_size, ByteUnit.mebiBytes(128))
                .setConfig(GraphDatabaseSettings.memory_transaction_global_max_size, ByteUnit.mebiBytes(256))
                .setConfig(GraphDatabaseSettings.transaction_timeout, Duration.ofMinutes(10))
                .setConfig(GraphDatabaseSettings.logs_directory, home.resolve("logs"))
                .build();

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                dbms.shutdown();
            } catch (Throwable t) {
                System.err.println("neo4j test server: error during shutdown: " + t);
            } finally {
                stopped.countDown();
            }
        }, "neo4j-test-server-shutdown"));

        // Embedded transactions run with full rights, so the system database can set the password of the
        // built-in user neo4j (the Cypher equivalent of `neo4j-admin dbms set-initial-password`).
        setPassword(dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME), password);

        GraphDatabaseService neo4j = dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
        int boltPort = ((GraphDatabaseAPI) neo4j).getDependencyResolver()
                .resolveDependency(ConnectorPortRegister.class)
                .getLocalAddress(ConnectorType.BOLT)
                .getPort();
        waitForPort(boltPort);
        out.println("READY bolt://" + HOST + ":" + boltPort);

        stopped.await();
    }

    private static void setPassword(GraphDatabaseService system, String password) {
        String alter = "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED";
        try {
            system.executeTransactionally(alter, Map.of("password", password));
        } catch (RuntimeException e) {
            // Neo4j refuses a "new" password equal to the old one, which happens when a kept data directory
            // is started again with the same NEO4J_PASSWORD: go through a random one.
            String temporary = UUID.randomUUID().toString();
            system.executeTransactionally(alter, Map.of("password", temporary));
            system.executeTransactionally(alter, Map.of("password", password));
        }
    }

    private static int parsePort(String text) {
        int port = Integer.parseInt(text.trim());
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        return port;
    }

    private static void waitForPort(int port) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (true) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(HOST, port), 1000);
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("Bolt did not accept connections on " + HOST + ":" + port, e);
                }
                Thread.sleep(100);
            }
        }
    }
}
