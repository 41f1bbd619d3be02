package io.webcall.relay.session;

import io.quarkus.test.junit.QuarkusTest;
import io.webcall.relay.control.RelayApi;
import io.webcall.relay.peer.TestPeer;
import io.webcall.relay.sdp.SdpParser;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Browser to browser with both legs anchored at the relay: each side has its own ICE credentials and
 * DTLS association with the relay; media is decrypted from one and re-encrypted for the other.
 */
@QuarkusTest
class WebRtcToWebRtcTest {

    @Test
    void audioFlowsBetweenTwoWebRtcPeersEachWithItsOwnDtlsAssociation() throws Exception {
        String callId = "b2b-" + System.nanoTime();
        try (TestPeer caller = new TestPeer(); TestPeer callee = new TestPeer()) {
            String toCallee = RelayApi.offer(callId, caller.offer("sendrecv"), "webrtc", "webrtc");
            assertEquals("actpass", SdpParser.parse(toCallee).audioAttribute("setup").orElseThrow());
            String calleeAnswer = callee.answer(toCallee);
            String toCaller = RelayApi.answer(callId, calleeAnswer, "webrtc", "webrtc");
            assertNotEquals(WebRtcToPbxTest.attr(toCallee, "ice-ufrag"), WebRtcToPbxTest.attr(toCaller, "ice-ufrag"),
                    "each leg has its own ICE credentials");
            var callerReady = caller.connect(toCaller);
            var calleeReady = callee.connect(toCallee);
            callerReady.get(15, TimeUnit.SECONDS);
            calleeReady.get(15, TimeUnit.SECONDS);

            for (int i = 0; i < 10; i++) {
                byte[] payload = new byte[120];
                payload[0] = (byte) i;
                caller.sendRtp(111, payload);
                callee.sendRtp(0, new byte[160]);
                Thread.sleep(10);
            }
            List<TestPeer.Received> atCallee = callee.collect(1500);
            List<TestPeer.Received> atCaller = caller.collect(500);
            assertTrue(atCallee.size() >= 9, "caller to callee: " + atCallee.size());
            assertTrue(atCaller.size() >= 9, "callee to caller: " + atCaller.size());
            assertEquals(111, atCallee.get(0).payloadType());
            assertEquals(caller.ssrc(), atCallee.get(0).ssrc());
            assertEquals(0, atCaller.get(0).payloadType());
        } finally {
            RelayApi.deleteIfPresent(callId);
        }
    }
}
