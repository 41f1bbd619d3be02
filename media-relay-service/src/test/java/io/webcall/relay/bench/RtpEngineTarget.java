package io.webcall.relay.bench;

import io.webcall.relay.dtls.DtlsIdentity;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * rtpengine in userspace mode ({@code --table=-1}, loopback interface only), driven over its ng control
 * protocol (bencoded dictionaries over UDP, each prefixed by a cookie): the WebRTC offer goes to the PBX as
 * plain RTP/AVP (ICE removed, rtcp-mux demultiplexed, SDES off), the PBX answer comes back with ICE forced
 * and DTLS active: rtpengine is the DTLS client, as the packaged relay is when it answers a browser's
 * {@code actpass} offer, so both servers do the same handshake work.
 */
final class RtpEngineTarget implements BenchTarget {

    private final Path binary;
    private final int portMin;
    private Process process;
    private InetSocketAddress ng;
    private int echoPort;
    private Path log;

    RtpEngineTarget(Path binary, int portMin) {
        this.binary = binary;
        this.portMin = portMin;
    }

    @Override
    public String name() {
        return "rtpengine";
    }

    @Override
    public boolean plain() {
        return false;
    }

    boolean available() {
        return Files.isExecutable(binary);
    }

    @Override
    public void start(int echoPort) throws Exception {
        this.echoPort = echoPort;
        int ngPort = OurRelayTarget.freeUdpPort();
        ng = new InetSocketAddress(InetAddress.getLoopbackAddress(), ngPort);
        log = Files.createTempFile("rtpengine-bench", ".log");
        process = new ProcessBuilder(binary.toString(), "--table=-1", "--interface=127.0.0.1",
                "--listen-ng=127.0.0.1:" + ngPort, "--foreground", "--log-stderr", "--log-level=4",
                "--port-min=" + portMin, "--port-max=" + (portMin + 3999), "--delete-delay=0")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("rtpengine exited with " + process.exitValue() + ": "
                        + Files.readString(log));
            }
            try {
                if ("pong".equals(command(Map.of("command", "ping"), 300).get("result"))) {
                    return;
                }
            } catch (SocketTimeoutException e) {
                // not up yet
            }
        }
        throw new IllegalStateException("rtpengine did not answer ping: " + Files.readString(log));
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public void open(int index, BenchLeg leg, DtlsIdentity identity) throws Exception {
        String callId = "bench-" + index + "-" + ThreadLocalRandom.current().nextInt(1 << 30);
        Map<String, Object> offer = command(Map.of("command", "offer", "call-id", callId, "from-tag", "a",
                "sdp", leg.offer(identity), "ICE", "remove", "DTLS", "off", "SDES", List.of("off"),
                "transport-protocol", "RTP/AVP", "rtcp-mux", List.of("demux")), 5000);
        check(offer, "offer");
        Map<String, Object> answer = command(Map.of("command", "answer", "call-id", callId, "from-tag", "a",
                "to-tag", "b", "sdp", BenchTarget.pbxSdp(echoPort), "ICE", "force", "DTLS", "active",
                "SDES", List.of("off"), "transport-protocol", "UDP/TLS/RTP/SAVPF",
                "rtcp-mux", List.of("require")), 5000);
        check(answer, "answer");
        leg.connect((String) answer.get("sdp"), identity, 20_000);
    }

    private static void check(Map<String, Object> reply, String op) {
        if (!"ok".equals(reply.get("result"))) {
            throw new IllegalStateException("rtpengine " + op + ": " + reply);
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> command(Map<String, Object> dict, int timeoutMillis) throws IOException {
        String cookie = Long.toHexString(ThreadLocalRandom.current().nextLong());
        byte[] body = Bencode.encode(dict);
        byte[] msg = new byte[cookie.length() + 1 + body.length];
        System.arraycopy((cookie + " ").getBytes(StandardCharsets.US_ASCII), 0, msg, 0, cookie.length() + 1);
        System.arraycopy(body, 0, msg, cookie.length() + 1, body.length);
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            s.setSoTimeout(timeoutMillis);
            s.send(new DatagramPacket(msg, msg.length, ng));
            byte[] buf = new byte[65536];
            while (true) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                s.receive(p);
                byte[] data = Arrays.copyOf(buf, p.getLength());
                int space = indexOf(data, (byte) ' ');
                if (space > 0 && new String(data, 0, space, StandardCharsets.US_ASCII).equals(cookie)) {
                    return (Map<String, Object>) Bencode.decode(data, space + 1);
                }
            }
        }
    }

    private static int indexOf(byte[] b, byte c) {
        for (int i = 0; i < b.length; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public void close() {
        if (process != null) {
            process.destroy();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process.destroyForcibly();
        }
    }
}
