package io.webcall.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/**
 * Turns the zeros of a {@link Ports} into concrete free ports on 127.0.0.1, so every process is
 * told its port up front. A port is free when it could be bound just now; nothing holds it
 * afterwards, so the usual small race with other programs remains.
 */
final class FreePorts {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final Set<Integer> taken = new HashSet<>();

    static Ports resolve(Ports ports) {
        FreePorts free = new FreePorts();
        int rtpMin = ports.rtpMin();
        int rtpMax = ports.rtpMax();
        if (rtpMin == 0) {
            rtpMin = free.udpBlock(Ports.FREE_RTP_RANGE_SIZE);
            rtpMax = rtpMin + Ports.FREE_RTP_RANGE_SIZE - 1;
        }
        return new Ports(
                free.tcp(ports.postgres()),
                free.tcp(ports.kafka()),
                free.tcp(ports.edgeHttp()),
                free.tcp(ports.edgeWss()),
                free.tcpAndUdp(ports.sip()),
                free.tcp(ports.account()),
                free.tcp(ports.relayControl()),
                free.udp(ports.relayWebRtc()),
                rtpMin, rtpMax);
    }

    private int tcp(int port) {
        return port != 0 ? port : pick("TCP", () -> {
            try (ServerSocket socket = new ServerSocket(0, 1, LOOPBACK)) {
                return socket.getLocalPort();
            }
        });
    }

    private int udp(int port) {
        return port != 0 ? port : pick("UDP", () -> {
            try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
                return socket.getLocalPort();
            }
        });
    }

    /** Binds port 0 until the system hands out a port not given to another service of this stack yet. */
    private int pick(String protocol, EphemeralPort bind) {
        for (int attempt = 0; attempt < 50; attempt++) {
            int port;
            try {
                port = bind.bind();
            } catch (IOException e) {
                throw new UncheckedIOException("no free " + protocol + " port on 127.0.0.1", e);
            }
            if (taken.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free " + protocol + " port on 127.0.0.1");
    }

    /** Binds a socket to port 0 on loopback, closes it and tells which port it got. */
    private interface EphemeralPort {
        int bind() throws IOException;
    }

    private int tcpAndUdp(int port) {
        if (port != 0) {
            return port;
        }
        for (int attempt = 0; attempt < 50; attempt++) {
            int candidate = tcp(0);
            if (udpFree(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no port on 127.0.0.1 free for both TCP and UDP");
    }

    /** A block of consecutive UDP ports, each free right now, starting at an even port (RTP convention). */
    private int udpBlock(int size) {
        for (int attempt = 0; attempt < 50; attempt++) {
            int probe = udp(0);
            int base = probe & ~1;
            if (base < 1024 || base + size > 65535) {
                continue;
            }
            boolean allFree = true;
            for (int p = base; p < base + size && allFree; p++) {
                allFree = (p == probe || !taken.contains(p)) && udpFree(p);
            }
            if (allFree) {
                for (int p = base; p < base + size; p++) {
                    taken.add(p);
                }
                return base;
            }
        }
        throw new IllegalStateException("no block of " + size + " free UDP ports on 127.0.0.1");
    }

    private static boolean udpFree(int port) {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, port))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
