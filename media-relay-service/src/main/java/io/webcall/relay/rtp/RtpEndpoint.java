package io.webcall.relay.rtp;

import io.webcall.relay.session.MediaEndpoint;
import io.webcall.relay.session.PacketListener;
import io.webcall.relay.stats.DropReason;
import io.webcall.relay.stats.RelayMetrics;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * Plain RTP toward a PBX on an allocated port pair. Symmetric RTP (RFC 4961): the relay sends to the
 * address the PBX really sends from once it has seen a packet ("latching"), and to the SDP address
 * before that. RTCP goes to the next port (RFC 3550 section 11) or rides on the RTP port when the PBX
 * multiplexes it (RFC 5761).
 */
public final class RtpEndpoint implements MediaEndpoint {

    private final RtpPortAllocator.PortPair ports;
    private final RtpPortAllocator allocator;
    private final RelayMetrics metrics;
    private volatile PacketListener listener;
    private volatile InetSocketAddress signalledRtp;
    private volatile InetSocketAddress signalledRtcp;
    private volatile SocketAddress latchedRtp;
    private volatile SocketAddress latchedRtcp;
    private volatile boolean closed;

    public RtpEndpoint(RtpPortAllocator allocator, RtpSocketLoop loop, RelayMetrics metrics) throws IOException {
        this.allocator = allocator;
        this.metrics = metrics;
        this.ports = allocator.allocate();
        loop.register(ports.rtp(), this::onRtpSocket);
        loop.register(ports.rtcp(), this::onRtcpSocket);
    }

    public int port() {
        return ports.port();
    }

    /**
     * The address from the PBX's SDP. A new address (re-INVITE) drops the latch so the relay follows it;
     * {@code 0.0.0.0} (RFC 2543 hold) keeps the current one.
     */
    public void setSignalledAddress(String host, int rtpPort, int rtcpPort) {
        if (host == null || host.equals("0.0.0.0") || rtpPort == 0) {
            return;
        }
        InetSocketAddress rtp = new InetSocketAddress(host, rtpPort);
        if (!rtp.equals(signalledRtp)) {
            latchedRtp = null;
            latchedRtcp = null;
        }
        signalledRtp = rtp;
        signalledRtcp = new InetSocketAddress(host, rtcpPort);
    }

    private void onRtpSocket(byte[] buf, int off, int len, SocketAddress source) {
        RtpPackets.Kind kind = RtpPackets.classify(buf, off, len);
        PacketListener l = listener;
        if (kind == RtpPackets.Kind.RTP) {
            latchedRtp = source;
            if (l != null) {
                l.onRtp(buf, off, len);
            }
        } else if (kind == RtpPackets.Kind.RTCP) {
            if (l != null) {
                l.onRtcp(buf, off, len);
            }
        } else {
            metrics.drop(DropReason.MALFORMED);
        }
    }

    private void onRtcpSocket(byte[] buf, int off, int len, SocketAddress source) {
        if (RtpPackets.classify(buf, off, len) != RtpPackets.Kind.RTCP) {
            metrics.drop(DropReason.MALFORMED);
            return;
        }
        latchedRtcp = source;
        PacketListener l = listener;
        if (l != null) {
            l.onRtcp(buf, off, len);
        }
    }

    @Override
    public boolean sendRtp(byte[] buf, int off, int len) {
        SocketAddress target = latchedRtp != null ? latchedRtp : signalledRtp;
        return send(ports, true, target, buf, off, len);
    }

    @Override
    public boolean sendRtcp(byte[] buf, int off, int len) {
        SocketAddress target = latchedRtcp != null ? latchedRtcp : signalledRtcp;
        return send(ports, false, target, buf, off, len);
    }

    private boolean send(RtpPortAllocator.PortPair p, boolean rtp, SocketAddress target, byte[] buf, int off,
                         int len) {
        if (target == null || closed) {
            metrics.drop(DropReason.NOT_CONNECTED);
            return false;
        }
        try {
            return (rtp ? p.rtp() : p.rtcp()).send(ByteBuffers.view(buf, off, len), target) == len;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void setListener(PacketListener listener) {
        this.listener = listener;
    }

    @Override
    public String state() {
        return latchedRtp != null ? "latched " + latchedRtp : signalledRtp != null ? "signalled " + signalledRtp
                : "waiting";
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            allocator.release(ports);
        }
    }
}
