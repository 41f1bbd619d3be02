package io.webcall.relay.ice;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The shared port's routes by remote address, read on the loop thread for every datagram. IPv4 addresses are
 * kept in an open-addressing table keyed by address and port packed in a long, replaced as a whole when a route
 * changes (a few times per call), so a lookup is a hash, a few array reads and no lock; IPv6 addresses use a
 * concurrent map.
 */
final class AddressRoutes {

    private record Table(long[] keys, MediaRoute[] routes, int size) {
    }

    private static final long EMPTY = -1L;

    static {
        // keys use Inet4Address.hashCode(), which is the address itself in the JDK; refuse to run otherwise
        try {
            if (InetAddress.getByAddress(new byte[] {(byte) 203, 0, 113, 7}).hashCode() != 0xCB007107) {
                throw new IllegalStateException("Inet4Address.hashCode() is not the address on this JDK");
            }
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private volatile Table table = newTable(16);
    private final Map<InetSocketAddress, MediaRoute> other = new ConcurrentHashMap<>();

    MediaRoute get(InetSocketAddress address) {
        long key = key(address);
        if (key == EMPTY) {
            return other.get(address);
        }
        Table t = table;
        long[] keys = t.keys;
        int mask = keys.length - 1;
        for (int i = mix(key) & mask; ; i = (i + 1) & mask) {
            long k = keys[i];
            if (k == key) {
                return t.routes[i];
            }
            if (k == EMPTY) {
                return null;
            }
        }
    }

    synchronized void put(InetSocketAddress address, MediaRoute route) {
        long key = key(address);
        if (key == EMPTY) {
            other.put(address, route);
            return;
        }
        Table t = table;
        int capacity = t.keys.length;
        if ((t.size + 1) * 2 > capacity) {
            capacity *= 2;
        }
        table = insert(copy(t, capacity, EMPTY), key, route);
    }

    /** Removes the route of {@code address} if it is {@code route}. */
    synchronized void remove(InetSocketAddress address, MediaRoute route) {
        long key = key(address);
        if (key == EMPTY) {
            other.remove(address, route);
            return;
        }
        if (get(address) != route) {
            return;
        }
        Table t = table;
        int capacity = t.keys.length;
        while (capacity > 16 && (t.size - 1) * 8 < capacity) {
            capacity /= 2;
        }
        table = copy(t, capacity, key);
    }

    int size() {
        return table.size + other.size();
    }

    private static Table newTable(int capacity) {
        long[] keys = new long[capacity];
        java.util.Arrays.fill(keys, EMPTY);
        return new Table(keys, new MediaRoute[capacity], 0);
    }

    /** A table of {@code capacity} slots with every entry of {@code t} but {@code without}. */
    private static Table copy(Table t, int capacity, long without) {
        Table copy = newTable(capacity);
        for (int i = 0; i < t.keys.length; i++) {
            if (t.keys[i] != EMPTY && t.keys[i] != without) {
                copy = insert(copy, t.keys[i], t.routes[i]);
            }
        }
        return copy;
    }

    private static Table insert(Table t, long key, MediaRoute route) {
        int mask = t.keys.length - 1;
        for (int i = mix(key) & mask; ; i = (i + 1) & mask) {
            if (t.keys[i] == key) {
                t.routes[i] = route;
                return t;
            }
            if (t.keys[i] == EMPTY) {
                t.keys[i] = key;
                t.routes[i] = route;
                return new Table(t.keys, t.routes, t.size + 1);
            }
        }
    }

    /** IPv4 address (its hash code, see above) and port in one long, or {@link #EMPTY} for anything else. */
    private static long key(InetSocketAddress address) {
        InetAddress a = address.getAddress();
        if (!(a instanceof Inet4Address v4)) {
            return EMPTY;
        }
        return ((v4.hashCode() & 0xffffffffL) << 16) | address.getPort();
    }

    private static int mix(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }
}
