package io.webcall.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 * <p>
 * This class puts the parts together in order and tells where everything is; the options are
 * {@link LocalStackBuilder}'s, the infrastructure is {@link Infrastructure}, the services are started
 * by {@link ServiceLauncher}.
 */
public final class LocalStack implements AutoCloseable {

    private final LocalStackBuilder config;
    private final Progress progress;
    private final DataDirectory data;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Infrastructure infrastructure;

    private Ports ports;
    private Secrets secrets;
    private Watchdog watchdog;
    private ServiceLauncher services;
    private String demoTenantId;
    private volatile boolean closed;

    LocalStack(LocalStackBuilder config) {
        this.config = config;
        this.progress = new Progress(config.output());
        this.data = new DataDirectory(config.dataDirOrDefault());
        this.infrastructure = new Infrastructure(progress);
    }

    public static LocalStackBuilder builder() {
        return new LocalStackBuilder();
    }

    void start() throws Exception {
        long begin = System.nanoTime();
        data.lock();
        if (config.reset()) {
            progress.line("wiping " + data.root());
            data.wipe();
        }
        Infrastructure.routeLogs(data);
        secrets = Secrets.loadOrCreate(data.secrets(), data.adminApiKeyFile());
        ports = FreePorts.resolve(config.ports());
        EdgeCertificate.ensure(data.edgeKeyStore(), secrets.keyStorePassword());
        watchdog = Watchdog.start();

        infrastructure.start(data, ports, watchdog);
        services = new ServiceLauncher(config, data, progress, http, watchdog);
        services.startAll(ports, secrets, infrastructure);

        demoTenantId = progress.step("seeding demo tenant " + DemoSeeder.DEMO_DOMAIN, "done",
                () -> new DemoSeeder(adminClient()).seed(config.pbx()));
        progress.line("all parts up in " + Progress.seconds(begin));
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
        return infrastructure.kafkaBootstrapServers();
    }

    /** JDBC URL of a service's database (user and password {@code postgres}). */
    public String jdbcUrl(Service service) {
        return infrastructure.jdbcUrl(service);
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
        return Optional.ofNullable(config.pbx());
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
        if (closed || services == null) {
            return new ArrayList<>();
        }
        return services.exited();
    }

    /** Process ids of the running services and of the PostgreSQL server. */
    List<Long> pids() {
        List<Long> pids = services == null ? new ArrayList<>() : services.pids();
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
        if (services != null) {
            services.stopAll();
        }
        infrastructure.stop();
        if (watchdog != null) {
            watchdog.close();
        }
        data.close();
    }
}
