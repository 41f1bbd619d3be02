package io.webcall.relay.session;

import io.quarkus.test.junit.QuarkusTest;
import io.webcall.relay.control.RelayApi;
import io.webcall.relay.peer.TestPeer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;

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

    /** Port of the audio m-line. */
    static final class SdpParserPort {
        static int of(String sdp) {
            return io.webcall.relay.sdp.SdpParser.parse(sdp).audio().port();
        }
    }
}
