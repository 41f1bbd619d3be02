package io.webcall.relay.ice;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.webcall.relay.stats.DropReason;
import io.webcall.relay.stats.RelayMetrics;
import org.ice4j.Transport;
import org.ice4j.TransportAddress;
import org.ice4j.ice.harvest.AbstractUdpListener;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The relay takes the shared port over from ice4j's harvester: ice4j's listener then reads the relay's
 * slow-path socket, the relay's channel holds the port and screens what arrives, and closing the harvester
 * closes the port. This is what breaks first when ice4j's internals change (the relay refuses to start then).
 */
class IcePortTakeoverTest {

    static {
        IceSystemDefaults.apply();
    }

    @Test
    void theRelayHoldsThePortAndIce4jReadsOnlyWhatPassesTheScreen() throws Exception {
        RelayMetrics metrics = new RelayMetrics(new SimpleMeterRegistry());
        SharedPortHarvester harvester = new SharedPortHarvester(
                new TransportAddress(InetAddress.getLoopbackAddress(), 0, Transport.UDP));
        WebRtcPort port = IcePortTakeover.install(harvester, 1 << 20, metrics);
        try (DatagramSocket peer = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            Field receive = AbstractUdpListener.class.getDeclaredField("receiveSocket");
            receive.setAccessible(true);
            assertInstanceOf(IceSlowPath.class, receive.get(harvester), "ice4j's listener reads the relay's queue");
            assertEquals(harvester.getLocalAddress().getPort(), port.localAddress().getPort(), "same port");

            InetSocketAddress to = port.localAddress();
            byte[] unknown = BadDatagramsTest.bindingRequest("nosuchufrag:peer",
                    "whatever".getBytes(StandardCharsets.UTF_8));
            peer.send(new DatagramPacket(unknown, unknown.length, to));
            byte[] junk = {(byte) 0x80, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1};
            peer.send(new DatagramPacket(junk, junk.length, to));
            long deadline = System.nanoTime() + 5_000_000_000L;
            while ((metrics.dropped(DropReason.STUN_UNKNOWN_UFRAG) < 1 || metrics.dropped(DropReason.GARBAGE) < 1)
                    && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(1.0, metrics.dropped(DropReason.STUN_UNKNOWN_UFRAG), "STUN for no session counted");
            assertEquals(1.0, metrics.dropped(DropReason.GARBAGE), "RTP from no session counted");
            assertEquals(0, port.slowPathDatagrams(), "nothing reached ice4j");
        } finally {
            harvester.close();
        }
        assertTrue(port.isClosed(), "closing the harvester closes the relay's port");
        // the port is free again
        try (DatagramSocket again = new DatagramSocket(port.localAddress())) {
            assertEquals(port.localAddress().getPort(), again.getLocalPort());
        }
    }
}
