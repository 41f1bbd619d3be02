package io.webcall.relay.ice;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The socket ice4j's listener thread reads the shared port through once the relay owns the port: what the
 * relay's loop hands to the ICE stack (STUN, and datagrams from addresses no agent has selected yet) waits
 * here as copies. Nothing is sent through it (ice4j sends through its socket pool, see
 * {@link ChannelSendSocket}).
 */
final class IceSlowPath extends DatagramSocket {

    private record Datagram(byte[] data, InetSocketAddress source) {
    }

    /** A marker that wakes a blocked reader when the port closes. */
    private static final Datagram CLOSED = new Datagram(new byte[0], null);

    private final BlockingQueue<Datagram> queue;
    private final InetSocketAddress local;
    private final CountDownLatch reading = new CountDownLatch(1);
    private volatile boolean closed;
    /** Called on the reading thread with each datagram before it is returned (may be null). */
    private volatile Dispatch beforeDispatch;

    /** Looks at a datagram on ice4j's listener thread before that thread dispatches it. */
    @FunctionalInterface
    interface Dispatch {
        void prepare(byte[] data, int len, InetSocketAddress source);
    }

    IceSlowPath(InetSocketAddress local, int capacity) throws SocketException {
        super((SocketAddress) null);  // unbound placeholder: the relay's channel holds the port
        this.local = local;
        this.queue = new ArrayBlockingQueue<>(capacity);
    }

    /** Queues a copy of a datagram for the ICE stack; false when the queue is full. */
    boolean offer(byte[] buf, int off, int len, InetSocketAddress source) {
        byte[] copy = new byte[len];
        System.arraycopy(buf, off, copy, 0, len);
        return queue.offer(new Datagram(copy, source));
    }

    void beforeDispatch(Dispatch dispatch) {
        this.beforeDispatch = dispatch;
    }

    /** Waits until ice4j's listener thread reads from this socket. */
    boolean awaitReader(long millis) throws InterruptedException {
        return reading.await(millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void receive(DatagramPacket p) throws IOException {
        reading.countDown();
        Datagram d;
        try {
            d = closed ? CLOSED : queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SocketException("interrupted");
        }
        if (d == CLOSED || closed) {
            queue.offer(CLOSED);  // for any other reader
            throw new SocketException("WebRTC port closed");
        }
        Dispatch dispatch = beforeDispatch;
        if (dispatch != null) {
            dispatch.prepare(d.data(), d.data().length, d.source());
        }
        int n = Math.min(d.data().length, p.getData().length - p.getOffset());
        System.arraycopy(d.data(), 0, p.getData(), p.getOffset(), n);
        p.setLength(n);
        p.setSocketAddress(d.source());
    }

    @Override
    public InetAddress getLocalAddress() {
        return local.getAddress();
    }

    @Override
    public int getLocalPort() {
        return local.getPort();
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        return local;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        closed = true;
        queue.clear();
        queue.offer(CLOSED);
        super.close();
    }
}
