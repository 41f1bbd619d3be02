package io.webcall.signaling.transport;

/**
 * What the connection-oriented flows (WebSocket, TCP, TLS) share: a stable id used as the flow token
 * (RFC 5626 section 5.2), the peer's address, the per-connection request rate limit and the liveness
 * the keep-alive sweep reads (RFC 5626 section 4.4).
 */
abstract class ConnectionFlow implements Flow {

    private final String id;
    private final Transport transport;
    private final String host;
    private final int port;
    final RateLimiter limiter;
    /** When the last message, keep-alive or pong arrived ({@link System#nanoTime()}). */
    volatile long lastSeen = System.nanoTime();
    /** False once the connection closed; nothing is written after that. */
    volatile boolean open = true;

    ConnectionFlow(String id, Transport transport, String host, int port, RateLimiter limiter) {
        this.id = id;
        this.transport = transport;
        this.host = host;
        this.port = port;
        this.limiter = limiter;
    }

    @Override
    public final String id() {
        return id;
    }

    @Override
    public final Transport transport() {
        return transport;
    }

    @Override
    public final String remoteHost() {
        return host;
    }

    @Override
    public final int remotePort() {
        return port;
    }

    @Override
    public final boolean isOpen() {
        return open;
    }

    @Override
    public String toString() {
        return id + "(" + host + ":" + port + ")";
    }
}
