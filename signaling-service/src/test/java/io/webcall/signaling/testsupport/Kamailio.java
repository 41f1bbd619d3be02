package io.webcall.signaling.testsupport;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Kamailio 5.6 as a record-routing upstream proxy in front of a PBX, on a free loopback port. */
public final class Kamailio implements AutoCloseable {

    private final Process process;
    private final int port;

    private Kamailio(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static void assumeAvailable() {
        boolean ok = Files.isExecutable(Path.of("/usr/sbin/kamailio"));
        if (!ok && "true".equals(System.getenv("CI"))) {
            throw new IllegalStateException("kamailio missing");
        }
        Assumptions.assumeTrue(ok, "kamailio not installed");
    }

    /** The modules both test proxies load. */
    private static final String MODULES = """
            mpath="/usr/lib/x86_64-linux-gnu/kamailio/modules/"
            loadmodule "tm.so"
            loadmodule "sl.so"
            loadmodule "rr.so"
            loadmodule "maxfwd.so"
            loadmodule "pv.so"
            loadmodule "siputils.so"
            loadmodule "textops.so"
            """;

    /**
     * The request route both test proxies share: Max-Forwards, loose routing of in-dialog requests, CANCEL and ACK
     * matched to their transaction, Record-Route, and every initial request relayed to one destination ({@code %s},
     * a SIP URI).
     */
    private static final String ROUTE = """
            request_route {
                if (!mf_process_maxfwd_header("10")) { sl_send_reply("483", "Too Many Hops"); exit; }
                if (has_totag()) {
                    if (loose_route()) { t_relay(); exit; }
                    if (is_method("ACK")) { if (t_check_trans()) { t_relay(); } exit; }
                    sl_send_reply("404", "Not here");
                    exit;
                }
                if (is_method("CANCEL")) { if (t_check_trans()) { t_relay(); } exit; }
                record_route();
                $du = "%s";
                t_relay();
            }
            """;

    /** Starts Kamailio forwarding every initial request to 127.0.0.1:{@code targetPort}. */
    public static Kamailio proxyTo(int targetPort) throws IOException, InterruptedException {
        int port = Sipp.freeUdpPort();
        Path dir = Files.createTempDirectory("kamailio");
        String cfg = """
                #!KAMAILIO
                debug=2
                log_stderror=yes
                children=1
                disable_tcp=yes
                listen=udp:127.0.0.1:%d
                """.formatted(port) + MODULES + ROUTE.formatted("sip:127.0.0.1:" + targetPort);
        Path file = dir.resolve("kamailio.cfg");
        Files.writeString(file, cfg);
        Process p = new ProcessBuilder("/usr/sbin/kamailio", "-f", file.toString(), "-DD", "-E", "-m", "32", "-M", "8",
                "-Y", dir.toString(), "-P", dir.resolve("kamailio.pid").toString())
                .redirectErrorStream(true).redirectOutput(Path.of("target", "kamailio-" + port + ".log").toFile()).start();
        Thread.sleep(800);
        if (!p.isAlive()) {
            throw new IllegalStateException("kamailio exited: see target/kamailio-" + port + ".log");
        }
        return new Kamailio(p, port);
    }

    /** Skips (or in CI fails) when Kamailio's TLS module (Debian package kamailio-tls-modules) is missing. */
    public static void assumeTlsAvailable() {
        assumeAvailable();
        boolean ok = Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/kamailio/modules/tls.so"));
        if (!ok && "true".equals(System.getenv("CI"))) {
            throw new IllegalStateException("kamailio tls module missing: install kamailio-tls-modules");
        }
        Assumptions.assumeTrue(ok, "kamailio tls module not installed (Debian package kamailio-tls-modules)");
    }

    /**
     * Starts Kamailio as a PBX front that accepts SIP over TLS on a free loopback port, presenting {@code certificate}
     * (PEM, with {@code key}), record-routes (double: TLS side and UDP side) and forwards every initial request over UDP
     * to 127.0.0.1:{@code targetPort}; in-dialog requests from there go back to the edge over TLS along the route set.
     */
    public static Kamailio tlsProxyTo(int targetPort, Path certificate, Path key) throws IOException, InterruptedException {
        return tlsProxyTo(targetPort, certificate, key, null, false);
    }

    /**
     * Like {@link #tlsProxyTo(int, Path, Path)}, for mutual TLS: with {@code clientCa} set, connections to Kamailio must
     * present a certificate that chains to it; with {@code presentCertificate}, Kamailio presents its own certificate
     * when it connects to the edge.
     */
    public static Kamailio tlsProxyTo(int targetPort, Path certificate, Path key, Path clientCa, boolean presentCertificate)
            throws IOException, InterruptedException {
        int port = Sipp.freeTcpPort();
        int udpPort = Sipp.freeUdpPort();
        Path dir = Files.createTempDirectory("kamailio-tls");
        String serverChecks = clientCa == null ? "verify_certificate = no\nrequire_certificate = no"
                : "verify_certificate = yes\nrequire_certificate = yes\nca_list = " + clientCa;
        String clientCertificate = presentCertificate ? "private_key = " + key + "\ncertificate = " + certificate : "";
        Files.writeString(dir.resolve("tls.cfg"), """
                [server:default]
                method = TLSv1.2+
                %s
                private_key = %s
                certificate = %s

                [client:default]
                method = TLSv1.2+
                verify_certificate = no
                require_certificate = no
                %s
                """.formatted(serverChecks, key, certificate, clientCertificate));
        String cfg = """
                #!KAMAILIO
                debug=2
                log_stderror=yes
                children=1
                tcp_children=1
                enable_tls=yes
                listen=tls:127.0.0.1:%d
                listen=udp:127.0.0.1:%d
                """.formatted(port, udpPort) + MODULES + """
                loadmodule "tls.so"
                modparam("tls", "config", "%s")
                modparam("rr", "enable_double_rr", 1)
                """.formatted(dir.resolve("tls.cfg")) + ROUTE.formatted("sip:127.0.0.1:" + targetPort + ";transport=udp");
        Path file = dir.resolve("kamailio.cfg");
        Files.writeString(file, cfg);
        Path log = Path.of("target", "kamailio-tls-" + port + ".log");
        Process p = new ProcessBuilder("/usr/sbin/kamailio", "-f", file.toString(), "-DD", "-E", "-m", "64", "-M", "16",
                "-Y", dir.toString(), "-P", dir.resolve("kamailio.pid").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        // wait (bounded) until the TLS listener accepts connections
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            if (!p.isAlive()) {
                throw new IllegalStateException("kamailio exited: see " + log);
            }
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                return new Kamailio(p, port);
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    p.destroyForcibly();
                    throw new IllegalStateException("kamailio did not listen on TLS port " + port + ": see " + log);
                }
                Thread.sleep(100);
            }
        }
    }

    public int port() {
        return port;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(3, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
