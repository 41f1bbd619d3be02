package io.webcall.local;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Starts each service as a child JVM and keeps track of it: the service gets its settings as
 * {@code -D} properties and runs from a snapshot of its packaged application with a fresh log; it is
 * started when its health check says ready; the services are stopped in the reverse order.
 */
final class ServiceLauncher {

    private final LocalStackBuilder config;
    private final DataDirectory data;
    private final Progress progress;
    private final HttpClient http;
    private final Watchdog watchdog;
    private final Map<Service, ServiceProcess> services = Collections.synchronizedMap(new EnumMap<>(Service.class));

    ServiceLauncher(LocalStackBuilder config, DataDirectory data, Progress progress, HttpClient http, Watchdog watchdog) {
        this.config = config;
        this.data = data;
        this.progress = progress;
        this.http = http;
        this.watchdog = watchdog;
    }

    /** Starts the account service, then the relay and the edge side by side, each until ready. */
    void startAll(Ports ports, Secrets secrets, Infrastructure infrastructure) throws Exception {
        launch(Service.ACCOUNT, ports, secrets, infrastructure);
        awaitReady(Service.ACCOUNT);
        // the relay and the edge do not depend on each other: start both, then wait for each
        launch(Service.RELAY, ports, secrets, infrastructure);
        launch(Service.SIGNALING, ports, secrets, infrastructure);
        awaitReady(Service.RELAY);
        awaitReady(Service.SIGNALING);
    }

    private void launch(Service service, Ports ports, Secrets secrets, Infrastructure infrastructure) throws IOException {
        Map<String, String> properties = new LinkedHashMap<>(ServiceSettings.of(service, ports, secrets,
                infrastructure.jdbcUrl(service), infrastructure.kafkaBootstrapServers(),
                service.usesDatabase(config.repositoryRoot()), data.edgeKeyStore()));
        properties.putAll(config.serviceProperties(service));
        Path built = service.jar(config.repositoryRoot());
        if (!Files.isRegularFile(built)) {
            throw new ServiceStartException(service, "is not built: " + built
                    + " is missing (run ./run-local.sh, which builds it, or ./mvnw -DskipTests install)", List.of());
        }
        Path jar = AppSnapshot.of(built.getParent(), data.apps().resolve(service.module()));
        ServiceProcess process = ServiceProcess.launch(service, jar, properties,
                config.jvmOptions(), service.httpPort(ports), data.freshLog(service.module()));
        services.put(service, process);
        watchdog.watchService(process.pid());
    }

    private void awaitReady(Service service) throws Exception {
        ServiceProcess process = services.get(service);
        progress.step("starting " + service.module(), "ready", () -> {
            process.awaitReady(http, config.healthTimeout());
            return null;
        });
    }

    /** Services whose process has exited. */
    List<Service> exited() {
        List<Service> exited = new ArrayList<>();
        synchronized (services) {
            services.forEach((service, process) -> {
                if (!process.isAlive()) {
                    exited.add(service);
                }
            });
        }
        return exited;
    }

    /** Process ids of the launched services. */
    List<Long> pids() {
        List<Long> pids = new ArrayList<>();
        synchronized (services) {
            services.values().forEach(process -> pids.add(process.pid()));
        }
        return pids;
    }

    /** Stops the running services in the reverse order of starting: edge, relay, account. */
    void stopAll() {
        List<Service> order = new ArrayList<>(List.of(Service.values()));
        Collections.reverse(order);
        for (Service service : order) {
            ServiceProcess process = services.get(service);
            if (process != null && process.isAlive()) {
                progress.stopQuietly("stopping " + service.module(), process::stop);
            }
        }
    }
}
