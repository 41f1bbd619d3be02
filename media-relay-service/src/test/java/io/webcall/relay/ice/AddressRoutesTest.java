package io.webcall.relay.ice;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

class AddressRoutesTest {

    @Test
    void routesAreFoundByAddressAndPortAndRemovedOnlyByTheirOwner() throws Exception {
        AddressRoutes routes = new AddressRoutes();
        List<MediaRoute> owners = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            MediaRoute r = (b, off, len) -> { };
            owners.add(r);
            routes.put(address("10.0." + (i / 250) + "." + (i % 250), 40000 + i), r);
        }
        assertEquals(1000, routes.size());
        for (int i = 0; i < 1000; i++) {
            assertSame(owners.get(i), routes.get(address("10.0." + (i / 250) + "." + (i % 250), 40000 + i)));
        }
        assertNull(routes.get(address("10.0.0.0", 40001)), "same port, other address");
        assertNull(routes.get(address("10.0.0.1", 40000)), "same address, other port");

        InetSocketAddress first = address("10.0.0.0", 40000);
        MediaRoute restarted = (b, off, len) -> { };
        routes.put(first, restarted);
        routes.remove(first, owners.get(0));
        assertSame(restarted, routes.get(first), "an older owner cannot remove its successor's route");
        routes.remove(first, restarted);
        assertNull(routes.get(first));
        for (int i = 1; i < 1000; i++) {
            routes.remove(address("10.0." + (i / 250) + "." + (i % 250), 40000 + i), owners.get(i));
        }
        assertEquals(0, routes.size());

        InetSocketAddress v6 = new InetSocketAddress(InetAddress.getByName("::1"), 5000);
        routes.put(v6, restarted);
        assertSame(restarted, routes.get(new InetSocketAddress(InetAddress.getByName("::1"), 5000)));
        routes.remove(v6, restarted);
        assertNull(routes.get(v6));
    }

    private static InetSocketAddress address(String ip, int port) throws Exception {
        return new InetSocketAddress(InetAddress.getByName(ip), port);
    }
}
