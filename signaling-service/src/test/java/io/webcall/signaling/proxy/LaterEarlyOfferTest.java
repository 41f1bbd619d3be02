package io.webcall.signaling.proxy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import io.webcall.events.CallEvent;
import io.webcall.events.CallEventType;
import io.webcall.events.HangupSide;
import io.webcall.signaling.testsupport.AccountServiceProcess;
import io.webcall.signaling.testsupport.EdgeTestResource;
import io.webcall.signaling.testsupport.NodeUa;
import io.webcall.signaling.testsupport.RawSipClient;
import io.webcall.signaling.testsupport.AnchoredEdgeTestResource;
import io.webcall.signaling.testsupport.Sipp;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A later session description from the PBX in the same early dialog (RFC 3262 section 5, RFC 3264 section 8, RFC 6337):
 * sipp as the PBX answers in a reliable 183 and then sends a changed SDP in a second reliable 183, against SIP.js with a
 * real WebRTC stack and against a hand-written user agent that answers it in its PRACK; media anchored at the real relay.
 */
@QuarkusTest
@QuarkusTestResource(value = AnchoredEdgeTestResource.class, restrictToAnnotatedClass = true)
class LaterEarlyOfferTest extends TrunkCallTest {

    @Inject
    MeterRegistry meters;

    double relayRequests(String operation) {
        Counter c = meters.find("webcall_edge_relay_requests_total").tag("operation", operation).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void changedSdpInALaterReliable183GoesToTheRelayAsANewOfferAndItsUnchangedRepeatDoesNot() throws Exception {
        int port = Sipp.freeUdpPort();
        trunk(port);
        double offersBefore = relayRequests("offer");
        double answersBefore = relayRequests("answer");
        try (java.net.DatagramSocket pbxNewMedia = new java.net.DatagramSocket(new java.net.InetSocketAddress("127.0.0.1", 0));
             Sipp pbx = Sipp.uas("pbx-reliable-183-new-offer-later.xml", port,
                     Map.of("newport", String.valueOf(pbxNewMedia.getLocalPort())));
             NodeUa alice = NodeUa.sipjs("alice-later-offer", ws(), "alice", EdgeTestResource.account().token("alice"), null,
                     new JsonObject().put("rel100", true))) {
            alice.send(new JsonObject().put("cmd", "call").put("target", "sip:+15550186@" + AccountServiceProcess.DOMAIN));
            List<String> early = new ArrayList<>();
            while (early.size() < 3) {
                JsonObject progress = alice.await("progress", T);
                if (progress.getInteger("code") == 183) {
                    assertTrue(progress.getBoolean("reliable"), progress.encode());
                    early.add(progress.getString("sdp"));
                }
            }
            assertTrue(early.get(1) != null && early.get(1).contains("a=fingerprint") && early.get(1).contains("UDP/TLS/RTP/SAVPF"),
                    "the PBX's new RTP/AVP session in the second reliable 183 reached the browser as the relay's WebRTC offer: "
                            + early.get(1));
            assertTrue(early.get(1).contains("a=setup:actpass") && !early.get(1).equals(early.get(0)),
                    "the second 183 carries the relay's new offer, not the first 183's answer again:\n" + early.get(0) + "\n---\n" + early.get(1));
            assertEquals(early.get(1), early.get(2), "the third 183 repeats the second one's SDP (same o= line): same rewrite");
            alice.await("confirmed", T);
            // SIP.js ignores SDP in later responses (RFC 3261 section 13.2.1) and sends its PRACKs without a body: the relay
            // must still send the browser's media to where the PBX moved it
            byte[] buf = new byte[2048];
            java.net.DatagramPacket packet = new java.net.DatagramPacket(buf, buf.length);
            pbxNewMedia.setSoTimeout(15000);
            pbxNewMedia.receive(packet);
            assertEquals(2, (buf[0] & 0xff) >> 6, "an RTP packet (version 2) at the PBX's new media port");
            assertEquals(0, buf[1] & 0x7f, "PCMU, the format the PBX's session names");
            assertEquals(2.0, relayRequests("offer") - offersBefore,
                    "offers to the relay: the browser's INVITE and the second 183, never the unchanged third one");
            assertEquals(2.0, relayRequests("answer") - answersBefore,
                    "answers to the relay: the first 183 and, at the PRACK without SDP, the browser's unchanged session");
            alice.send("hangup");
            assertTrue(pbx.succeeded(20), "PBX got three PRACKs naming RSeq 1, 2, 3 without WebRTC SDP, then ACK and BYE: "
                    + pbx.errors() + "\n" + pbx.messages());
            CallEvent ended = last(CallEventType.ENDED);
            assertEquals(HangupSide.CALLER, ended.hangupBy(), ended.toString());
            assertEquals(Integer.valueOf(200), ended.sipCode(), ended.toString());
        }
    }

    @Test
    void pbxMovingItsMediaInASecondReliable183ToAnOfferlessInviteIsFollowedByTheRelayThoughTheBrowserIgnoresIt() throws Exception {
        int port = Sipp.freeUdpPort();
        trunk(port);
        double offersBefore = relayRequests("offer");
        double answersBefore = relayRequests("answer");
        try (java.net.DatagramSocket pbxNewMedia = new java.net.DatagramSocket(new java.net.InetSocketAddress("127.0.0.1", 0));
             Sipp pbx = Sipp.uas("pbx-offerless-invite-reliable-183-offers-then-moves-media.xml", port,
                     Map.of("newport", String.valueOf(pbxNewMedia.getLocalPort())));
             NodeUa alice = NodeUa.sipjs("alice-offerless-later-offer", ws(), "alice", EdgeTestResource.account().token("alice"), null,
                     new JsonObject().put("rel100", true))) {
            alice.send(new JsonObject().put("cmd", "call").put("target", "sip:+15550188@" + AccountServiceProcess.DOMAIN)
                    .put("withoutSdp", true));
            List<String> early = new ArrayList<>();
            while (early.size() < 2) {
                JsonObject progress = alice.await("progress", T);
                if (progress.getInteger("code") == 183) {
                    early.add(progress.getString("sdp"));
                }
            }
            assertTrue(early.get(1) != null && early.get(1).contains("a=fingerprint") && !early.get(1).equals(early.get(0)),
                    "the second 183 carries the relay's new WebRTC offer:\n" + early.get(0) + "\n---\n" + early.get(1));
            alice.await("confirmed", T);
            // SIP.js answered the first offer in its first PRACK and ignores the second (RFC 6337 section 3.1.2); the edge
            // completes the relay's second exchange with that answer, so the browser's RTP goes where the PBX moved it
            byte[] buf = new byte[2048];
            java.net.DatagramPacket packet = new java.net.DatagramPacket(buf, buf.length);
            pbxNewMedia.setSoTimeout(15000);
            pbxNewMedia.receive(packet);
            assertEquals(2, (buf[0] & 0xff) >> 6, "an RTP packet (version 2) at the PBX's new media port");
            assertEquals(2.0, relayRequests("offer") - offersBefore, "offers to the relay: the two 183s'");
            assertEquals(2.0, relayRequests("answer") - answersBefore,
                    "answers to the relay: the first PRACK's and, at the second PRACK, the browser's unchanged answer");
            alice.send("hangup");
            assertTrue(pbx.succeeded(20), "PBX got a plain answer in the first PRACK, no WebRTC SDP in the second, ACK and BYE: "
                    + pbx.errors() + "\n" + pbx.messages());
            assertEquals(HangupSide.CALLER, last(CallEventType.ENDED).hangupBy());
        }
    }

    @Test
    void newOfferInALaterReliable183IsAnsweredInThePrackThroughTheRelaysAnswerApi() throws Exception {
        int port = Sipp.freeUdpPort();
        trunk(port);
        double offersBefore = relayRequests("offer");
        double answersBefore = relayRequests("answer");
        String token = EdgeTestResource.account().token("alice");
        String callId = "later-offer-" + UUID.randomUUID();
        String fromTag = "rawalice";
        String target = "sip:+15550187@" + AccountServiceProcess.DOMAIN;
        // a user agent that answers an offer in any reliable 18x in its PRACK (RFC 3262 section 5), which neither JsSIP
        // nor SIP.js does after the first exchange: hand-written SIP over WebSocket with WebRTC session descriptions
        try (Sipp pbx = Sipp.uas("pbx-reliable-183-new-offer-answered-in-prack.xml", port,
                Map.of("newport", String.valueOf(Sipp.freeUdpPort())));
             RawSipClient ua = RawSipClient.webSocket(ws())) {
            String invite = "INVITE " + target + " SIP/2.0\r\n"
                    + "Via: SIP/2.0/WSS rawalice.invalid;branch=z9hG4bK-inv-" + callId + "\r\n"
                    + "Max-Forwards: 70\r\n"
                    + "From: <sip:alice@" + AccountServiceProcess.DOMAIN + ">;tag=" + fromTag + "\r\n"
                    + "To: <" + target + ">\r\n"
                    + "Call-ID: " + callId + "\r\n"
                    + "CSeq: 1 INVITE\r\n"
                    + "Authorization: Bearer " + token + "\r\n"
                    + "Contact: <sip:rawalice@rawalice.invalid;transport=ws;ob>\r\n"
                    + "Supported: 100rel\r\n";
            ua.send(withSdp(invite, webRtcSdp(1, "actpass")));
            String first = awaitResponse(ua, 183);
            assertEquals("1", RawSipClient.header(first, "RSeq"), first);
            List<String> routes = new ArrayList<>();
            for (String rr : RawSipClient.headers(first, "Record-Route")) {
                routes.addAll(0, Arrays.asList(rr.split(",(?=\\s*<)")));
            }
            String to = RawSipClient.header(first, "To");
            String contact = RawSipClient.header(first, "Contact");
            String remoteTarget = contact.substring(contact.indexOf('<') + 1, contact.indexOf('>'));
            ua.send(inDialog("PRACK", 2, callId, fromTag, to, remoteTarget, routes, "RAck: 1 1 INVITE\r\n") + "Content-Length: 0\r\n\r\n");
            assertEquals(200, RawSipClient.status(awaitResponseTo(ua, "PRACK")));

            String second = awaitResponse(ua, 183);
            assertEquals("2", RawSipClient.header(second, "RSeq"), second);
            String offer = second.substring(second.indexOf("\r\n\r\n") + 4);
            assertTrue(offer.contains("UDP/TLS/RTP/SAVPF") && offer.contains("a=fingerprint") && offer.contains("a=setup:actpass"),
                    "the PBX's new plain offer reached the browser as the relay's WebRTC offer: " + offer);
            ua.send(withSdp(inDialog("PRACK", 3, callId, fromTag, to, remoteTarget, routes, "RAck: 2 1 INVITE\r\n"), webRtcSdp(2, "active")));
            assertEquals(200, RawSipClient.status(awaitResponseTo(ua, "PRACK")));

            String ok = awaitResponse(ua, 200);
            assertTrue(ok.contains("CSeq: 1 INVITE"), ok);
            ua.send(inDialog("ACK", 1, callId, fromTag, to, remoteTarget, routes, "") + "Content-Length: 0\r\n\r\n");
            assertEquals(2.0, relayRequests("offer") - offersBefore, "offers to the relay: the INVITE's and the second 183's");
            assertEquals(2.0, relayRequests("answer") - answersBefore, "answers to the relay: the first 183's and the PRACK's");
            ua.send(inDialog("BYE", 4, callId, fromTag, to, remoteTarget, routes, "") + "Content-Length: 0\r\n\r\n");
            assertEquals(200, RawSipClient.status(awaitResponseTo(ua, "BYE")));
            assertTrue(pbx.succeeded(20), "PBX got a plain RTP/AVP answer in the PRACK of its second 183, then ACK and BYE: "
                    + pbx.errors() + "\n" + pbx.messages());
        }
    }

    /** A WebRTC session description as a browser sends it (ICE, DTLS fingerprint, Opus and PCMU), version {@code version}. */
    static String webRtcSdp(int version, String setup) {
        return "v=0\r\no=- 4611731400430051336 " + version + " IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
                + "a=group:BUNDLE 0\r\na=msid-semantic: WMS\r\n"
                + "m=audio 9 UDP/TLS/RTP/SAVPF 111 0\r\nc=IN IP4 0.0.0.0\r\na=rtcp:9 IN IP4 0.0.0.0\r\n"
                + "a=ice-ufrag:rawA\r\na=ice-pwd:rawalicepasswordfortheice\r\n"
                + "a=fingerprint:sha-256 " + String.join(":", Collections.nCopies(32, "AB")) + "\r\n"
                + "a=setup:" + setup + "\r\na=mid:0\r\na=sendrecv\r\na=rtcp-mux\r\n"
                + "a=rtpmap:111 opus/48000/2\r\na=rtpmap:0 PCMU/8000\r\n";
    }

    static String withSdp(String headers, String sdp) {
        return headers + "Content-Type: application/sdp\r\nContent-Length: "
                + sdp.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + "\r\n\r\n" + sdp;
    }

    /**
     * The headers of a request in the dialog (RFC 3261 section 12.2.1.1: Request-URI = the remote target from the
     * Contact, route set from the Record-Route, reversed).
     */
    static String inDialog(String method, int cseq, String callId, String fromTag, String to, String remoteTarget,
                           List<String> routes, String extra) {
        StringBuilder b = new StringBuilder(method + " " + remoteTarget + " SIP/2.0\r\n"
                + "Via: SIP/2.0/WSS rawalice.invalid;branch=z9hG4bK-" + method.toLowerCase() + cseq + "-" + callId + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:alice@" + AccountServiceProcess.DOMAIN + ">;tag=" + fromTag + "\r\n"
                + "To: " + to + "\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: " + cseq + " " + method + "\r\n");
        for (String r : routes) {
            b.append("Route: ").append(r.trim()).append("\r\n");
        }
        return b.append(extra).toString();
    }

    static String awaitResponse(RawSipClient ua, int status) throws InterruptedException {
        long deadline = System.nanoTime() + T.toNanos();
        StringBuilder seen = new StringBuilder();
        while (System.nanoTime() < deadline) {
            String m = ua.receive(Duration.ofMillis(500));
            if (m != null && m.startsWith("SIP/2.0 " + status) && m.contains(" INVITE\r\n")) {
                return m;
            }
            if (m != null) {
                seen.append(m.lines().findFirst().orElse("")).append(" | ");
            }
        }
        throw new AssertionError("no " + status + " to the INVITE; saw: " + seen);
    }

    static String awaitResponseTo(RawSipClient ua, String method) throws InterruptedException {
        long deadline = System.nanoTime() + T.toNanos();
        while (System.nanoTime() < deadline) {
            String m = ua.receive(Duration.ofMillis(500));
            if (m != null && m.startsWith("SIP/2.0 ") && m.contains(" " + method + "\r\n")) {
                return m;
            }
        }
        throw new AssertionError("no response to the " + method);
    }
}
