package io.webcall.signaling.proxy;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import io.webcall.events.CallEvent;
import io.webcall.events.CallEventType;
import io.webcall.events.HangupSide;
import io.webcall.signaling.dialog.CallControl;
import io.webcall.signaling.testsupport.ShortSessionIntervalEdgeTestResource;
import io.webcall.signaling.testsupport.EdgeTestResource;
import io.webcall.signaling.testsupport.AccountServiceProcess;
import io.webcall.signaling.testsupport.Kamailio;
import io.webcall.signaling.testsupport.LogCapture;
import io.webcall.signaling.testsupport.NodeUa;
import io.webcall.signaling.testsupport.RelayProcess;
import io.webcall.signaling.testsupport.Sipp;
import io.webcall.signaling.transport.SipTransports;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Calls between browsers (JsSIP with real WebRTC) and a PBX (sipp with plain RTP/AVP), media anchored at the real
 * relay, optionally through Kamailio as an upstream proxy.
 */
@QuarkusTest
@QuarkusTestResource(value = ShortSessionIntervalEdgeTestResource.class, restrictToAnnotatedClass = true)
class PbxCallsTest extends TrunkCallTest {

    @Inject
    SipTransports transports;

    @Test
    void browserCallsPbxWithRelayedMediaAndHangsUp() throws Exception {
        int port = Sipp.freeUdpPort();
        trunk(port);
        try (Sipp pbx = Sipp.uas("pbx-answers-caller-hangs-up.xml", port);
             NodeUa alice = registered("alice-pbx", "alice")) {
            alice.send(new JsonObject().put("cmd", "call").put("target", "sip:+15550123@" + AccountServiceProcess.DOMAIN));
            JsonObject confirmed = alice.await("confirmed", T);
            String remote = confirmed.getString("remoteSdp");
            assertTrue(remote.contains("a=fingerprint") && remote.contains("UDP/TLS/RTP/SAVPF"),
                    "the browser sees WebRTC SDP from the relay, not the PBX's RTP/AVP: " + remote);
            alice.send("hangup");
            assertTrue(pbx.succeeded(20), "PBX saw the full call incl. BYE: " + pbx.errors());
            CallEvent ended = last(CallEventType.ENDED);
            assertEquals(HangupSide.CALLER, ended.hangupBy());
            assertEquals("outbound", ended.direction().name().toLowerCase());
        }
    }

    @Test
    void earlyMediaAnswerIn183IsRelayedOnceAndTheSame200SdpReusesIt() throws Exception {
        int port = Sipp.freeUdpPort();
        trunk(port);
        try (Sipp pbx = Sipp.uas("pbx-early-media-183.xml", port);
             NodeUa alice = registered("alice-early-media", "alice")) {
            alice.send(new JsonObject().put("cmd", "call").put("target", "sip:+15550183@" + AccountServiceProcess.DOMAIN));
            JsonObject progress = alice.await("progress", T);
            while (progress.getInteger("code") != 183) {
                progress = alice.await("progress", T);
            }
            String early = progress.getString("remoteSdp");
            assertTrue(early != null && early.contains("a=fingerprint") && early.contains("UDP/TLS/RTP/SAVPF"),
                    "the browser gets WebRTC SDP from the relay in the 183, not the PBX's RTP/AVP: " + early);
            String callId = last(CallEventType.INITIATED).callId();
            HttpResponse<String> session = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(RelayProcess.start() + "/v1/sessions/" + callId)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, session.statusCode(), "the relay session of the early dialog exists: " + session.body());
            // the 200 repeats the 183's SDP: no second answer at the relay (which has no offer waiting), same media
            JsonObject confirmed = alice.await("confirmed", T);
            assertEquals(early, confirmed.getString("remoteSdp"));
            alice.send("hangup");
            assertTrue(pbx.succeeded(20), "PBX saw 183, 200, ACK and the caller's BYE: " + pbx.errors());
            CallEvent ended = last(CallEventType.ENDED);
            assertEquals(HangupSide.CALLER, ended.hangupBy(), ended.toString());
            assertEquals(Integer.valueOf(200), ended.sipCode(), ended.toString());
        }
    }

    @Test
    void pbxOnTcpWithDigestTrunkCredentialsIsAuthenticatedByTheEdge() throws Exception {
        int port = Sipp.freeUdpPort();
        trunk("sip:127.0.0.1:" + port, "tcp", "trunkuser", "trunksecret");
        try (Sipp pbx = Sipp.uasTcp("pbx-tcp-digest-answers.xml", port);
             NodeUa alice = registered("alice-tcp", "alice")) {
            Thread.sleep(300);
            alice.send(new JsonObject().put("cmd", "call").put("target", "sip:+15550142@" + AccountServiceProcess.DOMAIN));
            alice.await("confirmed", T);
            alice.send("hangup");
            assertTrue(pbx.succeeded(20), "PBX accepted the trunk credentials and saw the BYE over TCP: " + pbx.errors());
        }
    }

    @Test
    void pbxAnswering422IsRetriedWithItsMinSeAndThePbxHangsUp() throws Exception {
        int port = Sipp.freeUdpPort();
        trunk(port);
        try (Sipp pbx = Sipp.uas("pbx-422-then-answers-and-hangs-up.xml", port);
             NodeUa alice = registered("alice-422", "alice")) {
            alice.send(new JsonObject().put("cmd", "call").put("target", "sip:+15550199@" + AccountServiceProcess.DOMAIN)
                    .put("sessionExpires", 90));
            alice.await("confirmed", T);
            JsonObject ended = alice.await("ended", T);
            assertEquals("remote", ended.getString("originator"), "the PBX's BYE reached the browser: " + ended);
            assertTrue(pbx.succeeded(20), "PBX got a retry with Session-Expires 1800 and a 200 to its BYE: " + pbx.errors());
            assertEquals(HangupSide.CALLEE, last(CallEventType.ENDED).hangupBy());
        }
    }

    @Test
    void pbxCallsRegisteredBrowserUserWhoHangsUp() throws Exception {
        int port = Sipp.freeUdpPort();
        trunk(port);
        try (NodeUa bob = registered("bob-pbx", "bob");
             Sipp pbx = Sipp.uac("pbx-calls-user.xml", port, "127.0.0.1:" + transports.sipPort(), "bob", AccountServiceProcess.DOMAIN)) {
            JsonObject incoming = bob.await("incoming", T);
            assertTrue(incoming.getString("from").contains("+15550100"), incoming.encode());
            bob.send("answer");
            bob.await("confirmed", T);
            Thread.sleep(500);
            bob.send("hangup");
            assertTrue(pbx.succeeded(20), "PBX got 200, sent ACK, got BYE: " + pbx.errors());
            assertEquals("inbound", last(CallEventType.ENDED).direction().name().toLowerCase());
        }
    }

    @Test
    void pbxCallsRegisteredBrowserUserAndHangsUp() throws Exception {
        int port = Sipp.freeUdpPort();
        trunk(port);
        try (NodeUa bob = registered("bob-pbx2", "bob");
             Sipp pbx = Sipp.uac("pbx-calls-user-and-hangs-up.xml", port, "127.0.0.1:" + transports.sipPort(), "bob", AccountServiceProcess.DOMAIN)) {
            bob.await("incoming", T);
            bob.send("answer");
            bob.await("confirmed", T);
            JsonObject ended = bob.await("ended", T);
            assertEquals("remote", ended.getString("originator"));
            assertTrue(pbx.succeeded(20), pbx.errors());
        }
    }

    @Test
    void pbxChallengingWith407GetsTheTrunkCredentialsInProxyAuthorization() throws Exception {
        int port = Sipp.freeUdpPort();
        trunk("sip:127.0.0.1:" + port, "udp", "trunk407", "trunk407secret");
        try (Sipp pbx = Sipp.uas("pbx-407-digest-answers.xml", port);
             NodeUa alice = registered("alice-407", "alice")) {
            alice.send(new JsonObject().put("cmd", "call").put("target", "sip:+15550143@" + AccountServiceProcess.DOMAIN));
            alice.await("confirmed", T);
            alice.send("hangup");
            assertTrue(pbx.succeeded(20), "PBX got the INVITE again with Proxy-Authorization and saw the BYE: " + pbx.errors());
            assertEquals(HangupSide.CALLER, last(CallEventType.ENDED).hangupBy());
            String credentials = pbx.messages().lines().filter(l -> l.startsWith("Proxy-Authorization:")).findFirst()
                    .orElseThrow(() -> new AssertionError("no Proxy-Authorization sent: " + pbx.messages()));
            assertDigestAnswers(credentials.substring(credentials.indexOf(':') + 1).trim(), "INVITE", "trunk407", "pbx.test",
                    "trunk407secret", "7c1e9a2b3d4f5061728394a5b6c7d8e9");
        }
    }

    /** The digest {@code response} of a qop=auth answer matches the password (RFC 7616 section 3.4.1, MD5). */
    static void assertDigestAnswers(String header, String method, String user, String realm, String password, String nonce) {
        java.util.Map<String, String> p = new java.util.HashMap<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\w+)=(\"([^\"]*)\"|[^,\\s]+)").matcher(header);
        while (m.find()) {
            p.put(m.group(1), m.group(3) != null ? m.group(3) : m.group(2));
        }
        assertEquals(user, p.get("username"), header);
        assertEquals(realm, p.get("realm"), header);
        assertEquals(nonce, p.get("nonce"), header);
        assertEquals("auth", p.get("qop"), header);
        String ha1 = md5(user + ":" + realm + ":" + password);
        String ha2 = md5(method + ":" + p.get("uri"));
        String expected = md5(ha1 + ":" + nonce + ":" + p.get("nc") + ":" + p.get("cnonce") + ":auth:" + ha2);
        assertEquals(expected, p.get("response"), "digest response of " + header);
    }

    static String md5(String s) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5")
                    .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void callWhoseSessionTimerExpiresWithoutRefreshIsEndedWithByeBothWays() throws Exception {
        int port = Sipp.freeUdpPort();
        trunk(port);
        try (LogCapture log = LogCapture.of(CallControl.class);
             Sipp pbx = Sipp.uas("pbx-short-session-timer-never-refreshes.xml", port);
             NodeUa alice = registered("alice-session-timer", "alice")) {
            alice.send(new JsonObject().put("cmd", "call").put("target", "sip:+15550155@" + AccountServiceProcess.DOMAIN));
            alice.await("confirmed", T);
            // the PBX took the refresher role for 2 s and never refreshes (RFC 4028 section 10)
            JsonObject ended = alice.await("ended", T);
            assertEquals("remote", ended.getString("originator"), "the edge's BYE reached the browser: " + ended);
            assertTrue(pbx.succeeded(30), "the edge's BYE reached the PBX: " + pbx.errors());
            CallEvent end = last(CallEventType.ENDED);
            assertEquals(HangupSide.SYSTEM, end.hangupBy(), end.toString());
            assertEquals("session-timer-expired", end.cause(), end.toString());
            LogCapture.Line expiry = log.await(l -> l.message().startsWith("Session timer of " + end.callId()), T);
            assertEquals(end.callId(), expiry.callId(), "the Call-ID is in the MDC of the timer callback's log record");
        }
    }

    @Test
    void pbxInviteWithoutSdpGetsThePlainOfferOfTheRelayIn200AndAnswersInTheAck() throws Exception {
        int port = Sipp.freeUdpPort();
        trunk(port);
        try (NodeUa bob = registered("bob-delayed-offer", "bob");
             Sipp pbx = Sipp.uac("pbx-calls-user-without-sdp.xml", port, "127.0.0.1:" + transports.sipPort(), "bob", AccountServiceProcess.DOMAIN)) {
            bob.await("incoming", T);
            bob.send("answer");
            // the browser's offer went out in its 200; the PBX's RTP/AVP answer came back in the ACK through the relay
            JsonObject confirmed = bob.await("confirmed", T);
            String remote = confirmed.getString("remoteSdp");
            assertTrue(remote.contains("a=fingerprint") && remote.contains("UDP/TLS/RTP/SAVPF"),
                    "the browser got a WebRTC answer from the relay, not the PBX's RTP/AVP: " + remote);
            JsonObject ended = bob.await("ended", T);
            assertEquals("remote", ended.getString("originator"));
            assertTrue(pbx.succeeded(20), "the PBX got a plain RTP/AVP offer in the 200 and a 200 to its BYE: " + pbx.errors());
            assertEquals("inbound", last(CallEventType.ENDED).direction().name().toLowerCase());
        }
    }

    @Test
    void browserInviteWithoutSdpGetsThePbxOfferOfAReliable183AsWebRtcAndItsPrackAnswerReachesThePbxAsPlainRtp() throws Exception {
        int port = Sipp.freeUdpPort();
        trunk(port);
        try (Sipp pbx = Sipp.uas("pbx-reliable-183-offer-answer-in-prack.xml", port);
             NodeUa alice = NodeUa.sipjs("alice-prack", ws(), "alice", EdgeTestResource.account().token("alice"), null,
                     new JsonObject().put("rel100", true))) {
            alice.send(new JsonObject().put("cmd", "call").put("target", "sip:+15550184@" + AccountServiceProcess.DOMAIN)
                    .put("withoutSdp", true));
            JsonObject progress = alice.await("progress", T);
            while (progress.getInteger("code") != 183) {
                progress = alice.await("progress", T);
            }
            assertTrue(progress.getBoolean("reliable"), "the 183 stays reliable (RSeq passed on): " + progress);
            String offer = progress.getString("sdp");
            assertTrue(offer != null && offer.contains("a=fingerprint") && offer.contains("UDP/TLS/RTP/SAVPF"),
                    "the PBX's RTP/AVP offer in the reliable 183 reached the browser as the relay's WebRTC offer: " + offer);
            // SIP.js answered in the PRACK; sipp checks the PRACK's RAck and that its answer is plain RTP/AVP
            JsonObject confirmed = alice.await("confirmed", T);
            assertTrue(confirmed.getString("remoteSdp").contains("a=fingerprint"), confirmed.encode());
            assertEquals(CallEventType.ANSWERED, last(CallEventType.ANSWERED).type());
            alice.send("hangup");
            assertTrue(pbx.succeeded(20), "PBX got a PRACK with a plain answer and RAck 1, then ACK and BYE: " + pbx.errors()
                    + "\n" + pbx.messages());
            CallEvent ended = last(CallEventType.ENDED);
            assertEquals(HangupSide.CALLER, ended.hangupBy(), ended.toString());
        }
    }

    @Test
    void prackAfterTheEdgeRetriedTheInviteNamesTheRetryInItsRAckAndCSeq() throws Exception {
        int port = Sipp.freeUdpPort();
        trunk(port);
        try (Sipp pbx = Sipp.uas("pbx-422-then-reliable-183-offer.xml", port);
             NodeUa alice = NodeUa.sipjs("alice-prack-422", ws(), "alice", EdgeTestResource.account().token("alice"), null,
                     new JsonObject().put("rel100", true))) {
            alice.send(new JsonObject().put("cmd", "call").put("target", "sip:+15550185@" + AccountServiceProcess.DOMAIN)
                    .put("withoutSdp", true));
            JsonObject confirmed = alice.await("confirmed", T);
            assertTrue(confirmed.getString("remoteSdp").contains("a=fingerprint"), confirmed.encode());
            alice.send("hangup");
            assertTrue(pbx.succeeded(20), "PBX got the retry, a PRACK with a plain answer, ACK and BYE: " + pbx.errors()
                    + "\n" + pbx.messages());
            String trace = pbx.messages();
            long retry = -1;
            long prackCseq = -1;
            long rackCseq = -1;
            for (String m : trace.split("message received")) {
                String msg = m.substring(m.indexOf('\n', m.indexOf("bytes")) + 1).stripLeading();
                java.util.regex.Matcher cseq = java.util.regex.Pattern.compile("(?m)^CSeq: *([0-9]+) ").matcher(msg);
                if (msg.startsWith("INVITE ") && cseq.find()) {
                    retry = Long.parseLong(cseq.group(1));  // the last INVITE: the edge's retry after the 422
                } else if (msg.startsWith("PRACK ") && cseq.find()) {
                    prackCseq = Long.parseLong(cseq.group(1));
                    java.util.regex.Matcher rack = java.util.regex.Pattern.compile("(?m)^RAck: *1 ([0-9]+) INVITE").matcher(msg);
                    assertTrue(rack.find(), "RAck in the PRACK: " + msg);
                    rackCseq = Long.parseLong(rack.group(1));
                }
            }
            assertTrue(retry > 0 && prackCseq > 0, "INVITE retry and PRACK in the PBX's trace:\n" + trace);
            assertEquals(retry, rackCseq, "the RAck names the INVITE the PBX answered (the retry):\n" + trace);
            assertTrue(prackCseq > retry, "the PRACK's CSeq is above the retried INVITE's:\n" + trace);
        }
    }

    @Test
    void pbxInviteWithoutSdpGetsTheBrowserOfferOfAReliable183AsPlainRtpAndItsPrackAnswerReachesTheBrowserAsWebRtc() throws Exception {
        int port = Sipp.freeUdpPort();
        trunk(port);
        try (NodeUa bob = NodeUa.sipjs("bob-prack", ws(), "bob", EdgeTestResource.account().token("bob"), null,
                new JsonObject().put("rel100", true))) {
            bob.register(T);
            try (Sipp pbx = Sipp.uac("pbx-calls-user-offer-in-reliable-183.xml", port, "127.0.0.1:" + transports.sipPort(),
                    "bob", AccountServiceProcess.DOMAIN)) {
                bob.await("incoming", T);
                bob.send("progress");
                // sipp checked the 183: Require 100rel, RSeq, plain RTP/AVP offer; it answered in the PRACK
                JsonObject pracked = bob.await("prackReceived", T);
                String answer = pracked.getString("remoteSdp");
                assertTrue(answer != null && answer.contains("a=fingerprint") && answer.contains("UDP/TLS/RTP/SAVPF"),
                        "the PBX's RTP/AVP answer in the PRACK reached the browser as the relay's WebRTC answer: " + answer);
                bob.send("answer");
                bob.await("confirmed", T);
                bob.await("ended", T);
                assertTrue(pbx.succeeded(20), "the PBX got its reliable 183 offer, 200 to the PRACK and the INVITE, and to its BYE: "
                        + pbx.errors() + "\n" + pbx.messages());
                assertEquals("inbound", last(CallEventType.ENDED).direction().name().toLowerCase());
            }
        }
    }

    @Test
    void echoServiceAnswersWithTheRelaysSdp() throws Exception {
        try (NodeUa alice = registered("alice-echo", "alice")) {
            alice.send(new JsonObject().put("cmd", "call").put("target", "sip:echo@" + AccountServiceProcess.DOMAIN));
            JsonObject confirmed = alice.await("confirmed", T);
            assertTrue(confirmed.getString("remoteSdp").contains("a=fingerprint"), confirmed.encode());
            alice.send("hangup");
            assertEquals(200, last(CallEventType.ENDED).sipCode());
        }
    }

    @Test
    void kamailioAsUpstreamProxyRecordRoutesAndLooseRoutesBothWays() throws Exception {
        Kamailio.assumeAvailable();
        int sippPort = Sipp.freeUdpPort();
        try (Sipp pbx = Sipp.uas("pbx-422-then-answers-and-hangs-up.xml", sippPort);
             Kamailio kamailio = Kamailio.proxyTo(sippPort);
             NodeUa alice = registered("alice-kam", "alice")) {
            trunk(kamailio.port());
            alice.send(new JsonObject().put("cmd", "call").put("target", "sip:+15550177@" + AccountServiceProcess.DOMAIN));
            try {
                alice.await("confirmed", T);
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\nsipp behind Kamailio (port " + kamailio.port() + "): " + pbx.errors()
                        + "\n" + pbx.messages() + "\nKamailio's log: target/kamailio-" + kamailio.port() + ".log", e);
            }
            JsonObject ended = alice.await("ended", T);
            assertEquals("remote", ended.getString("originator"), "the PBX's BYE came through Kamailio and the edge");
            assertTrue(pbx.succeeded(20), pbx.errors());
        }
    }
}
