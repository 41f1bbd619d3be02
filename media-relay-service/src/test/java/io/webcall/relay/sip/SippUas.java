package io.webcall.relay.sip;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real sipp process as the PBX: a UAS that answers with PCMU + telephone-event and echoes every RTP
 * packet back to where it came from ({@code -rtp_echo}), on free loopback ports.
 */
public final class SippUas implements AutoCloseable {

    private static final Path SIPP = Path.of("/usr/bin/sipp");

    private final Process process;
    private final int sipPort;
    private final Path workDir;

    private SippUas(Process process, int sipPort, Path workDir) {
        this.process = process;
        this.sipPort = sipPort;
        this.workDir = workDir;
    }

    /** Starts sipp, or skips the test (fails it when CI=true) if sipp is not installed. */
    public static SippUas start() throws IOException, InterruptedException {
        boolean present = Files.isExecutable(SIPP);
        if (!present && "true".equals(System.getenv("CI"))) {
            throw new IllegalStateException("sipp is required in CI (install sip-tester)");
        }
        Assumptions.assumeTrue(present, "sipp not installed (Debian package sip-tester); test skipped");
        Path dir = Files.createTempDirectory("sipp");
        Path scenario = dir.resolve("uas-echo.xml");
        try (InputStream in = SippUas.class.getResourceAsStream("/sipp/uas-echo.xml")) {
            Files.copy(in, scenario, StandardCopyOption.REPLACE_EXISTING);
        }
        for (int attempt = 0; attempt < 5; attempt++) {
            int sipPort = freeUdpPort();
            int mediaPort = freeUdpPort();
            Process p = new ProcessBuilder(List.of(SIPP.toString(), "-sf", scenario.toString(),
                    "-i", "127.0.0.1", "-p", String.valueOf(sipPort), "-mi", "127.0.0.1", "-mp",
                    String.valueOf(mediaPort), "-rtp_echo", "-nostdin", "-timeout", "300s", "-m", "1000"))
                    .directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("sipp.out").toFile()).start();
            if (!p.waitFor(700, TimeUnit.MILLISECONDS)) {
                return new SippUas(p, sipPort, dir);
            }
        }
        throw new IOException("sipp did not start; see " + dir.resolve("sipp.out"));
    }

    public InetSocketAddress sipAddress() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), sipPort);
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            if (!process.waitFor(3, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
