package io.webcall.infra;

import java.util.Locale;

/**
 * Where tests get PostgreSQL and Kafka from. Chosen by the system property (or environment
 * variable {@code WEBCALL_TEST_INFRA}) {@code webcall.test.infra}: {@code embedded} (real servers
 * in this JVM, no Docker needed), {@code containers} (Testcontainers) or {@code auto} (the
 * default: containers when a Docker engine answers, embedded otherwise).
 */
public enum InfraMode {
    EMBEDDED, CONTAINERS;

    public static final String PROPERTY = "webcall.test.infra";

    public static InfraMode current() {
        String value = System.getProperty(PROPERTY, System.getenv().getOrDefault("WEBCALL_TEST_INFRA", "auto"))
                .trim().toLowerCase(Locale.ROOT);
        return switch (value) {
            case "embedded" -> EMBEDDED;
            case "containers" -> CONTAINERS;
            case "auto" -> dockerAvailable() ? CONTAINERS : EMBEDDED;
            default -> throw new IllegalArgumentException(
                    PROPERTY + " must be auto, embedded or containers, not '" + value + "'");
        };
    }

    private static boolean dockerAvailable() {
        try {
            Class<?> factory = Class.forName("org.testcontainers.DockerClientFactory");
            Object instance = factory.getMethod("instance").invoke(null);
            return (Boolean) factory.getMethod("isDockerAvailable").invoke(instance);
        } catch (ReflectiveOperationException | LinkageError e) {
            return false;
        }
    }
}
