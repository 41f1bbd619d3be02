package io.webcall.signaling.testsupport;

import io.webcall.infra.ProcessOutput;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;

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
import java.util.regex.Pattern;

/**
 * One edge instance run as its own process from this module's packaged application ({@code target/quarkus-app},
 * built by {@code package}; integration tests run after it), on free loopback ports. Several instances share one
 * private copy of the application, so a rebuild while they run does not disturb them. Skipped when the module has
 * not been packaged (fails when CI=true).
 */
public final class EdgeProcess implements AutoCloseable {

    private static final Path APP = Path.of("target/quarkus-app");
    private static final Pattern HTTP = Pattern.compile("Listening on: (http://[0-9.]+:[0-9]+)");
    private static final Pattern SIP = Pattern.compile("SIP listening on [0-9.]+:([0-9]+)");
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static Path copy;

    private final String name;
    private final Process process;
    private final Path log;
    private final String httpUrl;
    private final int sipPort;

    private EdgeProcess(String name, Process process, Path log, String httpUrl, int sipPort) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.httpUrl = httpUrl;
        this.sipPort = sipPort;
    }

    public static void assumeAvailable() {
        boolean ok = Files.exists(APP.resolve("quarkus-run.jar"));
        if (!ok && "true".equals(System.getenv("CI"))) {
            throw new IllegalStateException("edge not packaged: " + APP.toAbsolutePath());
        }
        Assumptions.assumeTrue(ok, "edge not packaged (" + APP + "): run the integration tests after package (mvn verify)");
    }

    /**
     * Starts an edge with the given configuration ({@code key -> value}, passed as system properties on top of the
     * packaged application.properties) and waits until both its HTTP and SIP listeners are up.
     */
    public static EdgeProcess start(String name, Map<String, String> config) throws Exception {
        assumeAvailable();
        Path app = privateCopy();
        List<String> cmd = new ArrayList<>(List.of("java", "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=0", "-Dwebcall.edge.sip.port=0",
                "-Dquarkus.log.console.json.enabled=false"));
        config.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.addAll(List.of("-jar", app.resolve("quarkus-run.jar").toString()));
        Path log = Path.of("target", "edge-" + name + ".log");
        Files.deleteIfExists(log);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        ProcessOutput output = ProcessOutput.copy(p, "edge-" + name, log, HTTP, SIP);
        try {
            String http = output.await(HTTP, Duration.ofSeconds(120)).group(1);
            int sip = Integer.parseInt(output.await(SIP, Duration.ofSeconds(30)).group(1));
            return new EdgeProcess(name, p, log, http, sip);
        } catch (Exception e) {
            p.destroyForcibly();
            throw e;
        }
    }

    private static synchronized Path privateCopy() throws IOException {
        if (copy == null) {
            copy = AppCopy.of(APP, "edge-app");
        }
        return copy;
    }

    /** Deletes the private copy of the application; call once every instance started from it has stopped. */
    public static synchronized void deletePrivateCopy() {
        AppCopy.delete(copy);
        copy = null;
    }

    /** {@code ws://127.0.0.1:PORT/sip}. */
    public String webSocketUrl() {
        return httpUrl.replace("http://", "ws://") + "/sip";
    }

    public String httpUrl() {
        return httpUrl;
    }

    /** Port of the SIP UDP and TCP listeners. */
    public int sipPort() {
        return sipPort;
    }

    /** The value of a Prometheus gauge or counter without labels from {@code /q/metrics}, or -1 when absent. */
    public double metric(String name) throws IOException, InterruptedException {
        HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create(httpUrl + "/q/metrics"))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        for (String line : r.body().split("\n")) {
            if (line.startsWith(name + " ")) {
                return Double.parseDouble(line.substring(name.length() + 1).trim());
            }
        }
        return -1;
    }

    /** Waits (bounded) until the gauge {@code name} has the value {@code expected}; false on timeout. */
    public boolean awaitMetric(String name, double expected, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (metric(name) == expected) {
                return true;
            }
            Thread.sleep(100);
        }
        return metric(name) == expected;
    }

    /** The edge's log so far (for assertion messages). */
    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** Ends the process at once (SIGKILL): no shutdown, no BYE, its connections drop, as when a machine dies. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    @Override
    public String toString() {
        return "edge " + name + " (" + httpUrl + ", SIP " + sipPort + ")";
    }
}
