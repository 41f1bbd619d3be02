package io.webcall.relay.ice;

import io.webcall.relay.stats.DropReason;
import io.webcall.relay.stats.RelayMetrics;
import org.ice4j.ice.Agent;
import org.ice4j.ice.LocalCandidate;
import org.ice4j.ice.harvest.AbstractUdpListener;
import org.ice4j.ice.harvest.SinglePortUdpHarvester;

import java.io.IOException;
import java.lang.reflect.Field;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.util.Map;

/**
 * Screens the shared WebRTC port of ice4j's {@link SinglePortUdpHarvester}: every datagram passes a
 * {@link DatagramScreen} before ice4j sees it. ice4j itself silently discards garbage, STUN for unknown
 * sessions and datagrams from unknown addresses, and answers STUN with a wrong password inside its stack;
 * here each of them is dropped before ice4j and counted by reason ({@code relay_packets_dropped_total}).
 *
 * <p>ice4j offers no hook on its receive path, so the listener's receive socket is replaced (once, at
 * start) by one that screens what the real socket receives. ice4j's own tables tell the screen which
 * remote addresses are accepted and which local ufrags belong to live agents.
 */
public final class ScreenedPort {

    private ScreenedPort() {
    }

    /** Puts the screen in front of the harvester's listener thread. */
    public static void install(SinglePortUdpHarvester harvester, RelayMetrics metrics) throws IOException {
        try {
            Map<?, ?> accepted = (Map<?, ?>) field(AbstractUdpListener.class, "sockets").get(harvester);
            Map<?, ?> candidates = (Map<?, ?>) field(SinglePortUdpHarvester.class, "candidates").get(harvester);
            DatagramScreen screen = new DatagramScreen(ufrag -> password(candidates.get(ufrag)),
                    accepted::containsKey);
            Field receive = field(AbstractUdpListener.class, "receiveSocket");
            DatagramSocket real = (DatagramSocket) receive.get(harvester);
            ScreeningSocket screening = new ScreeningSocket(real, screen, metrics);
            receive.set(harvester, screening);
            wakeListener(real, screening);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IOException("cannot screen the WebRTC port with this ice4j version", e);
        }
    }

    private static Field field(Class<?> type, String name) throws NoSuchFieldException {
        Field f = type.getDeclaredField(name);
        f.setAccessible(true);
        return f;
    }

    /** The ICE password of the live agent a harvested candidate belongs to, or null. */
    private static String password(Object candidate) {
        if (!(candidate instanceof LocalCandidate c)) {
            return null;
        }
        try {
            Agent agent = c.getParentComponent().getParentStream().getParentAgent();
            return agent.getStreamCount() == 0 ? null : agent.getLocalPassword();
        } catch (RuntimeException e) {
            return null;  // freed meanwhile
        }
    }

    /**
     * The listener thread may already wait on the real socket; one empty datagram lets it loop once (ice4j
     * drops it) so that from then on it reads through the screen.
     */
    private static void wakeListener(DatagramSocket real, ScreeningSocket screening) throws IOException {
        InetAddress address = real.getLocalAddress();
        if (address == null || address.isAnyLocalAddress()) {
            address = InetAddress.getLoopbackAddress();
        }
        try (DatagramSocket s = new DatagramSocket(0, address)) {
            screening.wakeSource = s.getLocalSocketAddress();
            s.send(new DatagramPacket(new byte[0], 0, new InetSocketAddress(address, real.getLocalPort())));
        }
    }

    /** Receives through the real socket and hands on only what the screen lets through. */
    private static final class ScreeningSocket extends DatagramSocket {

        private final DatagramSocket real;
        private final DatagramScreen screen;
        private final RelayMetrics metrics;
        /** Where the wake-up datagram came from: not counted as bad input. */
        private volatile SocketAddress wakeSource;

        ScreeningSocket(DatagramSocket real, DatagramScreen screen, RelayMetrics metrics) throws SocketException {
            super((SocketAddress) null);
            this.real = real;
            this.screen = screen;
            this.metrics = metrics;
        }

        @Override
        public void receive(DatagramPacket p) throws IOException {
            byte[] data = p.getData();
            int off = p.getOffset();
            int capacity = p.getLength();
            while (true) {
                try {
                    real.receive(p);
                } catch (IOException e) {
                    if (real.isClosed()) {
                        super.close();  // the harvester closed its port: release this placeholder too
                    }
                    throw e;
                }
                DropReason reason;
                try {
                    reason = screen.check(data, off, p.getLength(), p.getSocketAddress());
                } catch (RuntimeException e) {
                    reason = DropReason.GARBAGE;
                }
                if (reason == null) {
                    return;
                }
                if (p.getLength() > 0 || !p.getSocketAddress().equals(wakeSource)) {
                    metrics.drop(reason);
                }
                p.setData(data, off, capacity);
            }
        }

        @Override
        public InetAddress getLocalAddress() {
            return real.getLocalAddress();
        }

        @Override
        public int getLocalPort() {
            return real.getLocalPort();
        }

        @Override
        public SocketAddress getLocalSocketAddress() {
            return real.getLocalSocketAddress();
        }

        @Override
        public boolean isClosed() {
            return real.isClosed();
        }

        @Override
        public void close() {
            real.close();
            super.close();
        }
    }
}
