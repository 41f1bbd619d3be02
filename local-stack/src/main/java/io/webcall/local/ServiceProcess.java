package io.webcall.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One service running as a child JVM ({@code java -jar <service>/target/quarkus-app/quarkus-run.jar})
 * with its output in a log file. Knows how to wait until it is ready ({@code /q/health/ready}),
 * how to stop it (SIGTERM: Quarkus shuts down gracefully; SIGKILL if it does not within the grace
 * period) and how to show the end of its log when it fails.
 */
final class ServiceProcess {

    static final int LOG_TAIL_LINES = 40;
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);

    private final Service service;
    private final Process process;
    private final Path log;
    private final URI readiness;
    private final long startedAt;

    private ServiceProcess(Service service, Process process, Path log, URI readiness, long startedAt) {
        this.service = service;
        this.process = process;
        this.log = log;
        this.readiness = readiness;
        this.startedAt = startedAt;
    }

    /**
     * Launches the service.
     *
     * @param jar        the packaged application
     * @param properties {@code -D} settings
     * @param jvmOptions extra JVM options (heap size, ...)
     * @param log        where its stdout and stderr go
     */
    static ServiceProcess launch(Service service, Path jar, Map<String, String> properties, List<String> jvmOptions,
                                 int httpPort, Path log) throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new ServiceStartException(service, "is not built: " + jar
                    + " is missing (build with ./mvnw -DskipTests install, or just run ./run-local.sh)", List.of());
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(service.launchOptions());
        command.addAll(jvmOptions);
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-jar");
        command.add(jar.toString());
        ProcessBuilder builder = new ProcessBuilder(Sessions.detached(command))
                .directory(jar.getParent().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        long startedAt = System.nanoTime();
        Process process = builder.start();
        return new ServiceProcess(service, process, log,
                URI.create("http://127.0.0.1:" + httpPort + "/q/health/ready"), startedAt);
    }

    Service service() {
        return service;
    }

    long pid() {
        return process.pid();
    }

    Path log() {
        return log;
    }

    /** Seconds since launch. */
    double secondsSinceLaunch() {
        return (System.nanoTime() - startedAt) / 1e9;
    }

    /**
     * Polls the readiness endpoint until it answers 200.
     *
     * @throws ServiceStartException when the process exits first or the timeout passes
     */
    void awaitReady(HttpClient http, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpRequest request = HttpRequest.newBuilder(readiness).timeout(Duration.ofSeconds(2)).GET().build();
        String lastAnswer = "no answer yet";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw failure("exited with code " + process.exitValue() + " while starting");
            }
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
                lastAnswer = readiness + " answered " + response.statusCode() + ": " + response.body();
            } catch (IOException e) {
                lastAnswer = readiness + ": " + e;
            }
            Thread.sleep(200);
        }
        throw failure("was not ready after " + timeout.toSeconds() + " s (" + lastAnswer + ")");
    }

    private ServiceStartException failure(String problem) {
        return new ServiceStartException(service, problem, tail(),
                ServiceStartException.findFirstError(tail(log, Integer.MAX_VALUE)), log);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGTERM, then SIGKILL after the grace period. */
    void stop() throws InterruptedException {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }

    /** The last lines of the service's log. */
    List<String> tail() {
        return tail(log, LOG_TAIL_LINES);
    }

    static List<String> tail(Path file, int lines) {
        if (!Files.exists(file)) {
            return List.of();
        }
        String text;
        try {
            text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return List.of("(could not read " + file + ": " + e.getMessage() + ")");
        }
        List<String> all = text.lines().toList();
        return List.copyOf(all.subList(Math.max(0, all.size() - lines), all.size()));
    }
}
