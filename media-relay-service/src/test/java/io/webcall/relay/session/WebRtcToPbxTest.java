package io.webcall.relay.session;

import io.quarkus.test.junit.QuarkusTest;
import io.webcall.relay.control.RelayApi;
import io.webcall.relay.peer.TestPeer;
import io.webcall.relay.sdp.SdpParser;
import io.webcall.relay.sdp.SessionDescription;
import io.webcall.relay.sip.SipUac;
import io.webcall.relay.sip.SippUas;
import io.webcall.relay.stats.DropReason;
import io.webcall.relay.stats.RelayMetrics;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A WebRTC test peer calls a real PBX stand-in (sipp UAS with RTP echo) through the relay, the way the
 * signaling edge drives it: offer from the browser, INVITE to the PBX, answer back.
 */
@QuarkusTest
class WebRtcToPbxTest {

    private static SippUas pbx;

    @Inject
    RelayMetrics metrics;

    @BeforeAll
    static void startPbx() throws Exception {
        pbx = SippUas.start();
    }

    @AfterAll
    static void stopPbx() throws Exception {
        if (pbx != null) {
            pbx.close();
        }
    }

    /** An established call: the peer, its SIP dialog with the PBX and the relay's SDPs. */
    private record Call(String callId, TestPeer peer, SipUac sip, String rtpOffer, String pbxAnswer,
                        String webrtcAnswer) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            try {
                sip.bye();
            } finally {
                sip.close();
                peer.close();
                RelayApi.deleteIfPresent(callId);
            }
        }
    }

    private static Call call() throws Exception {
        String callId = "pbx-" + System.nanoTime();
        TestPeer peer = new TestPeer();
        SipUac sip = new SipUac(pbx.sipAddress(), callId);
        String rtpOffer = RelayApi.offer(callId, peer.offer("sendrecv"), "webrtc", "rtp");
        String pbxAnswer = sip.invite(rtpOffer);
        String webrtcAnswer = RelayApi.answer(callId, pbxAnswer, "rtp", "webrtc");
        peer.connect(webrtcAnswer).get(15, TimeUnit.SECONDS);
        return new Call(callId, peer, sip, rtpOffer, pbxAnswer, webrtcAnswer);
    }

    private static List<TestPeer.Received> roundTrip(TestPeer peer, int payloadType, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            byte[] payload = new byte[payloadType == 101 ? 4 : 160];
            payload[0] = (byte) i;
            payload[payload.length - 1] = (byte) (0x3c ^ i);
            peer.sendRtp(payloadType, payload);
            Thread.sleep(5);
        }
        return peer.collect(1500);
    }

    @Test
    void browserAudioReachesThePbxAsPlainRtpAndItsEchoComesBackDecrypted() throws Exception {
        try (Call call = call()) {
            SessionDescription toPbx = SdpParser.parse(call.rtpOffer());
            assertEquals("RTP/AVP", toPbx.audio().protocol());
            assertEquals("127.0.0.1", toPbx.audioConnectionAddress());
            int port = toPbx.audio().port();
            assertTrue(port >= 42000 && port <= 42999 && port % 2 == 0, "RTP port from the range: " + port);
            assertEquals(List.of("111", "0", "8", "101"), toPbx.audio().formats(), "CN is not passed");
            assertFalse(call.rtpOffer().contains("ice-ufrag"));

            SessionDescription toBrowser = SdpParser.parse(call.webrtcAnswer());
            assertEquals("UDP/TLS/RTP/SAVPF", toBrowser.audio().protocol());
            assertEquals(List.of("0", "101"), toBrowser.audio().formats());
            assertTrue(call.webrtcAnswer().contains("a=rtcp-mux"));
            assertTrue(call.webrtcAnswer().contains("a=fingerprint:sha-256 "));

            List<TestPeer.Received> back = roundTrip(call.peer(), 0, 30);
            assertTrue(back.size() >= 29, "echoed packets: " + back.size());
            for (TestPeer.Received r : back) {
                assertEquals(0, r.payloadType());
                assertEquals(160, r.payload().length);
                assertEquals((byte) (0x3c ^ r.payload()[0]), r.payload()[159]);
            }
            given().when().get("/v1/sessions/{callId}", call.callId()).then().statusCode(200)
                    .body("answered", org.hamcrest.Matchers.is(true))
                    .body("directions[0].packets", greaterThanOrEqualTo(29))
                    .body("directions[1].packets", greaterThanOrEqualTo(29))
                    .body("directions[0].mos", org.hamcrest.Matchers.greaterThan(1.0f));
        }
    }

    @Test
    void dtmfTelephoneEventsPassThroughWithTheirPayloadType() throws Exception {
        try (Call call = call()) {
            List<TestPeer.Received> back = roundTrip(call.peer(), 101, 10);
            assertTrue(back.size() >= 9, "echoed DTMF packets: " + back.size());
            for (TestPeer.Received r : back) {
                assertEquals(101, r.payloadType());
                assertEquals(4, r.payload().length);
                assertEquals((byte) (0x3c ^ r.payload()[0]), r.payload()[3]);
            }
        }
    }

    @Test
    void holdWithSendonlyKeepsPortsIceAndDtlsAndResumeRestoresMedia() throws Exception {
        try (Call call = call()) {
            String holdOffer = RelayApi.offer(call.callId(), call.peer().offer("sendonly"), "webrtc", "rtp");
            SessionDescription before = SdpParser.parse(call.rtpOffer());
            SessionDescription held = SdpParser.parse(holdOffer);
            assertEquals(before.audio().port(), held.audio().port(), "same RTP port on hold");
            assertTrue(holdOffer.contains("a=sendonly"), holdOffer);

            String holdAnswer = RelayApi.answer(call.callId(), call.pbxAnswer() + "a=recvonly\r\n", "rtp", "webrtc");
            assertTrue(holdAnswer.contains("a=recvonly"), holdAnswer);
            assertEquals(attr(call.webrtcAnswer(), "ice-ufrag"), attr(holdAnswer, "ice-ufrag"));
            assertEquals(attr(call.webrtcAnswer(), "ice-pwd"), attr(holdAnswer, "ice-pwd"));
            assertEquals(attr(call.webrtcAnswer(), "fingerprint"), attr(holdAnswer, "fingerprint"));
            assertEquals("passive", attr(holdAnswer, "setup"), "DTLS role stays across re-offers");

            double heldBefore = metrics.dropped(DropReason.HOLD);
            List<TestPeer.Received> duringHold = roundTrip(call.peer(), 0, 10);
            assertEquals(0, duringHold.size(), "the PBX's media does not reach a peer that put it on hold");
            assertTrue(metrics.dropped(DropReason.HOLD) > heldBefore);

            String resumeOffer = RelayApi.offer(call.callId(), call.peer().offer("sendrecv"), "webrtc", "rtp");
            assertTrue(resumeOffer.contains("a=sendrecv"));
            assertEquals(before.audio().port(), SdpParser.parse(resumeOffer).audio().port());
            String resumeAnswer = RelayApi.answer(call.callId(), call.pbxAnswer(), "rtp", "webrtc");
            assertEquals(attr(call.webrtcAnswer(), "ice-ufrag"), attr(resumeAnswer, "ice-ufrag"));
            List<TestPeer.Received> afterResume = roundTrip(call.peer(), 0, 10);
            assertTrue(afterResume.size() >= 9, "media flows again after resume: " + afterResume.size());
        }
    }

    static String attr(String sdp, String name) {
        return SdpParser.parse(sdp).audioAttribute(name).orElseThrow();
    }

    @Test
    void reInviteFromThePbxKeepsPortIceAndDtlsAndMediaContinues() throws Exception {
        try (Call call = call()) {
            String pbxReOffer = call.pbxAnswer().replace("o=pbx 53655765 2353687637", "o=pbx 53655765 2353687638");
            String toBrowser = RelayApi.offer(call.callId(), pbxReOffer, "rtp", "webrtc", "tag-b", false);
            assertEquals(attr(call.webrtcAnswer(), "ice-ufrag"), attr(toBrowser, "ice-ufrag"), "same ICE credentials");
            assertEquals(attr(call.webrtcAnswer(), "fingerprint"), attr(toBrowser, "fingerprint"));
            assertEquals("actpass", attr(toBrowser, "setup"), "offers say actpass (RFC 5763 section 5)");
            String browserAnswer = call.peer().answer(toBrowser);
            String toPbx = RelayApi.answer(call.callId(), browserAnswer, "webrtc", "rtp");
            assertEquals(SdpParser.parse(call.rtpOffer()).audio().port(), SdpParser.parse(toPbx).audio().port(),
                    "same RTP port toward the PBX");
            List<TestPeer.Received> back = roundTrip(call.peer(), 0, 10);
            assertTrue(back.size() >= 9, "media continues on the same DTLS association: " + back.size());
        }
    }
}
