package io.webcall.relay.ice;

import io.quarkus.test.junit.QuarkusTest;
import io.webcall.relay.control.RelayApi;
import io.webcall.relay.peer.TestPeer;
import io.webcall.relay.sdp.SdpParser;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * During an ICE restart a browser checks from its new-generation candidate with the old credentials until
 * the answer reaches it (RFC 8445 section 9). The established agent must not take that address: the
 * browser's checks with the new credentials from it must reach the new agent, or the restart never
 * completes and the relay sends nothing back.
 */
@QuarkusTest
class SharedPortHarvesterTest {

    @Inject
    IceHarvesterHolder harvester;

    @Test
    void aNewAddressCheckingWithTheOldCredentialsIsLeftForTheRestartedAgent() throws Exception {
        String callId = "restart-race-" + System.nanoTime();
        try (TestPeer peer = new TestPeer();
             DatagramSocket newCandidate = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            String first = RelayApi.offer(callId, peer.offer("sendrecv"), "webrtc", "echo");
            peer.connect(first).get(15, TimeUnit.SECONDS);
            // echoed media means the relay's agent has its selected pair
            for (int i = 0; i < 5; i++) {
                peer.sendRtp(111, new byte[160]);
                Thread.sleep(20);
            }
            assertTrue(peer.collect(1000).size() >= 4, "media before the restart");
            InetSocketAddress relay = new InetSocketAddress(InetAddress.getLoopbackAddress(), harvester.port());

            // the browser's new candidate checks with the old credentials, before the restart offer arrives
            send(newCandidate, relay, BadDatagramsTest.bindingRequest(attr(first, "ice-ufrag") + ":" + peer.localUfrag(),
                    attr(first, "ice-pwd").getBytes(StandardCharsets.UTF_8)));
            byte[] early = receive(newCandidate, 700);
            assertTrue(early == null || early[1] != 0x01, "no Binding success from the established agent for a new address");

            String second = RelayApi.offer(callId, peer.restartIce(), "webrtc", "echo", "tag-a", true);
            send(newCandidate, relay, BadDatagramsTest.bindingRequest(attr(second, "ice-ufrag") + ":" + peer.localUfrag(),
                    attr(second, "ice-pwd").getBytes(StandardCharsets.UTF_8)));
            byte[] response = receive(newCandidate, 5000);
            assertNotNull(response, "the restarted agent answers the new address");
            assertEquals(0x0101, ((response[0] & 0xff) << 8) | (response[1] & 0xff), "a Binding success response");
        } finally {
            RelayApi.deleteIfPresent(callId);
        }
    }

    private static String attr(String sdp, String name) {
        return SdpParser.parse(sdp).audioAttribute(name).orElseThrow();
    }

    private static void send(DatagramSocket socket, InetSocketAddress to, byte[] data) throws Exception {
        socket.send(new DatagramPacket(data, data.length, to));
    }

    /** The first STUN message received within {@code millis}, or null. */
    private static byte[] receive(DatagramSocket socket, int millis) throws Exception {
        byte[] buf = new byte[1500];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        socket.setSoTimeout(millis);
        try {
            socket.receive(p);
            return java.util.Arrays.copyOf(buf, p.getLength());
        } catch (SocketTimeoutException e) {
            return null;
        }
    }
}
