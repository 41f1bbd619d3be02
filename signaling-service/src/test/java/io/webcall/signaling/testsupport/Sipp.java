package io.webcall.signaling.testsupport;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A sipp process running one of the scenarios in {@code src/test/resources/sipp} on a free loopback port. */
public final class Sipp implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path log;

    private Sipp(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    public static void assumeAvailable() {
        boolean ok = Files.isExecutable(Path.of("/usr/bin/sipp"));
        if (!ok && "true".equals(System.getenv("CI"))) {
            throw new IllegalStateException("sipp missing: install sip-tester");
        }
        Assumptions.assumeTrue(ok, "sipp not installed (Debian package sip-tester)");
    }

    public static int freeUdpPort() {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A loopback TCP port that was free a moment ago (nothing listens there until someone binds it). */
    public static int freeTcpPort() {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A first media port for sipp's {@code -mp}: sipp binds it and the three above it (audio RTP/RTCP, video RTP/RTCP)
     * and gives up when any is taken, so all four are checked free (other processes may still take one meanwhile). The
     * SIP port {@code sipPort} is not bound yet when this runs, so the kernel may hand it out again: it is skipped.
     */
    static int freeMediaPorts(int sipPort) {
        for (int attempt = 0; attempt < 50; attempt++) {
            int first = freeUdpPort();
            if (first % 2 != 0 || first > 65530 || sipPort >= first && sipPort < first + 4) {
                continue;
            }
            List<DatagramSocket> held = new ArrayList<>();
            try {
                for (int p = first; p < first + 4; p++) {
                    held.add(new DatagramSocket(new InetSocketAddress("127.0.0.1", p)));
                }
                return first;
            } catch (IOException taken) {
                // try another
            } finally {
                held.forEach(DatagramSocket::close);
            }
        }
        return freeUdpPort();
    }

    /** A UAS scenario listening on a free port. */
    public static Sipp uas(String scenario, int port) throws IOException {
        return start(scenario, port, List.of("-m", "1"));
    }

    /** A UAS scenario listening on a free port, with {@code [keyword]} values for the scenario (sipp's -key). */
    public static Sipp uas(String scenario, int port, java.util.Map<String, String> keys) throws IOException {
        List<String> extra = new ArrayList<>(List.of("-m", "1"));
        keys.forEach((k, v) -> extra.addAll(List.of("-key", k, v)));
        return start(scenario, port, extra);
    }

    /** A UAS scenario over TCP listening on a free port. */
    public static Sipp uasTcp(String scenario, int port) throws IOException {
        return start(scenario, port, List.of("-m", "1", "-t", "t1"));
    }

    /** A UAC scenario sending to {@code target} (host:port), {@code service} as the Request-URI user. */
    public static Sipp uac(String scenario, int port, String target, String service, String domain) throws IOException {
        return start(scenario, port, List.of("-s", service, "-key", "domain", domain, "-m", "1", target));
    }

    private static Sipp start(String scenario, int port, List<String> extra) throws IOException {
        assumeAvailable();
        Path log = Path.of("target", "sipp-" + scenario.replace(".xml", "") + "-" + port + ".log");
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/sipp", "-sf", Path.of("src/test/resources/sipp", scenario).toString(),
                "-i", "127.0.0.1", "-p", String.valueOf(port), "-mp", String.valueOf(freeMediaPorts(port)), "-nostdin",
                "-trace_err", "-error_file", log.toString().replace(".log", "-errors.log"),
                "-trace_msg", "-message_file", log.toString().replace(".log", "-messages.log"), "-timeout", "60s", "-max_recv_loops", "10"));
        cmd.addAll(extra);
        cmd.removeIf(String::isEmpty);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new Sipp(p, port, log);
    }

    public int port() {
        return port;
    }

    /** Waits for the scenario to finish; true when every call succeeded (sipp exit code 0). */
    public boolean succeeded(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            return false;
        }
        return process.exitValue() == 0;
    }

    /** Every message sipp sent and received so far (its -trace_msg file). */
    public String messages() {
        try {
            Path m = Path.of(log.toString().replace(".log", "-messages.log"));
            return Files.exists(m) ? Files.readString(m) : "";
        } catch (IOException e) {
            return e.toString();
        }
    }

    public String errors() {
        try {
            Path err = Path.of(log.toString().replace(".log", "-errors.log"));
            return Files.exists(err) ? Files.readString(err) : "(no error file)";
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
