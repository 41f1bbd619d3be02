package io.webcall.signaling.transport;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramSocket;
import io.webcall.signaling.sip.SipMessage;

/** A UDP peer address reached through the edge's shared UDP socket (RFC 3261 section 18). */
final class UdpFlow implements Flow {

    private final DatagramSocket socket;
    private final String host;
    private final int port;

    UdpFlow(DatagramSocket socket, String host, int port) {
        this.socket = socket;
        this.host = host;
        this.port = port;
    }

    @Override
    public String id() {
        return "udp:" + host + ":" + port;
    }

    @Override
    public Transport transport() {
        return Transport.UDP;
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
        return true;
    }

    @Override
    public void send(SipMessage message) {
        socket.send(Buffer.buffer(message.toBytes()), port, host);
    }

    @Override
    public void sendRaw(byte[] bytes) {
        socket.send(Buffer.buffer(bytes), port, host);
    }

    @Override
    public void close() {
        // the UDP socket is shared by every peer
    }

    @Override
    public String toString() {
        return id();
    }
}
