package io.webcall.infra.test;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.webcall.infra.EmbeddedPostgresServer;
import io.webcall.infra.InfraMode;
import org.testcontainers.postgresql.PostgreSQLContainer;

import java.util.Map;

/**
 * Gives a Quarkus test a real PostgreSQL: the embedded server by default, a container where a
 * Docker engine exists (see {@link InfraMode}). One server per test JVM, shared by every test
 * class; each service gets its own database (init arg {@code database}, default {@code webcall}).
 * <pre>{@code @QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "account"))}</pre>
 */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {

    private static EmbeddedPostgresServer embedded;
    private static PostgreSQLContainer container;

    private String database = "webcall";

    @Override
    public void init(Map<String, String> initArgs) {
        database = initArgs.getOrDefault("database", database);
    }

    @Override
    public Map<String, String> start() {
        try {
            return switch (InfraMode.current()) {
                case EMBEDDED -> startEmbedded();
                case CONTAINERS -> startContainer();
            };
        } catch (Exception e) {
            throw new IllegalStateException("PostgreSQL for tests did not start", e);
        }
    }

    private synchronized Map<String, String> startEmbedded() throws Exception {
        if (embedded == null) {
            embedded = EmbeddedPostgresServer.start(null, 0);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    embedded.close();
                } catch (Exception ignored) {
                    // the JVM is exiting
                }
            }));
        }
        return Map.of(
                "quarkus.datasource.jdbc.url", embedded.createDatabase(database),
                "quarkus.datasource.username", EmbeddedPostgresServer.USER,
                "quarkus.datasource.password", EmbeddedPostgresServer.PASSWORD,
                "quarkus.datasource.devservices.enabled", "false");
    }

    private synchronized Map<String, String> startContainer() {
        if (container == null) {
            container = new PostgreSQLContainer("postgres:18-alpine").withDatabaseName(database);
            container.start();
        }
        return Map.of(
                "quarkus.datasource.jdbc.url", container.getJdbcUrl(),
                "quarkus.datasource.username", container.getUsername(),
                "quarkus.datasource.password", container.getPassword(),
                "quarkus.datasource.devservices.enabled", "false");
    }

    @Override
    public void stop() {
        // Shared for the whole test JVM; stopped by the shutdown hook (embedded) or Ryuk (containers).
    }
}
