package io.webcall.signaling.testsupport;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * dnsmasq as an authoritative DNS server on a free loopback UDP port, serving only the records a test gives it
 * (no upstream servers, no /etc/hosts).
 */
public final class Dnsmasq implements AutoCloseable {

    private static final Path BINARY = Path.of("/usr/sbin/dnsmasq");

    private final Process process;
    private final int port;

    private Dnsmasq(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Skips (or in CI fails) when dnsmasq (Debian package dnsmasq-base) is missing. */
    public static void assumeAvailable() {
        boolean ok = Files.isExecutable(BINARY);
        if (!ok && "true".equals(System.getenv("CI"))) {
            throw new IllegalStateException("dnsmasq missing: install dnsmasq-base");
        }
        Assumptions.assumeTrue(ok, "dnsmasq not installed (Debian package dnsmasq-base)");
    }

    /**
     * Starts dnsmasq with {@code records}: dnsmasq options such as {@code --srv-host=_sip._udp.pbx.test,host,5070,10,0}
     * and {@code --host-record=host,127.0.0.1}.
     */
    public static Dnsmasq start(List<String> records) {
        int port = Sipp.freeUdpPort();
        List<String> command = new ArrayList<>(List.of(BINARY.toString(), "--keep-in-foreground", "--conf-file=/dev/null",
                "--no-resolv", "--no-hosts", "--no-poll", "--listen-address=127.0.0.1", "--bind-interfaces",
                "--port=" + port, "--pid-file=", "--user=root", "--log-queries", "--log-facility=-"));
        command.addAll(records);
        try {
            Path log = Path.of("target", "dnsmasq-" + port + ".log");
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            // dnsmasq binds before it reads any query; a moment for it, then make sure it did not exit
            if (p.waitFor(500, TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("dnsmasq exited with " + p.exitValue() + ": see " + log);
            }
            return new Dnsmasq(p, port);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("cannot start dnsmasq: " + e.getMessage(), e);
        }
    }

    /** The server as {@code host:port}. */
    public String server() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
