package io.webcall.relay.session;

import io.quarkus.test.junit.QuarkusTest;
import io.webcall.relay.control.RelayApi;
import io.webcall.relay.peer.TestPeer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static io.webcall.relay.session.WebRtcToPbxTest.attr;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A WebRTC peer that presents a new certificate in a later offer: with an ICE restart the relay sets up a new DTLS
 * association checked against the new fingerprint (RFC 8842 section 5), in the role the new offer gives, and media
 * flows with its keys; without an ICE restart the offer is refused (RFC 9429 section 5.11) and the call keeps its
 * association and media.
 */
@QuarkusTest
class NewPeerCertificateTest {

    @Test
    void aNewCertificateWithAnIceRestartGetsANewAssociationWithTheRelayAsServer() throws Exception {
        renewAndExchangeMedia("actpass", "passive");
    }

    @Test
    void aNewCertificateWithAnIceRestartGetsANewAssociationWithTheRelayAsClient() throws Exception {
        renewAndExchangeMedia("passive", "active");
    }

    /**
     * Connects with the first certificate, then restarts ICE with a new certificate offering {@code setup}, and
     * checks that the relay answers {@code relaySetup} and echoes media protected with the new association's keys.
     */
    private static void renewAndExchangeMedia(String setup, String relaySetup) throws Exception {
        String callId = "new-cert-" + setup + "-" + System.nanoTime();
        try (TestPeer peer = new TestPeer()) {
            String first = RelayApi.offer(callId, peer.offer("sendrecv"), "webrtc", "echo");
            peer.connect(first).get(15, TimeUnit.SECONDS);
            assertEquals(5, echoed(peer, 5), "media with the first association");

            String oldFingerprint = peer.fingerprint();
            peer.restartIce();
            peer.newCertificate();
            assertNotEquals(oldFingerprint, peer.fingerprint());
            String second = RelayApi.offer(callId, peer.offer("sendrecv", "111 0 8 13 101", setup), "webrtc", "echo",
                    "tag-a", false);
            assertNotEquals(attr(first, "ice-ufrag"), attr(second, "ice-ufrag"), "the restart gives new credentials");
            assertEquals(attr(first, "fingerprint"), attr(second, "fingerprint"), "the relay keeps its certificate");
            assertEquals(relaySetup, attr(second, "setup"), "the new association's role comes from the new offer");

            // the peer's handshake checks the relay's certificate, the relay's checks the peer's new one: with the
            // old association kept, the relay would answer no handshake and this would time out
            peer.reconnect(second).get(20, TimeUnit.SECONDS);
            assertTrue(echoed(peer, 10) >= 9, "media with the new association's keys");
            given().when().get("/v1/sessions/{callId}", callId).then().statusCode(200)
                    .body("legs[0].transport", containsString("dtls=connected"));
        } finally {
            RelayApi.deleteIfPresent(callId);
        }
    }

    @Test
    void aNewCertificateWithoutAnIceRestartIsRefusedAndTheCallKeepsItsAssociation() throws Exception {
        String callId = "new-cert-no-restart-" + System.nanoTime();
        try (TestPeer peer = new TestPeer()) {
            String first = RelayApi.offer(callId, peer.offer("sendrecv"), "webrtc", "echo");
            peer.connect(first).get(15, TimeUnit.SECONDS);
            assertEquals(5, echoed(peer, 5), "media before the re-offer");

            peer.newCertificate();
            given().contentType("application/json")
                    .body(Map.of("sdp", peer.offer("sendrecv"), "from", "webrtc", "to", "echo", "fromTag", "tag-a"))
                    .when().post("/v1/sessions/{callId}/offer", callId)
                    .then().statusCode(400)
                    .body("error", is("invalid_sdp"))
                    .body("field", is("sdp"))
                    .body("message", containsString("without an ICE restart"));

            // the peer still holds the first association's keys: the relay must still use them too
            assertTrue(echoed(peer, 10) >= 9, "media after the refused re-offer");
            given().when().get("/v1/sessions/{callId}", callId).then().statusCode(200)
                    .body("legs[0].transport", containsString("dtls=connected"));
        } finally {
            RelayApi.deleteIfPresent(callId);
        }
    }

    /** Sends {@code count} RTP packets to the echo and returns how many came back decrypted. */
    private static int echoed(TestPeer peer, int count) throws Exception {
        peer.clearReceived();
        for (int i = 0; i < count; i++) {
            peer.sendRtp(111, new byte[160]);
            Thread.sleep(5);
        }
        List<TestPeer.Received> back = peer.collect(1500);
        return back.size();
    }
}
