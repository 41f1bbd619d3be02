package io.webcall.local;

import java.nio.file.Path;
import java.util.List;

/** The three services of the platform, in the order the local stack starts them. */
public enum Service {
    ACCOUNT("account-service", "account"),
    RELAY("media-relay-service", "relay"),
    SIGNALING("signaling-service", "signaling");

    private final String module;
    private final String database;

    Service(String module, String database) {
        this.module = module;
        this.database = database;
    }

    /** Maven module (folder) and log name, e.g. {@code account-service}. */
    public String module() {
        return module;
    }

    /** The service's own PostgreSQL database. */
    String database() {
        return database;
    }

    /** The packaged application the launcher runs. */
    Path jar(Path repositoryRoot) {
        return repositoryRoot.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
    }

    /** Whether the packaged application carries the PostgreSQL driver (then it gets its database settings). */
    boolean usesDatabase(Path repositoryRoot) {
        Path libraries = jar(repositoryRoot).resolveSibling("lib").resolve("main");
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(libraries)) {
            return files.anyMatch(f -> f.getFileName().toString().startsWith("org.postgresql.postgresql"));
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /**
     * JVM options the service always gets, before the stack's own: the relay's SRTP AES-GCM calls the JDK's GHASH
     * directly (no allocation per packet) when the JDK's crypto provider package is open to it.
     */
    List<String> launchOptions() {
        return this == RELAY ? List.of("--add-opens", "java.base/com.sun.crypto.provider=ALL-UNNAMED") : List.of();
    }

    /** The port of its HTTP server (health checks, REST). */
    int httpPort(Ports ports) {
        return switch (this) {
            case ACCOUNT -> ports.account();
            case RELAY -> ports.relayControl();
            case SIGNALING -> ports.edgeHttp();
        };
    }
}
