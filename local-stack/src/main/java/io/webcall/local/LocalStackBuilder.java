package io.webcall.local;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The options of a local stack, every one with a default ({@code ./run-local.sh}'s flags set them,
 * see {@link CommandLine}), and starting a stack with them.
 */
public final class LocalStackBuilder {
    private Path repositoryRoot = RepositoryRoot.find();
    private Path dataDir;
    private Ports ports = Ports.defaults();
    private PbxTrunk pbx;
    private boolean reset;
    private Duration healthTimeout = Duration.ofSeconds(180);
    private PrintStream output = System.out;
    private List<String> jvmOptions = List.of("-Xmx512m", "-XX:+ExitOnOutOfMemoryError");
    private final Map<Service, Map<String, String>> serviceProperties = new EnumMap<>(Service.class);

    LocalStackBuilder() {
    }

    /** Where the services' modules are built (default: found from the working directory upwards). */
    public LocalStackBuilder repositoryRoot(Path root) {
        this.repositoryRoot = root.toAbsolutePath().normalize();
        return this;
    }

    /** Where data, logs and secrets live (default {@code <repository>/.local-data}). */
    public LocalStackBuilder dataDir(Path dir) {
        this.dataDir = dir;
        return this;
    }

    /** Every port; 0 = a free one (see {@link Ports#free()}). */
    public LocalStackBuilder ports(Ports ports) {
        this.ports = ports;
        return this;
    }

    /** The demo tenant's PBX, {@code sip:HOST:PORT}; null for none. */
    public LocalStackBuilder pbx(String uri) {
        this.pbx = uri == null ? null : PbxTrunk.parse(uri);
        return this;
    }

    public LocalStackBuilder pbx(PbxTrunk trunk) {
        this.pbx = trunk;
        return this;
    }

    /** Wipe the data directory first. */
    public LocalStackBuilder reset(boolean reset) {
        this.reset = reset;
        return this;
    }

    /** How long a service may take to become ready (default 180 s). */
    public LocalStackBuilder healthTimeout(Duration timeout) {
        this.healthTimeout = timeout;
        return this;
    }

    /** Where progress goes (default standard output). */
    public LocalStackBuilder output(PrintStream out) {
        this.output = out;
        return this;
    }

    /** JVM options of every service (default {@code -Xmx512m -XX:+ExitOnOutOfMemoryError}). */
    public LocalStackBuilder jvmOptions(List<String> options) {
        this.jvmOptions = List.copyOf(options);
        return this;
    }

    /** An extra {@code -D} setting of one service, overriding the launcher's own. */
    public LocalStackBuilder serviceProperty(Service service, String key, String value) {
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

    // ---- read by the stack while it starts ---------------------------------------------------

    Path repositoryRoot() {
        return repositoryRoot;
    }

    /** The data directory given, or {@code <repository>/.local-data}. */
    Path dataDirOrDefault() {
        return dataDir != null ? dataDir : repositoryRoot.resolve(".local-data");
    }

    Ports ports() {
        return ports;
    }

    PbxTrunk pbx() {
        return pbx;
    }

    boolean reset() {
        return reset;
    }

    Duration healthTimeout() {
        return healthTimeout;
    }

    PrintStream output() {
        return output;
    }

    List<String> jvmOptions() {
        return jvmOptions;
    }

    /** The extra {@code -D} settings of one service. */
    Map<String, String> serviceProperties(Service service) {
        return serviceProperties.getOrDefault(service, Map.of());
    }
}
