package io.webcall.relay.ice;

import io.quarkus.test.junit.QuarkusTest;
import io.webcall.relay.control.RelayApi;
import io.webcall.relay.peer.TestPeer;
import io.webcall.relay.stats.DropReason;
import io.webcall.relay.stats.RelayMetrics;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Media from the remote address of an agent's selected pair is handled by the relay's own loop on the shared
 * port, never by the ICE stack; a copy of the same media from any other address is still screened out and
 * counted; an ICE restart moves the fast path to the restarted agent's address and off the old one.
 */
@QuarkusTest
class WebRtcPortFastPathTest {

    @Inject
    IceHarvesterHolder ice;

    @Inject
    RelayMetrics metrics;

    @Test
    void mediaFromTheSelectedAddressBypassesTheIceStackAndCopiesFromElsewhereAreDropped() throws Exception {
        String callId = "fast-path-" + System.nanoTime();
        WebRtcPort port = ice.webRtcPort();
        try (TestPeer peer = new TestPeer();
             DatagramSocket attacker = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            String answer = RelayApi.offer(callId, peer.offer("sendrecv"), "webrtc", "echo");
            peer.connect(answer).get(15, TimeUnit.SECONDS);
            InetSocketAddress peerAddress = peer.localAddress();
            assertNotNull(peerAddress, "the peer has a selected pair");
            await(() -> port.isRouted(peerAddress), "the peer's address takes the fast path");

            long fastBefore = port.fastPathDatagrams();
            long payloadToIceBefore = port.slowPathPayloadDatagrams();
            byte[] wire = null;
            for (int i = 0; i < 20; i++) {
                wire = peer.sendRtp(111, new byte[160], false);
                Thread.sleep(5);
            }
            assertTrue(peer.collect(1500).size() >= 19, "the media is echoed");
            assertTrue(port.fastPathDatagrams() - fastBefore >= 20, "every packet was handled by the relay's loop");
            assertEquals(payloadToIceBefore, port.slowPathPayloadDatagrams(), "no media went through the ICE stack");

            // the same SRTP packet from an address no agent accepted: screened, counted, not relayed
            double garbageBefore = metrics.dropped(DropReason.GARBAGE);
            long fastBeforeCopy = port.fastPathDatagrams();
            InetSocketAddress relay = new InetSocketAddress(InetAddress.getLoopbackAddress(), ice.port());
            attacker.send(new DatagramPacket(wire, wire.length, relay));
            await(() -> metrics.dropped(DropReason.GARBAGE) >= garbageBefore + 1, "the copy is counted as garbage");
            assertEquals(fastBeforeCopy, port.fastPathDatagrams(), "the copy took no fast path");
            assertFalse(port.isRouted((InetSocketAddress) attacker.getLocalSocketAddress()));
        } finally {
            RelayApi.deleteIfPresent(callId);
        }
    }

    @Test
    void anIceRestartMovesTheFastPathToTheNewAddress() throws Exception {
        String callId = "fast-path-restart-" + System.nanoTime();
        WebRtcPort port = ice.webRtcPort();
        InetSocketAddress after;
        try (TestPeer peer = new TestPeer()) {
            String first = RelayApi.offer(callId, peer.offer("sendrecv"), "webrtc", "echo");
            peer.connect(first).get(15, TimeUnit.SECONDS);
            InetSocketAddress before = peer.localAddress();
            await(() -> port.isRouted(before), "the first address takes the fast path");

            String second = RelayApi.offer(callId, peer.restartIce(), "webrtc", "echo", "tag-a", true);
            peer.reconnectIce(second).get(15, TimeUnit.SECONDS);
            after = peer.localAddress();
            InetSocketAddress restarted = after;
            assertNotEquals(before, restarted, "the restarted peer checks from a new address");
            await(() -> port.isRouted(restarted), "the new address takes the fast path");
            await(() -> !port.isRouted(before), "the old address leaves it with the old agent");

            peer.clearReceived();
            long payloadToIceBefore = port.slowPathPayloadDatagrams();
            for (int i = 0; i < 10; i++) {
                peer.sendRtp(111, new byte[160]);
                Thread.sleep(5);
            }
            assertTrue(peer.collect(1500).size() >= 9, "media after the restart is echoed");
            assertEquals(payloadToIceBefore, port.slowPathPayloadDatagrams(), "no media went through the ICE stack");
        } finally {
            RelayApi.deleteIfPresent(callId);
        }
        InetSocketAddress last = after;
        await(() -> !port.isRouted(last), "a deleted call leaves no route");
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting: " + what);
            }
            Thread.sleep(20);
        }
    }
}
