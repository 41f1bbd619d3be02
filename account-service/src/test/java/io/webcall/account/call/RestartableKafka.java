package io.webcall.account.call;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.webcall.infra.EmbeddedKafkaBroker;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A real Kafka broker for the call-record tests that a test can stop and start again on the same
 * port with the same log directory (topics, messages and committed offsets survive), the way a
 * broker restart looks to the service's consumer.
 */
public class RestartableKafka implements QuarkusTestResourceLifecycleManager {

    private static EmbeddedKafkaBroker broker;
    private static Path directory;
    private static int port;

    @Override
    public synchronized Map<String, String> start() {
        try {
            if (broker == null) {
                directory = Files.createTempDirectory("call-records-kafka-");
                broker = EmbeddedKafkaBroker.start(directory, 0);
                String servers = broker.bootstrapServers();
                port = Integer.parseInt(servers.substring(servers.lastIndexOf(':') + 1));
            }
            return Map.of("kafka.bootstrap.servers", broker.bootstrapServers());
        } catch (Exception e) {
            throw new IllegalStateException("Kafka for tests did not start", e);
        }
    }

    public static synchronized String bootstrapServers() {
        return broker.bootstrapServers();
    }

    /** Stops the broker (controlled shutdown). */
    public static synchronized void stopBroker() throws Exception {
        broker.close();
    }

    /** Starts it again on the same port and directory. */
    public static synchronized void startBroker() throws Exception {
        broker = EmbeddedKafkaBroker.start(directory, port);
    }

    @Override
    public synchronized void stop() {
        try {
            if (broker != null) {
                broker.close();
                broker = null;
            }
        } catch (Exception ignored) {
            // the test JVM is ending
        }
    }
}
