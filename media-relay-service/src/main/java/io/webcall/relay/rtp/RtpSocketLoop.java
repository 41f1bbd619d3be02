package io.webcall.relay.rtp;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One event loop that reads every RTP/RTCP socket of the PBX side (no thread per call).
 */
@ApplicationScoped
public class RtpSocketLoop {

    private static final Logger LOG = Logger.getLogger(RtpSocketLoop.class);

    /** Handles one received datagram; the array is reused after the call returns. */
    @FunctionalInterface
    public interface DatagramHandler {
        void onDatagram(byte[] buf, int off, int len, SocketAddress source);
    }

    /** A channel and what its key carries: a {@link DatagramHandler}, or a task that reads the channel itself. */
    private record Registration(DatagramChannel channel, Object handler) {
    }

    private final Queue<Registration> pending = new ConcurrentLinkedQueue<>();
    private volatile Selector selector;
    private volatile boolean running = true;

    /** Opens the selector and starts the loop (not in the constructor: the bean's client proxy calls that too). */
    @PostConstruct
    void start() {
        try {
            selector = Selector.open();
        } catch (IOException e) {
            throw new IllegalStateException("cannot open a selector", e);
        }
        Thread thread = new Thread(this::run, "relay-rtp-loop");
        thread.setDaemon(true);
        thread.start();
    }

    public void register(DatagramChannel channel, DatagramHandler handler) {
        pending.add(new Registration(channel, handler));
        selector.wakeup();
    }

    /** The loop thread's receive buffer. */
    private final ByteBuffer buffer = ByteBuffer.allocate(2048);
    private final java.util.function.Consumer<SelectionKey> readyAction = this::onReady;

    /**
     * Registers a channel whose own code reads it: {@code onReadable} runs on this loop's thread whenever the
     * channel has datagrams (the shared WebRTC port when it shares this loop).
     */
    public void registerReader(DatagramChannel channel, Runnable onReadable) {
        pending.add(new Registration(channel, onReadable));
        selector.wakeup();
    }

    private void run() {
        while (running) {
            try {
                selector.select(readyAction, 1000);
                Registration r;
                while ((r = pending.poll()) != null) {
                    try {
                        r.channel().register(selector, SelectionKey.OP_READ, r.handler());
                    } catch (ClosedChannelException e) {
                        // closed before it was registered
                    }
                }
            } catch (IOException | RuntimeException e) {
                if (running) {
                    LOG.warn("RTP loop error", e);
                }
            }
        }
    }

    private void onReady(SelectionKey key) {
        if (!key.isValid()) {
            return;
        }
        if (key.attachment() instanceof Runnable reader) {
            try {
                reader.run();
            } catch (RuntimeException e) {
                LOG.warn("reader failed", e);
            }
            return;
        }
        DatagramChannel channel = (DatagramChannel) key.channel();
        DatagramHandler handler = (DatagramHandler) key.attachment();
        // one datagram per ready socket and round: a call's socket carries about 50 packets/s, so reading on
        // until it is empty would cost a second, empty recvfrom for nearly every packet; what is left keeps the
        // socket ready for the next select (level-triggered)
        buffer.clear();
        SocketAddress source;
        try {
            source = channel.receive(buffer);
        } catch (IOException e) {
            return;
        }
        if (source == null) {
            return;
        }
        try {
            handler.onDatagram(buffer.array(), 0, buffer.position(), source);
        } catch (RuntimeException e) {
            LOG.warn("RTP handler failed", e);
        }
    }

    @PreDestroy
    void stop() {
        running = false;
        selector.wakeup();
    }
}
