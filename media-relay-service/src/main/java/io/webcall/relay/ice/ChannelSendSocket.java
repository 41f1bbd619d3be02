package io.webcall.relay.ice;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.SocketAddress;
import java.net.SocketException;

/**
 * The socket ice4j's socket pool sends through once the relay owns the shared port: STUN responses,
 * connectivity checks, consent checks (RFC 7675) and anything an agent's component sends go out through the
 * relay's channel, from the same port the browsers talk to.
 */
final class ChannelSendSocket extends java.net.DatagramSocket {

    private final WebRtcPort port;

    ChannelSendSocket(WebRtcPort port) throws SocketException {
        super((SocketAddress) null);  // unbound placeholder: the relay's channel holds the port
        this.port = port;
    }

    @Override
    public void send(DatagramPacket p) throws IOException {
        if (!port.send(p.getData(), p.getOffset(), p.getLength(), p.getSocketAddress())) {
            throw new IOException("datagram not sent (socket buffer full or port closed)");
        }
    }

    @Override
    public InetAddress getLocalAddress() {
        return port.localAddress().getAddress();
    }

    @Override
    public int getLocalPort() {
        return port.localAddress().getPort();
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        return port.localAddress();
    }

    @Override
    public boolean isClosed() {
        return port.isClosed();
    }

    /** ice4j closes its socket pool when the harvester closes: that closes the relay's port. */
    @Override
    public void close() {
        port.close();
        super.close();
    }
}
