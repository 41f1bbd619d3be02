package io.webcall.relay.session;

import io.quarkus.test.junit.QuarkusTest;
import io.webcall.relay.control.RelayApi;
import io.webcall.relay.ice.IceHarvesterHolder;
import io.webcall.relay.peer.TestPeer;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;

import static io.webcall.relay.session.WebRtcToPbxTest.attr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ICE restart (RFC 8445 section 9, RFC 8839 section 4.4.1.1.1): the peer offers new credentials from a
 * new candidate; the relay answers with new credentials and keeps the DTLS association, so media resumes
 * with the SRTP keys of the first handshake.
 */
@QuarkusTest
class IceRestartTest {

    @Inject
    IceHarvesterHolder ice;

    @Test
    void iceRestartGivesNewCredentialsAndKeepsDtlsAndSrtp() throws Exception {
        String callId = "restart-" + System.nanoTime();
        try (TestPeer peer = new TestPeer()) {
            String first = RelayApi.offer(callId, peer.offer("sendrecv"), "webrtc", "echo");
            peer.connect(first).get(15, TimeUnit.SECONDS);
            for (int i = 0; i < 5; i++) {
                peer.sendRtp(111, new byte[160]);
                Thread.sleep(20);
            }
            assertTrue(peer.collect(1000).size() >= 4, "media before the restart");

            String restartOffer = peer.restartIce();
            String second = RelayApi.offer(callId, restartOffer, "webrtc", "echo", "tag-a", true);
            assertNotEquals(attr(first, "ice-ufrag"), attr(second, "ice-ufrag"), "new ICE credentials");
            assertNotEquals(attr(first, "ice-pwd"), attr(second, "ice-pwd"));
            assertEquals(attr(first, "fingerprint"), attr(second, "fingerprint"), "same DTLS identity");
            assertEquals("passive", attr(second, "setup"), "same DTLS role");
            assertEquals(SdpParserPort.of(first), SdpParserPort.of(second), "same port");

            peer.reconnectIce(second).get(15, TimeUnit.SECONDS);
            peer.clearReceived();
            for (int i = 0; i < 10; i++) {
                peer.sendRtp(111, new byte[160]);
                Thread.sleep(5);
            }
            List<TestPeer.Received> back = peer.collect(1500);
            assertTrue(back.size() >= 9, "media after the restart, without a new DTLS handshake: " + back.size());
        } finally {
            RelayApi.deleteIfPresent(callId);
        }
    }

    /**
     * Between the relay's answer to a restart and the new pair's success, the peer still uses its old pair:
     * the relay keeps sending on the agent that has a selected pair instead of dropping the media.
     */
    @Test
    void mediaKeepsFlowingOnTheOldPairUntilTheRestartedAgentConnects() throws Exception {
        String callId = "restart-gap-" + System.nanoTime();
        try (TestPeer peer = new TestPeer()) {
            String first = RelayApi.offer(callId, peer.offer("sendrecv"), "webrtc", "echo");
            peer.connect(first).get(15, TimeUnit.SECONDS);
            peer.sendRtp(111, new byte[160]);
            assertTrue(peer.collect(1000).size() >= 1, "media before the restart");

            String restartOffer = peer.restartIce();
            RelayApi.offer(callId, restartOffer, "webrtc", "echo", "tag-a", true);
            peer.clearReceived();
            for (int i = 0; i < 10; i++) {
                peer.sendRtpOnPreviousPath(111, new byte[160]);
                Thread.sleep(5);
            }
            List<TestPeer.Received> back = peer.collect(1500);
            assertTrue(back.size() >= 9, "echoed on the old pair while the restarted agent has none: " + back.size());
        } finally {
            RelayApi.deleteIfPresent(callId);
        }
    }

    /**
     * A browser that restarts ICE but keeps its local port checks with the new credentials from the address the
     * old agent already knows. Those checks reach the restarted agent (not the old one, which would refuse the
     * new USERNAME), its pair is selected, the old agent retires, and media flows on the new agent's route,
     * which the old agent's retirement does not remove.
     */
    @Test
    void iceRestartFromTheSameAddressReachesTheRestartedAgent() throws Exception {
        String callId = "restart-same-port-" + System.nanoTime();
        try (TestPeer peer = new TestPeer()) {
            String first = RelayApi.offer(callId, peer.offer("sendrecv"), "webrtc", "echo");
            peer.connect(first).get(15, TimeUnit.SECONDS);
            InetSocketAddress address = peer.localAddress();
            peer.sendRtp(111, new byte[160]);
            assertTrue(peer.collect(1000).size() >= 1, "media before the restart");

            String restartOffer = peer.restartIceFromSamePort();
            String second = RelayApi.offer(callId, restartOffer, "webrtc", "echo", "tag-a", true);
            assertNotEquals(attr(first, "ice-ufrag"), attr(second, "ice-ufrag"), "new ICE credentials");

            peer.reconnectIce(second).get(15, TimeUnit.SECONDS);
            assertEquals(address, peer.localAddress(), "the peer checked from its old address");
            String transport = awaitSelectedPair(callId, 10_000);
            assertTrue(selected(transport) && transport.contains("dtls=connected"),
                    "the restarted agent has a selected pair and DTLS stays: " + transport);

            peer.clearReceived();
            for (int i = 0; i < 10; i++) {
                peer.sendRtp(111, new byte[160]);
                Thread.sleep(5);
            }
            List<TestPeer.Received> back = peer.collect(1500);
            assertTrue(back.size() >= 9, "media after the restart from the same address: " + back.size());
            assertTrue(ice.webRtcPort().isRouted(address), "the retired agent left the new agent's route in place");
        } finally {
            RelayApi.deleteIfPresent(callId);
        }
    }

    /** Whether a leg's transport state says its current ICE agent has a selected pair. */
    private static boolean selected(String transport) {
        return transport != null && (transport.startsWith("ice=Completed") || transport.startsWith("ice=Terminated"));
    }

    /** Polls the session's first leg until its current ICE agent has a selected pair; returns the last state. */
    private static String awaitSelectedPair(String callId, long millis) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        String transport;
        do {
            transport = given().when().get("/v1/sessions/{callId}", callId).then().statusCode(200)
                    .extract().path("legs[0].transport");
            if (selected(transport)) {
                return transport;
            }
            Thread.sleep(50);
        } while (System.currentTimeMillis() < end);
        return transport;
    }

    /** Port of the audio m-line. */
    static final class SdpParserPort {
        static int of(String sdp) {
            return io.webcall.relay.sdp.SdpParser.parse(sdp).audio().port();
        }
    }
}
