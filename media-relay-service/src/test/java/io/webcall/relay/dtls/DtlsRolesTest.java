package io.webcall.relay.dtls;

import io.quarkus.test.junit.QuarkusTest;
import io.webcall.relay.control.RelayApi;
import io.webcall.relay.peer.TestPeer;
import io.webcall.relay.sdp.SdpParser;
import io.webcall.relay.session.MediaSession;
import io.webcall.relay.session.SessionRegistry;
import io.webcall.relay.session.WebRtcEndpoint;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DTLS roles per RFC 5763 section 5 / RFC 8842 section 5: the relay is the DTLS client when the peer says
 * {@code a=setup:passive} (offer or answer) and the server when it says {@code active}; SRTP flows both
 * ways in each role and re-offers keep the role.
 */
@QuarkusTest
class DtlsRolesTest {

    @Inject
    SessionRegistry sessions;

    @Test
    void aPassiveOffererMakesTheRelayTheDtlsClientAndSrtpFlowsBothWays() throws Exception {
        String callId = "dtls-client-" + System.nanoTime();
        try (TestPeer peer = new TestPeer()) {
            String answer = RelayApi.offer(callId, peer.offer("sendrecv", "111 0 101", "passive"), "webrtc", "echo");
            assertEquals("active", setup(answer), "the relay answers a passive offerer with active");
            peer.connect(answer).get(20, TimeUnit.SECONDS);
            assertEquals(DtlsRole.CLIENT, relayRole(callId, true));
            assertEchoes(peer);

            String reAnswer = RelayApi.offer(callId, peer.offer("sendrecv", "111 0 101", "passive"), "webrtc", "echo");
            assertEquals("active", setup(reAnswer), "the role stays across a re-offer");
            assertEchoes(peer);
        } finally {
            RelayApi.deleteIfPresent(callId);
        }
    }

    @Test
    void anActiveOffererMakesTheRelayTheDtlsServerAndSrtpFlowsBothWays() throws Exception {
        String callId = "dtls-server-" + System.nanoTime();
        try (TestPeer peer = new TestPeer()) {
            String answer = RelayApi.offer(callId, peer.offer("sendrecv", "111 0 101", "active"), "webrtc", "echo");
            assertEquals("passive", setup(answer), "the relay answers an active offerer with passive");
            peer.connect(answer).get(20, TimeUnit.SECONDS);
            assertEquals(DtlsRole.SERVER, relayRole(callId, true));
            assertEchoes(peer);
        } finally {
            RelayApi.deleteIfPresent(callId);
        }
    }

    @Test
    void aPassiveAnswererToTheRelaysOfferMakesTheRelayTheDtlsClient() throws Exception {
        String callId = "dtls-client-answer-" + System.nanoTime();
        try (DatagramSocket pbx = new DatagramSocket(0, InetAddress.getLoopbackAddress());
             TestPeer peer = new TestPeer()) {
            pbx.setSoTimeout(3000);
            String pbxOffer = "v=0\r\no=pbx 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                    + "m=audio " + pbx.getLocalPort() + " RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\n"
                    + "a=rtpmap:101 telephone-event/8000\r\na=sendrecv\r\n";
            String webrtcOffer = RelayApi.offer(callId, pbxOffer, "rtp", "webrtc", "pbx-tag", false);
            assertEquals("actpass", setup(webrtcOffer));
            String rtpAnswer = RelayApi.answer(callId, peer.answer(webrtcOffer, "passive"), "webrtc", "rtp");
            peer.connect(webrtcOffer).get(20, TimeUnit.SECONDS);
            assertEquals(DtlsRole.CLIENT, relayRole(callId, false));

            InetSocketAddress relay = new InetSocketAddress(InetAddress.getLoopbackAddress(),
                    SdpParser.parse(rtpAnswer).audio().port());
            byte[] rtp = {(byte) 0x80, 0, 0, 1, 0, 0, 0, (byte) 160, 1, 2, 3, 4, 9, 9, 9, 9};
            TestPeer.Received atPeer = null;
            for (int i = 0; i < 20 && atPeer == null; i++) {
                pbx.send(new DatagramPacket(rtp, rtp.length, relay));
                rtp[3]++;
                atPeer = peer.poll(250);
            }
            assertTrue(atPeer != null && atPeer.payloadType() == 0, "PBX audio reaches the peer through SRTP");

            peer.sendRtp(0, new byte[160]);
            DatagramPacket received = new DatagramPacket(new byte[2048], 2048);
            pbx.receive(received);
            assertEquals(12 + 160, received.getLength(), "the peer's SRTP reaches the PBX decrypted");

            String reOffer = RelayApi.offer(callId, pbxOffer.replace("o=pbx 1 1", "o=pbx 1 2"), "rtp", "webrtc",
                    "pbx-tag", false);
            assertEquals("actpass", setup(reOffer), "offers say actpass");
            RelayApi.answer(callId, peer.answer(reOffer, "passive"), "webrtc", "rtp");
            assertEquals(DtlsRole.CLIENT, relayRole(callId, false), "the role stays across a re-offer");
        } finally {
            RelayApi.deleteIfPresent(callId);
        }
    }

    @Test
    void asDtlsClientTheRelayAlsoRefusesAServerCertificateNotMatchingTheSdpFingerprint() throws Exception {
        String callId = "dtls-client-mismatch-" + System.nanoTime();
        try (TestPeer peer = new TestPeer()) {
            peer.advertiseWrongFingerprint();
            String answer = RelayApi.offer(callId, peer.offer("sendrecv", "111 0 101", "passive"), "webrtc", "echo");
            assertEquals("active", setup(answer));
            assertThrows(ExecutionException.class, () -> peer.connect(answer).get(20, TimeUnit.SECONDS),
                    "the relay aborts the handshake it started");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (sessions.find(callId).isPresent() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            given().when().get("/v1/sessions/{callId}", callId).then().statusCode(200)
                    .body("failure", containsString("fingerprint mismatch"));
        } finally {
            RelayApi.deleteIfPresent(callId);
        }
    }

    private static String setup(String sdp) {
        return SdpParser.parse(sdp).audioAttribute("setup").orElseThrow();
    }

    private DtlsRole relayRole(String callId, boolean offeringLeg) {
        MediaSession session = sessions.find(callId).orElseThrow();
        WebRtcEndpoint endpoint = (WebRtcEndpoint) (offeringLeg ? session.a() : session.b()).endpoint();
        return endpoint.role();
    }

    private static void assertEchoes(TestPeer peer) throws Exception {
        peer.clearReceived();
        for (int i = 0; i < 10; i++) {
            peer.sendRtp(111, new byte[80]);
            Thread.sleep(5);
        }
        List<TestPeer.Received> back = peer.collect(1500);
        assertTrue(back.size() >= 9, "SRTP echoed back: " + back.size());
    }
}
