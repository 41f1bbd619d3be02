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
import java.util.Iterator;
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

    private record Registration(DatagramChannel channel, DatagramHandler handler) {
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

    private void run() {
        ByteBuffer buffer = ByteBuffer.allocate(2048);
        byte[] array = buffer.array();
        while (running) {
            try {
                selector.select(1000);
                Registration r;
                while ((r = pending.poll()) != null) {
                    try {
                        r.channel().register(selector, SelectionKey.OP_READ, r.handler());
                    } catch (ClosedChannelException e) {
                        // closed before it was registered
                    }
                }
                Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext()) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    if (!key.isValid()) {
                        continue;
                    }
                    DatagramChannel channel = (DatagramChannel) key.channel();
                    DatagramHandler handler = (DatagramHandler) key.attachment();
                    for (int i = 0; i < 16; i++) {
                        buffer.clear();
                        SocketAddress source;
                        try {
                            source = channel.receive(buffer);
                        } catch (IOException e) {
                            break;
                        }
                        if (source == null) {
                            break;
                        }
                        try {
                            handler.onDatagram(array, 0, buffer.position(), source);
                        } catch (RuntimeException e) {
                            LOG.warn("RTP handler failed", e);
                        }
                    }
                }
            } catch (IOException | RuntimeException e) {
                if (running) {
                    LOG.warn("RTP loop error", e);
                }
            }
        }
    }

    @PreDestroy
    void stop() {
        running = false;
        selector.wakeup();
    }
}
