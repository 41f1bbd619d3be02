package io.webcall.signaling.transport;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.webcall.signaling.sip.SipMessage;

import java.nio.charset.StandardCharsets;

/** A browser's SIP over WebSocket connection (RFC 7118): one SIP message per text or binary frame. */
final class WsFlow extends ConnectionFlow {

    private final ServerWebSocket ws;

    WsFlow(String id, Transport transport, ServerWebSocket ws, RateLimiter limiter) {
        super(id, transport, ws.remoteAddress().host(), ws.remoteAddress().port(), limiter);
        this.ws = ws;
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

    /** A WebSocket ping (RFC 6455 section 5.5.2); the pong refreshes {@link #lastSeen}. */
    void ping() {
        if (open) {
            ws.writePing(Buffer.buffer("k"));
        }
    }

    @Override
    public void close() {
        if (open) {
            ws.close();
        }
    }

    /** Closes with a WebSocket close code (RFC 6455 section 7.4), e.g. when a limit is exceeded. */
    void close(short code, String reason) {
        if (open) {
            ws.close(code, reason);
        }
    }
}
