package io.webcall.signaling.transport;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import io.webcall.signaling.sip.SipMessage;

/** A SIP over TCP or TLS connection (RFC 3261 sections 18 and 26.2), accepted from or opened toward a PBX. */
final class TcpFlow extends ConnectionFlow {

    private final NetSocket socket;

    TcpFlow(String id, NetSocket socket, RateLimiter limiter, Transport transport) {
        super(id, transport, socket.remoteAddress().host(), socket.remoteAddress().port(), limiter);
        this.socket = socket;
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
}
