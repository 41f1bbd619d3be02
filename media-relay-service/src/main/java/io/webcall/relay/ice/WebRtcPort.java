package io.webcall.relay.ice;

import io.webcall.relay.rtp.ByteBuffers;
import io.webcall.relay.stats.DropReason;
import io.webcall.relay.stats.RelayMetrics;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.atomic.LongAdder;

/**
 * The shared WebRTC port, owned by the relay: one non-blocking channel read by one selector loop thread.
 * Datagrams are told apart by their first byte (RFC 7983 section 7) and their source:
 * <ul>
 *   <li>not STUN, from a remote address an ICE agent selected ({@link #route}): handed straight to that
 *   session's {@link MediaRoute} on the loop thread (DTLS, SRTP, SRTCP), with no copy and no ICE stack;</li>
 *   <li>everything else passes the {@link DatagramScreen} (dropped and counted by reason when it fails) and
 *   goes as a copy to the ICE stack (ice4j's listener reads it from {@link IceSlowPath}): STUN always
 *   (connectivity checks, consent freshness, ICE restarts), and DTLS or early SRTP from an address whose
 *   agent has no selected pair yet.</li>
 * </ul>
 * Everything the relay sends toward browsers leaves through this channel: media via {@link #send}, and the
 * ICE stack's STUN via {@link ChannelSendSocket}.
 */
public final class WebRtcPort implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(WebRtcPort.class);

    /** Datagrams read per readiness event before selecting again. */
    private static final int BATCH = 64;
    /** Copies waiting for the ICE stack; beyond this the slow path drops and counts. */
    static final int SLOW_PATH_CAPACITY = 4096;

    private final DatagramChannel channel;
    private final Selector selector;
    private final InetSocketAddress local;
    private final RelayMetrics metrics;
    private final AddressRoutes routes = new AddressRoutes();
    private final LongAdder fastPath = new LongAdder();
    private final LongAdder slowPath = new LongAdder();
    private final LongAdder slowPathPayload = new LongAdder();
    private volatile DatagramScreen screen;
    private volatile IceSlowPath ice;
    private volatile boolean closed;
    private Thread thread;
    /** Receive buffer of whichever thread drains the channel. */
    private final ByteBuffer buffer = ByteBuffer.allocate(2048);

    /** Binds the port (not yet read: see {@link #start}). */
    WebRtcPort(InetSocketAddress bind, int receiveBufferSize, RelayMetrics metrics) throws IOException {
        this.metrics = metrics;
        channel = bind.getAddress() instanceof Inet4Address
                ? DatagramChannel.open(StandardProtocolFamily.INET) : DatagramChannel.open();
        try {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, receiveBufferSize);
            channel.bind(bind);
            channel.configureBlocking(false);
            selector = Selector.open();
            channel.register(selector, SelectionKey.OP_READ);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        local = (InetSocketAddress) channel.getLocalAddress();
    }

    /**
     * Starts reading: from now on the screen decides what reaches {@code ice}. With {@code sharedLoop} null the
     * port has its own loop thread; otherwise the given loop calls the drain task whenever the channel is
     * readable (one thread then serves both sides of every call).
     */
    void start(DatagramScreen datagramScreen, IceSlowPath slowPathSocket, SharedLoop sharedLoop) throws IOException {
        this.screen = datagramScreen;
        this.ice = slowPathSocket;
        if (sharedLoop != null) {
            selector.close();
            sharedLoop.register(channel, this::drain);
            return;
        }
        thread = new Thread(this::run, "relay-webrtc-loop");
        thread.setDaemon(true);
        thread.start();
    }

    /** A selector loop that can read the port's channel (the RTP side's loop). */
    @FunctionalInterface
    public interface SharedLoop {
        void register(DatagramChannel channel, Runnable onReadable) throws IOException;
    }

    public InetSocketAddress localAddress() {
        return local;
    }

    /** The socket receive buffer the kernel granted (Linux doubles the request, capped by rmem_max). */
    public int receiveBufferSize() throws IOException {
        return channel.getOption(StandardSocketOptions.SO_RCVBUF);
    }

    /**
     * From now on non-STUN datagrams from {@code remote} go to {@code route} on the loop thread. A later
     * route for the same address replaces this one.
     */
    public void route(InetSocketAddress remote, MediaRoute route) {
        routes.put(remote, route);
    }

    /** Removes the route of {@code remote} if it is still {@code route}. */
    public void unroute(InetSocketAddress remote, MediaRoute route) {
        routes.remove(remote, route);
    }

    /** Whether datagrams from {@code remote} currently take the fast path. */
    public boolean isRouted(InetSocketAddress remote) {
        return routes.get(remote) != null;
    }

    /** Datagrams handed to a {@link MediaRoute} so far. */
    public long fastPathDatagrams() {
        return fastPath.sum();
    }

    /** Datagrams that passed the screen and went to the ICE stack so far. */
    public long slowPathDatagrams() {
        return slowPath.sum();
    }

    /** Of {@link #slowPathDatagrams}, those that were not STUN (DTLS or SRTP before a pair was selected). */
    public long slowPathPayloadDatagrams() {
        return slowPathPayload.sum();
    }

    /** Sends one datagram from the shared port; false if it was not sent (port closed, buffer full). */
    public boolean send(byte[] buf, int off, int len, SocketAddress to) {
        try {
            return channel.send(ByteBuffers.view(buf, off, len), to) == len;
        } catch (IOException e) {
            return false;
        }
    }

    public boolean isClosed() {
        return closed;
    }

    private void run() {
        while (!closed) {
            try {
                selector.select(1000);
                selector.selectedKeys().clear();
                drain();
            } catch (IOException | RuntimeException e) {
                if (!closed) {
                    LOG.warn("WebRTC port loop error", e);
                }
            }
        }
    }

    /** Reads what the socket holds (up to a batch) and hands each datagram on; on the loop thread only. */
    private void drain() {
        for (int i = 0; i < BATCH; i++) {
            buffer.clear();
            SocketAddress source;
            try {
                source = channel.receive(buffer);
            } catch (IOException e) {
                if (!closed) {
                    LOG.debug("WebRTC port receive", e);
                }
                return;
            }
            if (source == null) {
                return;
            }
            onDatagram(buffer.array(), buffer.position(), (InetSocketAddress) source);
        }
    }

    private void onDatagram(byte[] b, int len, InetSocketAddress source) {
        // RFC 7983 section 7: first byte 0..3 is STUN, which always goes to the ICE stack
        if (len > 0 && (b[0] & 0xff) > 3) {
            MediaRoute route = routes.get(source);
            if (route != null) {
                fastPath.increment();
                try {
                    route.onMedia(b, 0, len);
                } catch (RuntimeException e) {
                    LOG.warn("media handler failed", e);
                }
                return;
            }
        }
        DropReason reason;
        try {
            reason = screen.check(b, 0, len, source);
        } catch (RuntimeException e) {
            reason = DropReason.GARBAGE;
        }
        if (reason != null) {
            metrics.drop(reason);
            return;
        }
        if (ice.offer(b, 0, len, source)) {
            slowPath.increment();
            if (len > 0 && (b[0] & 0xff) > 3) {
                slowPathPayload.increment();
            }
        } else {
            metrics.drop(DropReason.ICE_OVERFLOW);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        IceSlowPath slow = ice;
        if (slow != null) {
            slow.close();
        }
        try {
            if (selector.isOpen()) {
                selector.wakeup();
            }
            channel.close();
            selector.close();
        } catch (IOException e) {
            LOG.debug("closing the WebRTC port", e);
        }
    }
}
