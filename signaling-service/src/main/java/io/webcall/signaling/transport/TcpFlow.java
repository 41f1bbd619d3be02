package io.webcall.signaling.transport;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import io.webcall.signaling.sip.SipMessage;

/** A SIP over TCP or TLS connection (RFC 3261 sections 18 and 26.2), accepted from or opened toward a PBX. */
final class TcpFlow implements Flow {

    private final String id;
    private final NetSocket socket;
    private final String host;
    private final int port;
    final RateLimiter limiter;
    private final Transport transport;
    volatile long lastSeen = System.nanoTime();
    volatile boolean open = true;

    TcpFlow(String id, NetSocket socket, RateLimiter limiter, Transport transport) {
        this.transport = transport;
        this.id = id;
        this.socket = socket;
        this.host = socket.remoteAddress().host();
        this.port = socket.remoteAddress().port();
        this.limiter = limiter;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public Transport transport() {
        return transport;
    }

    @Override
    public String remoteHost() {
        return host;
    }

    @Override
    public int remotePort() {
        return port;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void send(SipMessage message) {
        if (open) {
            socket.write(Buffer.buffer(message.toBytes()));
        }
    }

    @Override
    public void sendRaw(byte[] bytes) {
        if (open) {
            socket.write(Buffer.buffer(bytes));
        }
    }

    @Override
    public void close() {
        if (open) {
            socket.close();
        }
    }

    @Override
    public String toString() {
        return id + "(" + host + ":" + port + ")";
    }
}
