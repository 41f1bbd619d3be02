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
 * ports, shared by the tests of one JVM. Skipped when the relay has not been built (fails when CI=true).
 */
public final class RelayProcess {

    private static final Path JAR = Path.of("../media-relay-service/target/quarkus-app/quarkus-run.jar");
    private static Process process;
    private static String url;
    /** The private copy the relay runs from. */
    private static Path copy;

    private RelayProcess() {
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

    /**
     * Shutdown hook: stops the relay within a bounded time, then deletes its private copy; never throws, never exits or
     * halts the JVM itself.
     */
    private static void stop() {
        Process p = process;
        if (p == null) {
            return;
        }
        try {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            System.err.println("media relay did not stop cleanly: " + e);
        }
        AppCopy.delete(copy);
    }

    /** Starts the relay once; returns its control API base URL. */
    public static synchronized String start() {
        if (url != null) {
            return url;
        }
        try {
            // run a private copy: the relay module may be rebuilt while the tests run
            copy = AppCopy.of(JAR.getParent(), "media-relay");
            ProcessBuilder pb = new ProcessBuilder("java", "-Xmx256m",
                    // as the relay is launched everywhere: its SRTP AES-GCM uses the JDK's GHASH directly
                    "--add-opens", "java.base/com.sun.crypto.provider=ALL-UNNAMED", "-Dquarkus.http.port=0", "-Dquarkus.http.host=127.0.0.1",
                    "-Dwebcall.relay.webrtc.port=0", "-Dwebcall.relay.rtp.port-min=46000", "-Dwebcall.relay.rtp.port-max=46999",
                    "-Dquarkus.log.console.json.enabled=false", "-jar", copy.resolve("quarkus-run.jar").toString()).redirectErrorStream(true);
            process = pb.start();
            Pattern p = Pattern.compile("Listening on: (http://[0-9.]+:[0-9]+)");
            Path log = Path.of("target", "media-relay.log");
            Files.deleteIfExists(log);
            url = ProcessOutput.copy(process, "media-relay", log, p).await(p, Duration.ofSeconds(90)).group(1);
            Runtime.getRuntime().addShutdownHook(new Thread(RelayProcess::stop, "media-relay-stop"));
            return url;
        } catch (Exception e) {
            if (process != null) {
                process.destroyForcibly();
            }
            throw new IllegalStateException("cannot start the media relay: " + e.getMessage(), e);
        }
    }
}
