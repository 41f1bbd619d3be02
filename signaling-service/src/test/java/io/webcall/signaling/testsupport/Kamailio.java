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
                mpath="/usr/lib/x86_64-linux-gnu/kamailio/modules/"
                loadmodule "tm.so"
                loadmodule "sl.so"
                loadmodule "rr.so"
                loadmodule "maxfwd.so"
                loadmodule "pv.so"
                loadmodule "siputils.so"
                loadmodule "textops.so"
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
                    $du = "sip:127.0.0.1:%d";
                    t_relay();
                }
                """.formatted(port, targetPort);
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
