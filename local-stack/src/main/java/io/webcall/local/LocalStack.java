package io.webcall.local;

import io.webcall.infra.EmbeddedKafkaBroker;
import io.webcall.infra.EmbeddedPostgresServer;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The whole platform on loopback: embedded PostgreSQL, an embedded single-node Kafka broker and
 * the three services as child JVMs, with the demo tenant seeded. What {@code ./run-local.sh}
 * runs, and what tests use to get a complete stack:
 * <pre>{@code
 * try (LocalStack stack = LocalStack.builder().dataDir(tmp).ports(Ports.free()).start()) {
 *     URI account = stack.accountUrl();
 *     ...
 * }
 * }</pre>
 * {@link #close()} stops the services first, then Kafka, then PostgreSQL. If this JVM dies
 * without closing, a watchdog process stops the services and PostgreSQL.
 */
public final class LocalStack implements AutoCloseable {

    private final Builder config;
    private final Progress progress;
    private final DataDirectory data;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Map<Service, ServiceProcess> services = Collections.synchronizedMap(new EnumMap<>(Service.class));

    private Ports ports;
    private Secrets secrets;
    private Watchdog watchdog;
    private EmbeddedPostgresServer postgres;
    private EmbeddedKafkaBroker kafka;
    private String demoTenantId;
    private volatile boolean closed;

    private LocalStack(Builder config) {
        this.config = config;
        this.progress = new Progress(config.output);
        this.data = new DataDirectory(config.dataDir != null ? config.dataDir : config.repositoryRoot.resolve(".local-data"));
    }

    public static Builder builder() {
        return new Builder();
    }

    private void start() throws Exception {
        long begin = System.nanoTime();
        data.lock();
        if (config.reset) {
            progress.line("wiping " + data.root());
            data.wipe();
        }
        routeInfrastructureLogs();
        secrets = Secrets.loadOrCreate(data.secrets(), data.adminApiKeyFile());
        ports = FreePorts.resolve(config.ports);
        EdgeCertificate.ensure(data.edgeKeyStore(), secrets.keyStorePassword());
        watchdog = Watchdog.start();

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

        startService(Service.ACCOUNT);
        // the relay and the edge do not depend on each other: start both, then wait for each
        launch(Service.RELAY);
        launch(Service.SIGNALING);
        awaitReady(Service.RELAY);
        awaitReady(Service.SIGNALING);

        demoTenantId = progress.step("seeding demo tenant " + DemoSeeder.DEMO_DOMAIN, "done",
                () -> new DemoSeeder(adminClient()).seed(config.pbx));
        progress.line("all parts up in " + Progress.seconds(begin));
    }

    private void startService(Service service) throws Exception {
        launch(service);
        awaitReady(service);
    }

    private void launch(Service service) throws IOException {
        Map<String, String> properties = new LinkedHashMap<>(ServiceSettings.of(service, ports, secrets,
                postgres.jdbcUrl(service.database()), kafka.bootstrapServers(),
                service.usesDatabase(config.repositoryRoot), data.edgeKeyStore()));
        properties.putAll(config.serviceProperties.getOrDefault(service, Map.of()));
        Path built = service.jar(config.repositoryRoot);
        if (!Files.isRegularFile(built)) {
            throw new ServiceStartException(service, "is not built: " + built
                    + " is missing (run ./run-local.sh, which builds it, or ./mvnw -DskipTests install)", List.of());
        }
        Path jar = AppSnapshot.of(built.getParent(), data.apps().resolve(service.module()));
        ServiceProcess process = ServiceProcess.launch(service, jar, properties,
                config.jvmOptions, service.httpPort(ports), data.freshLog(service.module()));
        services.put(service, process);
        watchdog.watchService(process.pid());
    }

    private void awaitReady(Service service) throws Exception {
        ServiceProcess process = services.get(service);
        progress.step("starting " + service.module(), "ready", () -> {
            process.awaitReady(http, config.healthTimeout);
            return null;
        });
    }

    /**
     * Kafka and PostgreSQL log through SLF4J (simple binding); their messages go to
     * {@code logs/infra.log} unless the embedding program configured SLF4J already.
     */
    private void routeInfrastructureLogs() {
        if (System.getProperty("org.slf4j.simpleLogger.logFile") == null) {
            System.setProperty("org.slf4j.simpleLogger.logFile", data.log("infra").toString());
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
            System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
        }
    }

    // ---- handles ------------------------------------------------------------------------------

    /** The ports in use (free ports resolved). */
    public Ports ports() {
        return ports;
    }

    public Path dataDir() {
        return data.root();
    }

    /** The operator key of the account service (also in {@code <data>/admin-api-key}). */
    public String adminApiKey() {
        return secrets.adminApiKey();
    }

    /** Bearer token the services present to each other ({@code webcall.internal.token}). */
    public String internalToken() {
        return secrets.internalToken();
    }

    /** Base URL of the account service, e.g. {@code http://127.0.0.1:8081/}. */
    public URI accountUrl() {
        return URI.create("http://127.0.0.1:" + ports.account() + "/");
    }

    /** The account service's OpenAPI document. */
    public URI openApiUrl() {
        return accountUrl().resolve("/q/openapi");
    }

    /** The softphone page served by the signaling edge, e.g. {@code http://127.0.0.1:8080/}. */
    public URI softphoneUrl() {
        return URI.create("http://127.0.0.1:" + ports.edgeHttp() + "/");
    }

    /** SIP over WebSocket, e.g. {@code ws://127.0.0.1:8080/sip}. */
    public URI sipWebSocketUrl() {
        return URI.create("ws://127.0.0.1:" + ports.edgeHttp() + "/sip");
    }

    /** SIP over secure WebSocket (self-signed certificate). */
    public URI sipSecureWebSocketUrl() {
        return URI.create("wss://127.0.0.1:" + ports.edgeWss() + "/sip");
    }

    /** Base URL of the media relay's control API, e.g. {@code http://127.0.0.1:8082/}. */
    public URI relayUrl() {
        return URI.create("http://127.0.0.1:" + ports.relayControl() + "/");
    }

    /** The health endpoint of a service. */
    public URI healthUrl(Service service) {
        return URI.create("http://127.0.0.1:" + service.httpPort(ports) + "/q/health");
    }

    public String kafkaBootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** JDBC URL of a service's database (user and password {@code postgres}). */
    public String jdbcUrl(Service service) {
        return postgres.jdbcUrl(service.database());
    }

    /** The demo tenant's SIP domain, {@code demo.localhost}. */
    public String demoDomain() {
        return DemoSeeder.DEMO_DOMAIN;
    }

    public String demoTenantId() {
        return demoTenantId;
    }

    public List<String> demoUsers() {
        return DemoSeeder.DEMO_USERS;
    }

    public String demoPassword() {
        return DemoSeeder.DEMO_PASSWORD;
    }

    public Optional<PbxTrunk> pbx() {
        return Optional.ofNullable(config.pbx);
    }

    /** A client for the account service's operator API. */
    public AccountAdminClient adminClient() {
        return new AccountAdminClient(http, accountUrl(), secrets.adminApiKey());
    }

    /** The log file of a service. */
    public Path logFile(Service service) {
        return data.log(service.module());
    }

    /** Services whose process has exited although the stack was not closed. */
    public List<Service> exitedServices() {
        List<Service> exited = new ArrayList<>();
        if (closed) {
            return exited;
        }
        synchronized (services) {
            services.forEach((service, process) -> {
                if (!process.isAlive()) {
                    exited.add(service);
                }
            });
        }
        return exited;
    }

    /** Process ids of the running services and of the PostgreSQL server. */
    List<Long> pids() {
        List<Long> pids = new ArrayList<>();
        synchronized (services) {
            services.values().forEach(process -> pids.add(process.pid()));
        }
        try {
            pids.add(Long.parseLong(Files.readAllLines(data.postgres().resolve("postmaster.pid")).get(0).trim()));
        } catch (IOException | RuntimeException e) {
            // PostgreSQL is not running
        }
        return pids;
    }

    // ---- shutdown -----------------------------------------------------------------------------

    /** Stops the services (edge, relay, account), then Kafka, then PostgreSQL. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<Service> order = new ArrayList<>(List.of(Service.values()));
        Collections.reverse(order);
        for (Service service : order) {
            ServiceProcess process = services.get(service);
            if (process != null && process.isAlive()) {
                quietly("stopping " + service.module(), process::stop);
            }
        }
        if (kafka != null) {
            quietly("stopping Kafka", kafka::close);
        }
        if (postgres != null) {
            quietly("stopping PostgreSQL", postgres::close);
        }
        if (watchdog != null) {
            watchdog.close();
        }
        data.close();
    }

    private interface Stop {
        void run() throws Exception;
    }

    private void quietly(String what, Stop stop) {
        try {
            progress.step(what, "stopped", () -> {
                stop.run();
                return null;
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            progress.line("  " + e);
        }
    }

    // ---- configuration ------------------------------------------------------------------------

    /** Options of a local stack; every one has a default. */
    public static final class Builder {
        private Path repositoryRoot = RepositoryRoot.find();
        private Path dataDir;
        private Ports ports = Ports.defaults();
        private PbxTrunk pbx;
        private boolean reset;
        private Duration healthTimeout = Duration.ofSeconds(180);
        private PrintStream output = System.out;
        private List<String> jvmOptions = List.of("-Xmx512m", "-XX:+ExitOnOutOfMemoryError");
        private final Map<Service, Map<String, String>> serviceProperties = new EnumMap<>(Service.class);

        private Builder() {
        }

        /** Where the services' modules are built (default: found from the working directory upwards). */
        public Builder repositoryRoot(Path root) {
            this.repositoryRoot = root.toAbsolutePath().normalize();
            return this;
        }

        /** Where data, logs and secrets live (default {@code <repository>/.local-data}). */
        public Builder dataDir(Path dir) {
            this.dataDir = dir;
            return this;
        }

        /** Every port; 0 = a free one (see {@link Ports#free()}). */
        public Builder ports(Ports ports) {
            this.ports = ports;
            return this;
        }

        /** The demo tenant's PBX, {@code sip:HOST:PORT}; null for none. */
        public Builder pbx(String uri) {
            this.pbx = uri == null ? null : PbxTrunk.parse(uri);
            return this;
        }

        public Builder pbx(PbxTrunk trunk) {
            this.pbx = trunk;
            return this;
        }

        /** Wipe the data directory first. */
        public Builder reset(boolean reset) {
            this.reset = reset;
            return this;
        }

        /** How long a service may take to become ready (default 180 s). */
        public Builder healthTimeout(Duration timeout) {
            this.healthTimeout = timeout;
            return this;
        }

        /** Where progress goes (default standard output). */
        public Builder output(PrintStream out) {
            this.output = out;
            return this;
        }

        /** JVM options of every service (default {@code -Xmx512m -XX:+ExitOnOutOfMemoryError}). */
        public Builder jvmOptions(List<String> options) {
            this.jvmOptions = List.copyOf(options);
            return this;
        }

        /** An extra {@code -D} setting of one service, overriding the launcher's own. */
        public Builder serviceProperty(Service service, String key, String value) {
            serviceProperties.computeIfAbsent(service, s -> new LinkedHashMap<>()).put(key, value);
            return this;
        }

        /**
         * Starts everything and waits until all is ready and seeded. On failure, whatever was started
         * is stopped again before the exception is thrown ({@link ServiceStartException} carries the
         * failing service's log tail).
         */
        public LocalStack start() throws Exception {
            if (!Files.isDirectory(repositoryRoot.resolve("local-stack"))) {
                throw new IllegalStateException(repositoryRoot + " is not the webcall repository (no local-stack folder)");
            }
            LocalStack stack = new LocalStack(this);
            try {
                stack.start();
                return stack;
            } catch (Exception | Error e) {
                stack.close();
                throw e;
            }
        }
    }
}
