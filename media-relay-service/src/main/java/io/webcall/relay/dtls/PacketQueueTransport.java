package io.webcall.relay.dtls;

import org.bouncycastle.tls.DatagramTransport;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Adapts the demultiplexed DTLS records of one ICE transport (RFC 7983 section 7: first byte 20..63) to
 * BouncyCastle's blocking {@link DatagramTransport}.
 */
public final class PacketQueueTransport implements DatagramTransport {

    /** Sends one datagram toward the peer. */
    @FunctionalInterface
    public interface Sender {
        void send(byte[] buf, int off, int len) throws IOException;
    }

    private static final int MTU = 1200;
    private final BlockingQueue<byte[]> inbound = new ArrayBlockingQueue<>(64);
    private final Sender sender;
    private volatile boolean closed;

    public PacketQueueTransport(Sender sender) {
        this.sender = sender;
    }

    /** Queues a received DTLS datagram; false when the queue is full (the datagram is dropped). */
    public boolean offer(byte[] buf, int off, int len) {
        byte[] copy = new byte[len];
        System.arraycopy(buf, off, copy, 0, len);
        return inbound.offer(copy);
    }

    /** True when received datagrams wait to be read. */
    public boolean hasPending() {
        return !inbound.isEmpty();
    }

    /** Drops every datagram waiting to be read. */
    public void discardPending() {
        inbound.clear();
    }

    @Override
    public int getReceiveLimit() {
        return 1500;
    }

    @Override
    public int getSendLimit() {
        return MTU;
    }

    @Override
    public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
        if (closed) {
            throw new IOException("DTLS transport closed");
        }
        try {
            byte[] packet = inbound.poll(waitMillis, TimeUnit.MILLISECONDS);
            if (packet == null) {
                if (closed) {
                    throw new IOException("DTLS transport closed");
                }
                return -1;
            }
            int n = Math.min(len, packet.length);
            System.arraycopy(packet, 0, buf, off, n);
            return n;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("DTLS receive interrupted");
        }
    }

    @Override
    public void send(byte[] buf, int off, int len) throws IOException {
        if (closed) {
            throw new IOException("DTLS transport closed");
        }
        sender.send(buf, off, len);
    }

    @Override
    public void close() {
        closed = true;
    }
}
