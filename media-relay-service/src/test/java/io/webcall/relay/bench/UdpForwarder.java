package io.webcall.relay.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.HashMap;
import java.util.Map;

/**
 * The benchmark's ceiling: a bare UDP forwarder with no crypto, run as its own process so its CPU can be
 * read from /proc. Datagrams on the front socket go to the echo address from the back socket; what comes
 * back is returned to the sender of that RTP SSRC. One thread, one selector, nothing else.
 * Prints {@code front <port>} when ready and exits when its standard input closes.
 */
public final class UdpForwarder {

    private UdpForwarder() {
    }

    public static void main(String[] args) throws IOException {
        InetSocketAddress echo = new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(args[0]));
        DatagramChannel front = DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        DatagramChannel back = DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        front.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 4 << 20);
        back.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 4 << 20);
        front.configureBlocking(false);
        back.configureBlocking(false);
        Selector selector = Selector.open();
        front.register(selector, SelectionKey.OP_READ);
        back.register(selector, SelectionKey.OP_READ);
        System.out.println("front " + ((InetSocketAddress) front.getLocalAddress()).getPort());
        System.out.flush();
        Thread watchdog = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // wait for the parent to go away
                }
            } catch (IOException e) {
                // parent gone
            }
            System.exit(0);
        });
        watchdog.setDaemon(true);
        watchdog.start();
        Map<Integer, SocketAddress> senders = new HashMap<>();
        ByteBuffer buf = ByteBuffer.allocateDirect(2048);
        while (true) {
            selector.select();
            selector.selectedKeys().clear();
            SocketAddress from;
            while (true) {
                buf.clear();
                if ((from = front.receive(buf)) == null) {
                    break;
                }
                buf.flip();
                if (buf.remaining() >= 12) {
                    senders.put(buf.getInt(8), from);
                    back.send(buf, echo);
                }
            }
            while (true) {
                buf.clear();
                if (back.receive(buf) == null) {
                    break;
                }
                buf.flip();
                if (buf.remaining() >= 12) {
                    SocketAddress to = senders.get(buf.getInt(8));
                    if (to != null) {
                        front.send(buf, to);
                    }
                }
            }
        }
    }
}
