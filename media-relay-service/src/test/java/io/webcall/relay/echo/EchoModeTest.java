package io.webcall.relay.echo;

import io.quarkus.test.junit.QuarkusTest;
import io.webcall.relay.control.RelayApi;
import io.webcall.relay.peer.TestPeer;
import io.webcall.relay.sdp.SdpParser;
import io.webcall.relay.sdp.SessionDescription;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class EchoModeTest {

    @Test
    void echoesAudioBackToAWebRtcPeerOverIceAndDtlsSrtp() throws Exception {
        String callId = "echo-" + System.nanoTime();
        try (TestPeer peer = new TestPeer()) {
            String answer = RelayApi.offer(callId, peer.offer("sendrecv"), "webrtc", "echo");
            assertTrue(answer.contains("a=setup:passive"), answer);
            assertTrue(answer.contains("a=group:BUNDLE 0"), answer);
            assertTrue(answer.contains("m=audio "), answer);
            peer.connect(answer).get(15, TimeUnit.SECONDS);

            for (int i = 0; i < 20; i++) {
                byte[] payload = new byte[160];
                payload[0] = (byte) i;
                payload[159] = (byte) (0x55 ^ i);
                peer.sendRtp(111, payload);
                Thread.sleep(5);
            }
            List<TestPeer.Received> back = peer.collect(1500);
            assertEquals(20, back.size(), "every packet comes back");
            for (int i = 0; i < back.size(); i++) {
                TestPeer.Received r = back.get(i);
                assertEquals(111, r.payloadType());
                assertEquals((byte) i, r.payload()[0]);
                assertEquals((byte) (0x55 ^ i), r.payload()[159]);
                assertNotEquals(peer.ssrc(), r.ssrc(), "echo uses the relay's own SSRC");
            }
            given().when().get("/v1/sessions/{callId}", callId).then().statusCode(200)
                    .body("directions[0].packets", greaterThanOrEqualTo(20))
                    .body("directions[0].forwarded", greaterThanOrEqualTo(20));
        } finally {
            RelayApi.deleteIfPresent(callId);
        }
    }

    @Test
    void echoAnswersEveryPassableCodecInTheOfferersOrderAndEchoesEachWithItsPayloadType() throws Exception {
        String callId = "echo-codecs-" + System.nanoTime();
        try (TestPeer peer = new TestPeer()) {
            String answer = RelayApi.offer(callId, peer.offer("sendrecv", "8 13 0 111 101", "actpass"), "webrtc",
                    "echo");
            SessionDescription sdp = SdpParser.parse(answer);
            assertEquals(List.of("8", "0", "111", "101"), sdp.audio().formats(),
                    "PCMA, PCMU, Opus in the offer's order, CN dropped, telephone-event kept");
            assertTrue(answer.contains("a=rtpmap:111 opus/48000/2"), answer);
            assertTrue(answer.contains("a=rtpmap:101 telephone-event/8000"), answer);
            peer.connect(answer).get(15, TimeUnit.SECONDS);

            for (int pt : new int[] {8, 0, 111, 101}) {
                peer.sendRtp(pt, new byte[pt == 101 ? 4 : 160]);
                TestPeer.Received r = peer.poll(3000);
                assertNotNull(r, "payload type " + pt + " comes back");
                assertEquals(pt, r.payloadType());
            }
        } finally {
            RelayApi.deleteIfPresent(callId);
        }
    }
}
