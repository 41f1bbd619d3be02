package io.webcall.signaling.transport;

import io.vertx.core.http.ServerWebSocket;
import io.webcall.signaling.sip.SipMessage;

import java.nio.charset.StandardCharsets;

/** A browser's SIP over WebSocket connection (RFC 7118): one SIP message per text or binary frame. */
final class WsFlow implements Flow {

    private final String id;
    private final Transport transport;
    private final ServerWebSocket ws;
    private final String host;
    private final int port;
    final RateLimiter limiter;
    volatile long lastSeen = System.nanoTime();
    volatile boolean open = true;

    WsFlow(String id, Transport transport, ServerWebSocket ws, RateLimiter limiter) {
        this.id = id;
        this.transport = transport;
        this.ws = ws;
        this.host = ws.remoteAddress().host();
        this.port = ws.remoteAddress().port();
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
            ws.writeTextMessage(message.toText());
        }
    }

    @Override
    public void sendRaw(byte[] bytes) {
        if (open) {
            ws.writeTextMessage(new String(bytes, StandardCharsets.UTF_8));
        }
    }

    void ping() {
        if (open) {
            ws.writePing(io.vertx.core.buffer.Buffer.buffer("k"));
        }
    }

    @Override
    public void close() {
        if (open) {
            ws.close();
        }
    }

    void close(short code, String reason) {
        if (open) {
            ws.close(code, reason);
        }
    }

    @Override
    public String toString() {
        return id + "(" + host + ":" + port + ")";
    }
}
