package io.webcall.infra.test;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.webcall.infra.EmbeddedKafkaBroker;
import io.webcall.infra.InfraMode;
import org.testcontainers.kafka.KafkaContainer;

import java.util.Map;

/**
 * Gives a Quarkus test a real Kafka broker: the embedded KRaft broker by default, a container where
 * a Docker engine exists (see {@link InfraMode}). One broker per test JVM. Sets
 * {@code kafka.bootstrap.servers}; {@link #bootstrapServers()} gives it to test code.
 */
public class KafkaTestResource implements QuarkusTestResourceLifecycleManager {

    private static EmbeddedKafkaBroker embedded;
    private static KafkaContainer container;
    private static String bootstrapServers;

    @Override
    public synchronized Map<String, String> start() {
        if (bootstrapServers == null) {
            try {
                bootstrapServers = switch (InfraMode.current()) {
                    case EMBEDDED -> {
                        embedded = EmbeddedKafkaBroker.start();
                        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                            try {
                                embedded.close();
                            } catch (Exception ignored) {
                                // the JVM is exiting
                            }
                        }));
                        yield embedded.bootstrapServers();
                    }
                    case CONTAINERS -> {
                        container = new KafkaContainer("apache/kafka:4.1.1");
                        container.start();
                        yield container.getBootstrapServers();
                    }
                };
            } catch (Exception e) {
                throw new IllegalStateException("Kafka for tests did not start", e);
            }
        }
        return Map.of(
                "kafka.bootstrap.servers", bootstrapServers,
                "quarkus.kafka.devservices.enabled", "false");
    }

    /** The running broker's bootstrap servers, for test code that produces or consumes directly. */
    public static synchronized String bootstrapServers() {
        if (bootstrapServers == null) {
            throw new IllegalStateException("KafkaTestResource has not been started");
        }
        return bootstrapServers;
    }

    @Override
    public void stop() {
        // Shared for the whole test JVM; stopped by the shutdown hook (embedded) or Ryuk (containers).
    }
}
