package io.webcall.relay.peer;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The packaged relay ({@code target/quarkus-app}) started in its own JVM the way it is launched everywhere (with the
 * {@code --add-opens} its SRTP AES-GCM needs), on the given HTTP port, waited for until {@code /q/health/ready}.
 */
public final class PackagedRelay {

    /** The packaged relay of this module. */
    public static final Path JAR = Path.of(System.getProperty("user.dir"), "target/quarkus-app/quarkus-run.jar");

    private PackagedRelay() {
    }

    /**
     * Starts {@code jar} with the JVM options and system properties in {@code options}, its output in {@code log}, and
     * returns once it is ready (at most 60 s); the process is destroyed when it is not.
     */
    public static Process start(Path jar, List<String> options, int httpPort, Path log) throws Exception {
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " missing: package the relay first");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of("--add-opens", "java.base/com.sun.crypto.provider=ALL-UNNAMED"));
        command.addAll(options);
        command.addAll(List.of("-Dquarkus.http.port=" + httpPort, "-jar", jar.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the relay exited with " + process.exitValue() + ", see " + log);
            }
            try {
                if (client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/q/health/ready"))
                        .build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return process;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        process.destroyForcibly();
        throw new IllegalStateException("the relay did not get ready, see " + log);
    }

    public static int freeTcpPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    public static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
