package io.webcall.relay.ice;

import io.webcall.relay.stats.RelayMetrics;
import org.ice4j.ice.Agent;
import org.ice4j.ice.LocalCandidate;
import org.ice4j.ice.harvest.AbstractUdpListener;
import org.ice4j.ice.harvest.SinglePortUdpHarvester;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

/**
 * Moves the shared WebRTC port of ice4j's {@link SinglePortUdpHarvester} to the relay's own
 * {@link WebRtcPort}. ice4j keeps doing ICE (its listener still routes STUN to agents by ufrag and then by
 * address, its agents still answer and send checks), but reads only what the relay's loop hands it and sends
 * through the relay's channel; media from an address an agent selected never passes through ice4j.
 *
 * <p>ice4j has no hook for either direction, so at start its listener's {@code receiveSocket} is replaced by
 * an {@link IceSlowPath} and the sockets of its {@code SocketPool} by one {@link ChannelSendSocket}; ice4j's
 * own sockets are then closed and the relay's channel binds the port they held. Any change of those internals
 * makes this fail at start (the relay does not start), and a test checks it. ice4j's table of accepted remote
 * addresses is replaced by an {@link AddressBindings} (ICE restarts from an address an older agent holds).
 */
public final class IcePortTakeover {

    /** How long the listener thread may take to move to the slow-path socket. */
    private static final long LISTENER_MOVE_MILLIS = 5000;

    private IcePortTakeover() {
    }

    /** Takes the harvester's port over; the returned port's loop is running. */
    public static WebRtcPort install(SinglePortUdpHarvester harvester, int receiveBufferSize, RelayMetrics metrics)
            throws IOException {
        return install(harvester, receiveBufferSize, metrics, null);
    }

    /**
     * Takes the harvester's port over; the returned port is read by its own loop thread, or by
     * {@code sharedLoop} when one is given.
     */
    public static WebRtcPort install(SinglePortUdpHarvester harvester, int receiveBufferSize, RelayMetrics metrics,
                                     WebRtcPort.SharedLoop sharedLoop) throws IOException {
        WebRtcPort port = null;
        try {
            Field socketsField = field(AbstractUdpListener.class, "sockets");
            if (!((Map<?, ?>) socketsField.get(harvester)).isEmpty()) {
                throw new IOException("ice4j accepted a remote address before the relay took the port over");
            }
            AddressBindings accepted = new AddressBindings();
            socketsField.set(harvester, accepted);
            Map<?, ?> candidates = (Map<?, ?>) field(SinglePortUdpHarvester.class, "candidates").get(harvester);
            Field receive = field(AbstractUdpListener.class, "receiveSocket");
            Field poolField = field(AbstractUdpListener.class, "socketPool");
            Object pool = poolField.get(harvester);
            Field poolSockets = field(pool.getClass(), "sockets");
            Class<?> socketAndIndex = Class.forName(pool.getClass().getName() + "$SocketAndIndex", true,
                    pool.getClass().getClassLoader());
            Constructor<?> entry = socketAndIndex.getDeclaredConstructor(DatagramSocket.class, int.class);
            Field entrySocket = field(socketAndIndex, "socket");

            DatagramSocket real = (DatagramSocket) receive.get(harvester);
            InetSocketAddress bound = (InetSocketAddress) real.getLocalSocketAddress();
            IceSlowPath slow = new IceSlowPath(bound, WebRtcPort.SLOW_PATH_CAPACITY);
            if (harvester instanceof SharedPortHarvester shared) {
                shared.useBindings(accepted);
                slow.beforeDispatch((data, len, source) -> {
                    shared.beforeDispatch(data, len);
                    accepted.beforeDispatch(data, len, source, shared::takesNewAddress);
                });
            }
            receive.set(harvester, slow);
            wakeListener(real);
            if (!slow.awaitReader(LISTENER_MOVE_MILLIS)) {
                throw new IOException("ice4j's listener thread did not move to the relay's socket");
            }

            // ice4j's sockets give the port back; the relay's channel takes it and sends for ice4j from now on
            List<?> oldSockets = (List<?>) poolSockets.get(pool);
            for (Object old : oldSockets) {
                ((DatagramSocket) entrySocket.get(old)).close();
            }
            port = new WebRtcPort(bound, receiveBufferSize, metrics);
            poolSockets.set(pool, List.of(entry.newInstance(new ChannelSendSocket(port), 0)));
            port.start(new DatagramScreen(ufrag -> password(candidates.get(ufrag)), accepted::containsKey), slow,
                    sharedLoop);
            return port;
        } catch (ReflectiveOperationException | RuntimeException | InterruptedException e) {
            if (port != null) {
                port.close();
            }
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IOException("cannot take over the WebRTC port from this ice4j version", e);
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
     * The listener thread may already wait on ice4j's socket; one empty datagram lets it loop once (ice4j
     * drops it) so that from then on it reads the slow-path socket.
     */
    private static void wakeListener(DatagramSocket real) throws IOException {
        InetAddress address = real.getLocalAddress();
        if (address == null || address.isAnyLocalAddress()) {
            address = InetAddress.getLoopbackAddress();
        }
        try (DatagramSocket s = new DatagramSocket(0, address)) {
            s.send(new DatagramPacket(new byte[0], 0, new InetSocketAddress(address, real.getLocalPort())));
        }
    }
}
