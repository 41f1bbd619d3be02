package io.webcall.signaling.bench;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The media server a signaling server anchors calls at, as its own process on loopback: our media relay (the packaged
 * {@code media-relay-service}, control API over HTTP) for the edge, rtpengine (userspace, ng control protocol over
 * UDP) for Kamailio. Its CPU is read from /proc like the signaling server's.
 */
final class MediaServer implements AutoCloseable {

    static final Path RELAY_JAR = Path.of("../media-relay-service/target/quarkus-app/quarkus-run.jar");
    static final Path RTPENGINE = Path.of("/usr/bin/rtpengine");
    /**
     * Media ports, 2000 for each server, below the kernel's ephemeral range (32768-60999 here): the free ports the
     * benchmark picks for SIP come from that range, and a media server that binds one of them takes the signaling
     * server's datagrams (seen: rtpengine offered Kamailio's SIP port as its media port and sipp's responses went
     * astray). Outside the local stack's 20000-20999 too.
     */
    static final int RELAY_RTP_MIN = 24000;
    static final int RTPENGINE_RTP_MIN = 26000;

    final String name;
    final Process process;
    final ProcessMeter meter;
    /** The relay's control API base URL (relay only). */
    final String controlUrl;
    /** rtpengine's ng control port (rtpengine only). */
    final int controlPort;

    private MediaServer(String name, Process process, String controlUrl, int controlPort) {
        this.name = name;
        this.process = process;
        this.meter = new ProcessMeter(process.pid());
        this.controlUrl = controlUrl;
        this.controlPort = controlPort;
    }

    /** Our media relay, packaged, with the same JVM heap settings as the edge; RTP ports from {@link #RELAY_RTP_MIN}, WebRTC on a free port. */
    static MediaServer relay(Path out) throws Exception {
        if (!Files.exists(RELAY_JAR)) {
            throw new IllegalStateException("build the media relay first: ./mvnw -B -o -pl media-relay-service package -DskipTests ("
                    + RELAY_JAR.toAbsolutePath() + ")");
        }
        int http = ServerProcess.freeTcpPort();
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xms256m", "-Xmx2g",
                "--add-opens", "java.base/com.sun.crypto.provider=ALL-UNNAMED",
                "-XX:+UseG1GC", "-Dquarkus.http.port=" + http, "-Dquarkus.http.host=127.0.0.1", "-Dwebcall.relay.webrtc.port=0",
                "-Dwebcall.relay.rtp.port-min=" + RELAY_RTP_MIN, "-Dwebcall.relay.rtp.port-max=" + (RELAY_RTP_MIN + 1999), "-Dquarkus.log.console.json.enabled=false",
                "-Dquarkus.log.category.\"io.webcall\".level=WARN", "-jar", RELAY_JAR.toString());
        Path log = out.resolve("media-relay.log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            waitForTcp(p, http, log);
        } catch (Exception e) {
            p.destroyForcibly();
            throw e;
        }
        return new MediaServer("relay", p, "http://127.0.0.1:" + http, -1);
    }

    /**
     * rtpengine in userspace ({@code --table=-1}, no kernel forwarding), loopback only, ng control on a free UDP
     * port, RTP ports from {@link #RTPENGINE_RTP_MIN}, sessions freed as soon as they are deleted, warnings only in its log.
     */
    static MediaServer rtpengine(Path out) throws Exception {
        if (!Files.isExecutable(RTPENGINE)) {
            throw new IllegalStateException("missing " + RTPENGINE + " (Debian package rtpengine-daemon)");
        }
        int ng = ServerProcess.freeUdpPort();
        Path log = out.resolve("rtpengine.log");
        Process p = new ProcessBuilder(RTPENGINE.toString(), "--table=-1", "--interface=127.0.0.1", "--listen-ng=127.0.0.1:" + ng,
                "--foreground", "--log-stderr", "--log-level=4", "--port-min=" + RTPENGINE_RTP_MIN, "--port-max=" + (RTPENGINE_RTP_MIN + 1999), "--delete-delay=0")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            s.setSoTimeout(300);
            byte[] ping = "p1 d7:command4:pinge".getBytes(StandardCharsets.US_ASCII);
            while (System.nanoTime() < deadline) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("rtpengine exited: see " + log);
                }
                s.send(new DatagramPacket(ping, ping.length, new InetSocketAddress("127.0.0.1", ng)));
                try {
                    DatagramPacket reply = new DatagramPacket(new byte[512], 512);
                    s.receive(reply);
                    if (new String(reply.getData(), 0, reply.getLength(), StandardCharsets.US_ASCII).contains("pong")) {
                        return new MediaServer("rtpengine", p, null, ng);
                    }
                } catch (java.net.SocketTimeoutException e) {
                    // not up yet
                }
            }
        } catch (Exception e) {
            p.destroyForcibly();
            throw e;
        }
        p.destroyForcibly();
        throw new IllegalStateException("rtpengine did not answer ping on " + ng + " within 10 s: see " + log);
    }

    private static void waitForTcp(Process p, int port, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("media relay exited: see " + log);
            }
            try (java.net.Socket s = new java.net.Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException e) {
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException("media relay did not listen on " + port + " within 90 s: see " + log);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
