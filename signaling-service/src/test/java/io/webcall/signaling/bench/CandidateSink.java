package io.webcall.signaling.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The UDP port the load client's WebRTC offers name as their host candidate: it receives and counts what a media
 * server sends toward the "browser" (ICE connectivity checks, which nobody answers: no media flows in the benchmark)
 * so that nothing goes to a port another program may own.
 */
final class CandidateSink implements AutoCloseable {

    private final DatagramSocket socket;
    private final AtomicLong datagrams = new AtomicLong();

    CandidateSink() {
        try {
            socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread reader = new Thread(() -> {
            DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
            while (!socket.isClosed()) {
                try {
                    socket.receive(p);
                    datagrams.incrementAndGet();
                } catch (IOException e) {
                    return;
                }
            }
        }, "candidate-sink");
        reader.setDaemon(true);
        reader.start();
    }

    int port() {
        return socket.getLocalPort();
    }

    long datagrams() {
        return datagrams.get();
    }

    @Override
    public void close() {
        socket.close();
    }
}
