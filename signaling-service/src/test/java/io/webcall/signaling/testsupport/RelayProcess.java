package io.webcall.signaling.testsupport;

import io.webcall.infra.ProcessOutput;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The real media relay (module media-relay-service, started from its packaged quarkus-app) on free loopback
 * ports: one shared by the tests of one JVM ({@link #start()}), and further ones a test owns ({@link #startOwn}).
 * Skipped when the relay has not been built (fails when CI=true).
 */
public final class RelayProcess implements AutoCloseable {

    private static final Path JAR = Path.of("../media-relay-service/target/quarkus-app/quarkus-run.jar");
    private static RelayProcess shared;

    private final Process process;
    private final String url;
    /** The private copy the relay runs from. */
    private final Path copy;

    private RelayProcess(Process process, String url, Path copy) {
        this.process = process;
        this.url = url;
        this.copy = copy;
    }

    public static boolean available() {
        return Files.exists(JAR);
    }

    public static void assumeAvailable() {
        if (!available() && "true".equals(System.getenv("CI"))) {
            throw new IllegalStateException("media relay not built: " + JAR.toAbsolutePath());
        }
        Assumptions.assumeTrue(available(), "media relay not built (" + JAR + "): build media-relay-service first");
    }

    /** Starts the shared relay once (RTP ports 46000-46999); returns its control API base URL. */
    public static synchronized String start() {
        if (shared == null) {
            shared = launch("media-relay", 46000, 1000);
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "media-relay-stop"));
        }
        return shared.url;
    }

    /**
     * Starts a relay of the caller's own, with RTP ports from {@code rtpPortMin} (1000 of them, apart from the shared
     * relay's); stopped by {@link #close} (also when the JVM exits).
     */
    public static RelayProcess startOwn(String name, int rtpPortMin) {
        return startOwn(name, rtpPortMin, 1000);
    }

    /** Like {@link #startOwn(String, int)}, with {@code rtpPorts} RTP ports (two per call leg toward a PBX). */
    public static RelayProcess startOwn(String name, int rtpPortMin, int rtpPorts) {
        RelayProcess own = launch(name, rtpPortMin, rtpPorts);
        Runtime.getRuntime().addShutdownHook(new Thread(own::close, name + "-stop"));
        return own;
    }

    /** Control API base URL. */
    public String url() {
        return url;
    }

    private static RelayProcess launch(String name, int rtpPortMin, int rtpPorts) {
        Process process = null;
        try {
            // run a private copy: the relay module may be rebuilt while the tests run
            Path copy = AppCopy.of(JAR.getParent(), name);
            ProcessBuilder pb = new ProcessBuilder("java", "-Xmx256m",
                    // as the relay is launched everywhere: its SRTP AES-GCM uses the JDK's GHASH directly
                    "--add-opens", "java.base/com.sun.crypto.provider=ALL-UNNAMED", "-Dquarkus.http.port=0", "-Dquarkus.http.host=127.0.0.1",
                    "-Dwebcall.relay.webrtc.port=0", "-Dwebcall.relay.rtp.port-min=" + rtpPortMin,
                    "-Dwebcall.relay.rtp.port-max=" + (rtpPortMin + rtpPorts - 1),
                    "-Dquarkus.log.console.json.enabled=false", "-jar", copy.resolve("quarkus-run.jar").toString()).redirectErrorStream(true);
            process = pb.start();
            Pattern p = Pattern.compile("Listening on: (http://[0-9.]+:[0-9]+)");
            Path log = Path.of("target", name + ".log");
            Files.deleteIfExists(log);
            String url = ProcessOutput.copy(process, name, log, p).await(p, Duration.ofSeconds(90)).group(1);
            return new RelayProcess(process, url, copy);
        } catch (Exception e) {
            if (process != null) {
                process.destroyForcibly();
            }
            throw new IllegalStateException("cannot start the media relay: " + e.getMessage(), e);
        }
    }

    /**
     * Stops the relay within a bounded time, then deletes its private copy; never throws, never exits or halts the JVM
     * itself (it also runs as a shutdown hook). Calling it again does nothing.
     */
    @Override
    public void close() {
        try {
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            System.err.println("media relay did not stop cleanly: " + e);
        }
        AppCopy.delete(copy);
    }
}
