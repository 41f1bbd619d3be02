package io.webcall.relay.session;

import io.quarkus.test.junit.QuarkusTest;
import io.webcall.relay.control.RelayApi;
import io.webcall.relay.peer.TestPeer;
import io.webcall.relay.rtp.RtpPackets;
import io.webcall.relay.sdp.SdpParser;
import io.webcall.relay.sdp.SessionDescription;
import org.junit.jupiter.api.Test;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A PBX calls a browser: the relay turns the PBX's RTP/AVP offer into a WebRTC offer (ICE controlling,
 * {@code a=setup:actpass}) and the browser's answer into an RTP/AVP answer; RTP is latched to the address
 * the PBX really sends from (symmetric RTP).
 */
@QuarkusTest
class PbxToWebRtcTest {

    @Test
    void pbxOfferBecomesWebRtcOfferAndMediaFlowsBothWaysWithLatching() throws Exception {
        String callId = "inbound-" + System.nanoTime();
        try (DatagramSocket signalled = new DatagramSocket(0, InetAddress.getLoopbackAddress());
             DatagramSocket actual = new DatagramSocket(0, InetAddress.getLoopbackAddress());
             TestPeer peer = new TestPeer()) {
            actual.setSoTimeout(2000);
            String pbxOffer = "v=0\r\no=pbx 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                    + "m=audio " + signalled.getLocalPort() + " RTP/AVP 8 0 18 101\r\n"
                    + "a=rtpmap:8 PCMA/8000\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:18 G729/8000\r\n"
                    + "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\na=sendrecv\r\n";
            String webrtcOffer = RelayApi.offer(callId, pbxOffer, "rtp", "webrtc", "pbx-tag", false);
            SessionDescription offer = SdpParser.parse(webrtcOffer);
            assertEquals("UDP/TLS/RTP/SAVPF", offer.audio().protocol());
            assertEquals(List.of("8", "0", "101"), offer.audio().formats(), "G729 is not passed");
            assertEquals("actpass", offer.audioAttribute("setup").orElseThrow());
            assertTrue(webrtcOffer.contains("a=group:BUNDLE 0"));
            assertTrue(webrtcOffer.contains("a=mid:0"));

            String browserAnswer = peer.answer(webrtcOffer);
            String rtpAnswer = RelayApi.answer(callId, browserAnswer, "webrtc", "rtp");
            SessionDescription answer = SdpParser.parse(rtpAnswer);
            assertEquals("RTP/AVP", answer.audio().protocol());
            int relayPort = answer.audio().port();
            peer.connect(webrtcOffer).get(15, TimeUnit.SECONDS);

            // the PBX sends from another port than it signalled: the relay must answer there
            InetSocketAddress relay = new InetSocketAddress(InetAddress.getLoopbackAddress(), relayPort);
            for (int i = 0; i < 10; i++) {
                byte[] rtp = rtp(8, i, new byte[160]);
                rtp[12] = (byte) i;
                actual.send(new DatagramPacket(rtp, rtp.length, relay));
                Thread.sleep(5);
            }
            List<TestPeer.Received> atBrowser = peer.collect(1500);
            assertTrue(atBrowser.size() >= 9, "PBX audio reaches the browser: " + atBrowser.size());
            assertEquals(8, atBrowser.get(0).payloadType());

            peer.sendRtp(8, new byte[160]);
            byte[] buf = new byte[2048];
            DatagramPacket received = new DatagramPacket(buf, buf.length);
            actual.receive(received);
            assertEquals(8, RtpPackets.payloadType(buf, 0));
            assertEquals(peer.ssrc(), RtpPackets.ssrc(buf, 0));
            assertEquals(12 + 160, received.getLength(), "plain RTP toward the PBX");
        } finally {
            RelayApi.deleteIfPresent(callId);
        }
    }

    static byte[] rtp(int pt, int seq, byte[] payload) {
        byte[] p = new byte[12 + payload.length];
        p[0] = (byte) 0x80;
        p[1] = (byte) pt;
        p[2] = (byte) (seq >> 8);
        p[3] = (byte) seq;
        p[7] = (byte) (seq * 160);
        p[6] = (byte) ((seq * 160) >> 8);
        p[8] = 0x12;
        p[9] = 0x34;
        p[10] = 0x56;
        p[11] = 0x78;
        System.arraycopy(payload, 0, p, 12, payload.length);
        return p;
    }
}
