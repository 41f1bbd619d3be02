package io.webcall.infra;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real single-node Kafka broker (KRaft, combined broker + controller) running in this JVM.
 * <p>
 * Two flavours:
 * <ul>
 *   <li>{@link #start()}: a throw-away broker for tests, built on Kafka's own test kit
 *       ({@code KafkaClusterTestKit}) on a free port with a temporary directory;</li>
 *   <li>{@link #start(Path, int)}: a broker with a fixed (or free) port on 127.0.0.1 and a log
 *       directory that survives restarts, for the local stack. It runs Kafka's production server
 *       class ({@code KafkaRaftServer}, what {@code kafka-server-start.sh} runs) on a directory
 *       formatted once the way {@code kafka-storage.sh format} does. The test kit cannot do this: it
 *       generates new directory ids on every build and formats its directories each time.</li>
 * </ul>
 * Kafka's server classes are internal APIs; this class is the only place in the project that
 * touches them.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final int NODE_ID = 1;
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final String CLIENT_LISTENER = "PLAINTEXT";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    private final KafkaClusterTestKit cluster;
    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private final Path temporaryDirectory;

    private EmbeddedKafkaBroker(KafkaClusterTestKit cluster, KafkaRaftServer server, String bootstrapServers,
                                Path temporaryDirectory) {
        this.cluster = cluster;
        this.server = server;
        this.bootstrapServers = bootstrapServers;
        this.temporaryDirectory = temporaryDirectory;
    }

    private static final System.Logger LOG = System.getLogger(EmbeddedKafkaBroker.class.getName());

    /**
     * An embedded broker must never end the process that hosts it. Kafka's server code calls
     * {@code Exit.halt(1)} on fatal errors — for instance when its log directories disappear, which
     * happens at JVM exit when the test kit's own shutdown hook deletes its temporary directories
     * while the broker is still closing. Here that becomes a logged warning: the host (a test JVM or
     * the local-stack launcher) decides its own exit status.
     */
    private static void keepHostProcessAlive() {
        Exit.setHaltProcedure((code, message) ->
                LOG.log(System.Logger.Level.WARNING, "embedded Kafka asked to halt the process ({0}): {1}", code, message));
        Exit.setExitProcedure((code, message) ->
                LOG.log(System.Logger.Level.WARNING, "embedded Kafka asked to exit the process ({0}): {1}", code, message));
    }

    /** Starts a broker on a free loopback port with a temporary log directory. */
    public static EmbeddedKafkaBroker start() throws Exception {
        keepHostProcessAlive();
        TestKitNodes nodes = new TestKitNodes.Builder()
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1)
                .build();
        KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(nodes)
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("auto.create.topics.enable", "true")
                .setConfigProp("num.partitions", "3")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
        return new EmbeddedKafkaBroker(cluster, null, cluster.bootstrapServers(), null);
    }

    /**
     * Starts a broker listening on {@code 127.0.0.1:port} whose topics, offsets and metadata live in
     * {@code logDirectory} and are there again on the next start with the same directory.
     *
     * @param logDirectory where the broker keeps its data; formatted on first use. {@code null} for a
     *                     temporary directory deleted on {@link #close()}.
     * @param port         client port on 127.0.0.1; 0 picks a free one.
     */
    public static EmbeddedKafkaBroker start(Path logDirectory, int port) throws Exception {
        keepHostProcessAlive();
        Path temporary = logDirectory == null ? Files.createTempDirectory("kafka-") : null;
        Path directory = (logDirectory == null ? temporary : logDirectory).toAbsolutePath();
        Files.createDirectories(directory);
        int clientPort = port > 0 ? port : freePort();
        // The controller listener is internal to this process: a new free port each start is fine,
        // the static voter set is configuration and is not stored in the log.
        int controllerPort = freePort();
        Map<String, Object> config = serverConfig(directory, clientPort, controllerPort);
        if (!Files.exists(directory.resolve("meta.properties"))) {
            format(directory);
        }
        KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(config, false), Time.SYSTEM);
        String bootstrap = "127.0.0.1:" + clientPort;
        try {
            server.startup();
            awaitReady(bootstrap);
        } catch (Exception | Error e) {
            shutdown(server);
            if (temporary != null) {
                deleteRecursively(temporary);
            }
            throw e;
        }
        return new EmbeddedKafkaBroker(null, server, bootstrap, temporary);
    }

    private static Map<String, Object> serverConfig(Path directory, int clientPort, int controllerPort) {
        Map<String, Object> config = new HashMap<>();
        config.put("process.roles", "broker,controller");
        config.put("node.id", Integer.toString(NODE_ID));
        config.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
        config.put("listeners", CLIENT_LISTENER + "://127.0.0.1:" + clientPort + ","
                + CONTROLLER_LISTENER + "://127.0.0.1:" + controllerPort);
        config.put("advertised.listeners", CLIENT_LISTENER + "://127.0.0.1:" + clientPort);
        config.put("listener.security.protocol.map", CLIENT_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        config.put("inter.broker.listener.name", CLIENT_LISTENER);
        config.put("controller.listener.names", CONTROLLER_LISTENER);
        config.put("log.dirs", directory.toString());
        config.put("metadata.log.dir", directory.toString());
        // one node: every internal topic has a single replica
        config.put("offsets.topic.replication.factor", "1");
        config.put("offsets.topic.num.partitions", "10");
        config.put("transaction.state.log.replication.factor", "1");
        config.put("transaction.state.log.min.isr", "1");
        config.put("share.coordinator.state.topic.replication.factor", "1");
        config.put("share.coordinator.state.topic.min.isr", "1");
        config.put("auto.create.topics.enable", "true");
        config.put("num.partitions", "3");
        config.put("group.initial.rebalance.delay.ms", "0");
        // compacted topics need the cleaner; its default 128 MiB dedupe buffer is far more than a laptop needs
        config.put("log.cleaner.dedupe.buffer.size", Integer.toString(2 * 1024 * 1024));
        config.put("log.cleaner.threads", "1");
        return config;
    }

    /** What {@code kafka-storage.sh format} does for a combined node with a static voter set. */
    private static void format(Path directory) throws Exception {
        new Formatter()
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                .setNodeId(NODE_ID)
                .setClusterId(Uuid.randomUuid().toString())
                .setDirectories(List.of(directory.toString()))
                .setMetadataLogDirectory(directory.toString())
                .setControllerListenerName(CONTROLLER_LISTENER)
                .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                .setIgnoreFormatted(true)
                .run();
    }

    private static void awaitReady(String bootstrap) throws Exception {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000",
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000"))) {
            Exception last = null;
            while (System.nanoTime() < deadline) {
                try {
                    if (!admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (Exception e) {
                    last = e;
                }
                Thread.sleep(100);
            }
            throw new IllegalStateException("Kafka broker at " + bootstrap + " not ready after " + READY_TIMEOUT, last);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void shutdown(KafkaRaftServer server) {
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException ignored) {
            // already failed or stopped
        }
    }

    private static void deleteRecursively(Path root) {
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code host:port} list for Kafka clients. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Stops the broker (a controlled shutdown: the log is clean for the next start). */
    @Override
    public void close() throws Exception {
        if (cluster != null) {
            cluster.close();
            return;
        }
        shutdown(server);
        if (temporaryDirectory != null) {
            deleteRecursively(temporaryDirectory);
        }
    }
}
