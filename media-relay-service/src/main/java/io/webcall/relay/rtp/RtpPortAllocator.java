package io.webcall.relay.rtp;

import io.webcall.relay.config.RelayConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.util.HashSet;
import java.util.Set;

/**
 * Hands out RTP/RTCP port pairs (even RTP port, RTCP on the next port, RFC 3550 section 11) from the
 * configured range, skipping ports something else holds.
 */
@ApplicationScoped
public class RtpPortAllocator {

    /** An allocated, bound pair of sockets. */
    public record PortPair(int port, DatagramChannel rtp, DatagramChannel rtcp) {
    }

    private final InetAddress bind;
    private final int min;
    private final int max;
    private final Set<Integer> inUse = new HashSet<>();
    private int next;

    public RtpPortAllocator(RelayConfig config) throws IOException {
        this.bind = InetAddress.getByName(config.bindAddress());
        this.min = config.rtp().portMin() + (config.rtp().portMin() % 2);
        this.max = config.rtp().portMax();
        if (max - min < 1) {
            throw new IllegalArgumentException("RTP port range " + config.rtp().portMin() + "-" + max + " is empty");
        }
        this.next = min;
    }

    public synchronized PortPair allocate() throws IOException {
        int slots = (max - min + 1) / 2;
        for (int i = 0; i < slots; i++) {
            int port = next;
            next += 2;
            if (next + 1 > max) {
                next = min;
            }
            if (inUse.contains(port)) {
                continue;
            }
            DatagramChannel rtp = null;
            DatagramChannel rtcp = null;
            try {
                rtp = open(port);
                rtcp = open(port + 1);
                inUse.add(port);
                return new PortPair(port, rtp, rtcp);
            } catch (IOException e) {
                closeQuietly(rtp);
                closeQuietly(rtcp);
            }
        }
        throw new IOException("no free RTP port pair in " + min + "-" + max);
    }

    public synchronized void release(PortPair pair) {
        closeQuietly(pair.rtp());
        closeQuietly(pair.rtcp());
        inUse.remove(pair.port());
    }

    public synchronized int inUseCount() {
        return inUse.size();
    }

    private DatagramChannel open(int port) throws IOException {
        DatagramChannel channel = DatagramChannel.open(bind instanceof java.net.Inet6Address
                ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        try {
            channel.bind(new InetSocketAddress(bind, port));
            channel.configureBlocking(false);
            return channel;
        } catch (IOException e) {
            channel.close();
            throw e;
        }
    }

    private static void closeQuietly(DatagramChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing to do
            }
        }
    }
}
