package io.webcall.relay.ice;

import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * ice4j's table of remote addresses to the socket of the agent that accepted them, replaced by this one on the
 * shared port so that an ICE restart from the same remote address works (RFC 8445 section 9, RFC 8839 section
 * 4.4.1.1.1). ice4j binds an address to one agent, by the USERNAME of the first Binding request from it, and
 * dispatches every later datagram from it by address alone; a browser that restarts ICE but keeps its port
 * then sends its checks with the new credentials to the old agent, which refuses them. Here an address can be
 * held by one socket per agent (local ufrag), and before ice4j's listener dispatches a datagram
 * ({@link #beforeDispatch}, on that thread):
 * <ul>
 *   <li>a Binding request goes to the socket of the agent its USERNAME names; if that agent has none for this
 *   address yet and may take new addresses, the address is released so that ice4j accepts it for that agent
 *   (the older agent keeps its socket for the requests that still name it);</li>
 *   <li>a STUN response goes to the newest agent's socket (the restarted agent's checks must see their
 *   answers; the old agent's consent checks end with it once the restarted agent has a pair).</li>
 * </ul>
 * Everything else from the address goes where the last STUN went; media from an address an agent selected
 * does not come here at all (it takes the shared port's fast path). ice4j removes an address when the socket
 * that held it closes; a socket an agent of a newer generation displaced does not take the address with it.
 */
final class AddressBindings extends ConcurrentHashMap<SocketAddress, Object> {

    private record Binding(String ufrag, Object socket) {
    }

    private static final Field CLOSED;

    static {
        try {
            Class<?> socket = Class.forName("org.ice4j.ice.harvest.AbstractUdpListener$MySocket", false,
                    AddressBindings.class.getClassLoader());
            CLOSED = socket.getDeclaredField("closed");
            CLOSED.setAccessible(true);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("ice4j's accepted sockets have changed", e);
        }
    }

    /** Every live socket per address, oldest first; guarded by itself. */
    private final Map<SocketAddress, List<Binding>> all = new HashMap<>();

    /** The socket ice4j accepted for {@code address} on behalf of the agent with local {@code ufrag}. */
    void accepted(SocketAddress address, String ufrag, Object socket) {
        synchronized (all) {
            List<Binding> list = all.computeIfAbsent(address, a -> new ArrayList<>(2));
            list.removeIf(b -> isClosed(b.socket));  // one that closed before it could be recorded
            list.add(new Binding(ufrag, socket));
        }
    }

    /**
     * Points {@code source} at the socket the datagram belongs to, before ice4j's listener looks it up.
     *
     * @param takesNewAddress whether the agent with this local ufrag may be given a new remote address
     */
    void beforeDispatch(byte[] data, int len, InetSocketAddress source, Predicate<String> takesNewAddress) {
        if (!StunMessages.isStun(data, 0, len)) {
            return;
        }
        Object current = get(source);
        if (current == null) {
            return;  // ice4j accepts the address by the request's USERNAME as usual
        }
        String ufrag = StunMessages.bindingRequestUfrag(data, 0, len);
        synchronized (all) {
            List<Binding> list = all.get(source);
            if (list == null) {
                return;
            }
            if (ufrag != null) {
                Binding target = null;
                for (Binding b : list) {
                    if (b.ufrag.equals(ufrag) && !isClosed(b.socket)) {
                        target = b;
                    }
                }
                if (target != null) {
                    if (target.socket != current) {
                        replace(source, current, target.socket);
                    }
                } else if (takesNewAddress.test(ufrag)) {
                    super.remove(source, current);
                }
            } else if (StunMessages.isResponse(data, 0, len)) {
                for (int i = list.size() - 1; i >= 0; i--) {
                    Object newest = list.get(i).socket;
                    if (!isClosed(newest)) {
                        if (newest != current) {
                            replace(source, current, newest);
                        }
                        break;
                    }
                }
            }
        }
    }

    /**
     * ice4j calls this when a socket of {@code key} closes: the address goes to another live socket it has, or
     * away when none is left; a closing socket that no longer holds the address changes nothing.
     */
    @Override
    public Object remove(Object key) {
        synchronized (all) {
            List<Binding> list = all.get(key);
            Binding newest = null;
            if (list != null) {
                list.removeIf(b -> isClosed(b.socket));
                if (list.isEmpty()) {
                    all.remove(key);
                } else {
                    newest = list.get(list.size() - 1);
                }
            }
            Object current = get(key);
            if (current == null || !isClosed(current)) {
                return null;
            }
            if (newest != null) {
                put((SocketAddress) key, newest.socket);
                return current;
            }
            return super.remove(key);
        }
    }

    /** Sockets held for {@code address} (for tests). */
    int socketsOf(SocketAddress address) {
        synchronized (all) {
            List<Binding> list = all.get(address);
            return list == null ? 0 : list.size();
        }
    }

    private static boolean isClosed(Object socket) {
        try {
            return CLOSED.getBoolean(socket);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
