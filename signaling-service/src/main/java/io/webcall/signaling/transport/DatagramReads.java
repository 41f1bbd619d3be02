package io.webcall.signaling.transport;

import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MaxMessagesRecvByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.socket.DatagramChannel;
import io.vertx.core.datagram.DatagramSocket;
import org.jboss.logging.Logger;

/**
 * The size of the buffer each UDP read gets. Vert.x sizes it as the socket's receive buffer (SO_RCVBUF): with the
 * 1 MB the edge asks the kernel for (bursts of datagrams), every datagram read allocated and zeroed a fresh 1 MB
 * direct buffer. One read returns one datagram, so a buffer of the largest UDP payload is enough and comes from
 * Netty's pool; the kernel's socket buffer stays as configured.
 */
final class DatagramReads {

    private static final Logger LOG = Logger.getLogger(DatagramReads.class);

    private DatagramReads() {
    }

    /** Gives every read of {@code socket} a buffer of {@code bytes}; leaves Vert.x's allocator when its channel is not reachable. */
    static void sizeReadBuffers(DatagramSocket socket, int bytes) {
        try {
            java.lang.reflect.Field f = socket.getClass().getDeclaredField("channel");
            f.setAccessible(true);
            DatagramChannel channel = (DatagramChannel) f.get(socket);
            RecvByteBufAllocator current = channel.config().getRecvByteBufAllocator();
            FixedRecvByteBufAllocator sized = new FixedRecvByteBufAllocator(bytes);
            if (current instanceof MaxMessagesRecvByteBufAllocator m) {
                sized.maxMessagesPerRead(m.maxMessagesPerRead());
            }
            channel.config().setRecvByteBufAllocator(sized);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warnf("UDP reads keep Vert.x's buffer size (the socket's receive buffer): %s", e.toString());
        }
    }
}
