package io.webcall.local;

import io.webcall.infra.EmbeddedKafkaBroker;
import io.webcall.infra.EmbeddedPostgresServer;

/**
 * The stack's embedded infrastructure: PostgreSQL with one database per service, then a single-node
 * Kafka broker, both with their data in the data directory; stopped in the reverse order.
 */
final class Infrastructure {

    private final Progress progress;
    private EmbeddedPostgresServer postgres;
    private EmbeddedKafkaBroker kafka;

    Infrastructure(Progress progress) {
        this.progress = progress;
    }

    /**
     * Kafka and PostgreSQL log through SLF4J (simple binding); their messages go to
     * {@code logs/infra.log} unless the embedding program configured SLF4J already.
     */
    static void routeLogs(DataDirectory data) {
        if (System.getProperty("org.slf4j.simpleLogger.logFile") == null) {
            System.setProperty("org.slf4j.simpleLogger.logFile", data.log("infra").toString());
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
            System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
        }
    }

    /**
     * Starts PostgreSQL (after stopping one an earlier run left on the data directory) and creates the
     * services' databases, hands it to the watchdog, then starts Kafka.
     */
    void start(DataDirectory data, Ports ports, Watchdog watchdog) throws Exception {
        StalePostmaster.stopIfRunning(data.postgres())
                .ifPresent(pid -> progress.line("stopped a PostgreSQL server left running by an earlier run (pid " + pid + ")"));
        postgres = progress.step("starting PostgreSQL", "ready", () -> {
            EmbeddedPostgresServer server = EmbeddedPostgresServer.start(data.postgres(), ports.postgres());
            for (Service service : Service.values()) {
                server.createDatabase(service.database());
            }
            return server;
        });
        watchdog.watchPostgres(data.postgres());
        kafka = progress.step("starting Kafka", "ready", () -> EmbeddedKafkaBroker.start(data.kafka(), ports.kafka()));
    }

    /** JDBC URL of a service's database (user and password {@code postgres}). */
    String jdbcUrl(Service service) {
        return postgres.jdbcUrl(service.database());
    }

    String kafkaBootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** Stops Kafka, then PostgreSQL (whichever of them was started). */
    void stop() {
        if (kafka != null) {
            progress.stopQuietly("stopping Kafka", kafka::close);
        }
        if (postgres != null) {
            progress.stopQuietly("stopping PostgreSQL", postgres::close);
        }
    }
}
