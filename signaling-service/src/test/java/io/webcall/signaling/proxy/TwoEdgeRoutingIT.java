package io.webcall.signaling.proxy;

import io.vertx.core.json.JsonObject;
import io.webcall.events.CallDirection;
import io.webcall.events.CallEvent;
import io.webcall.events.CallEventType;
import io.webcall.events.EventJson;
import io.webcall.events.HangupSide;
import io.webcall.events.Topics;
import io.webcall.signaling.testsupport.AccountServiceProcess;
import io.webcall.signaling.testsupport.EdgePair;
import io.webcall.signaling.testsupport.EdgeProcess;
import io.webcall.signaling.testsupport.NodeUa;
import io.webcall.signaling.testsupport.RawSipClient;
import io.webcall.signaling.testsupport.Sipp;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two real edge instances (separate processes from the packaged application) share one Kafka broker and one account
 * service: a user registered on one edge is reached through the other. The edge that takes a call looks the callee's
 * binding up (learnt from the compacted {@code sip-registrations} topic), proxies the INVITE over SIP TCP to the edge
 * named in the binding, with a Route carrying the flow token of the callee's WebSocket; both edges Record-Route, so
 * ACK, BYE and the rest of the dialog cross both. Media is anchored at the real relay by the edge that owns the call.
 */
@ExtendWith(EdgePair.Extension.class)
class TwoEdgeRoutingIT {

    static final Duration T = Duration.ofSeconds(30);
    static final JsonObject PAGE = new JsonObject().put("origin", EdgePair.ALLOWED_ORIGIN);

    static EdgePair edges;
    static AccountServiceProcess account;

    @BeforeAll
    static void edges() {
        edges = EdgePair.current();
        account = AccountServiceProcess.get();
    }

    @BeforeEach
    void noBindingsLeft() throws Exception {
        // user agents of earlier tests are gone: wait until both edges have seen their tombstones
        edges.awaitBindings(0);
    }

    @AfterEach
    void noTrunk() {
        account.setPbx(AccountServiceProcess.DOMAIN, null, null, null, null);
    }

    NodeUa registered(String name, EdgeProcess edge, String user) throws Exception {
        NodeUa ua = NodeUa.jssip(name, edge.webSocketUrl(), user, account.token(user), null, PAGE);
        return ua.register(T);
    }

    @Test
    void aliceOnEdgeACallsBobOnEdgeBAndBobHangsUp() throws Exception {
        try (KafkaConsumer<String, byte[]> callEvents = consumer(Topics.CALL_EVENTS);
             NodeUa alice = registered("alice-edge-a", edges.a, "alice");
             NodeUa bob = registered("bob-edge-b", edges.b, "bob")) {
            edges.awaitBindings(2);
            alice.send(new JsonObject().put("cmd", "call").put("target", "sip:bob@" + AccountServiceProcess.DOMAIN));
            JsonObject incoming = bob.await("incoming", T);
            assertTrue(incoming.getString("from").startsWith("sip:alice@"), incoming.encode());
            bob.send("answer");
            JsonObject confirmed = alice.await("confirmed", T);
            assertTrue(confirmed.getString("remoteSdp").contains("a=fingerprint"),
                    "alice got bob's answer through both edges and the relay: " + confirmed.encode());
            bob.await("confirmed", T);
            assertTransitDialogs(edges.b, 1, "edge B relays bob's dialog for edge A");
            assertTransitDialogs(edges.a, 0, "edge A owns the call");
            bob.send("hangup");
            JsonObject ended = alice.await("ended", T);
            assertEquals("remote", ended.getString("originator"), "bob's BYE crossed edge B and edge A: " + ended);
            assertTransitDialogs(edges.b, 0, "the BYE's answer ends the relayed dialog on edge B");

            List<CallEvent> call = callEvents(callEvents, incoming.getString("callId"));
            assertEquals(CallDirection.INTERNAL, call.get(0).direction(), call.toString());
            assertEquals("sip:bob@demo.localhost", call.get(0).to(), call.toString());
            CallEvent end = call.get(call.size() - 1);
            assertEquals(HangupSide.CALLEE, end.hangupBy(), "ended event: " + end);
            assertEquals(1, call.stream().filter(e -> e.type() == CallEventType.INITIATED).count(),
                    "one call, reported once by the edge that owns it, though it crossed two edges: " + call);
            assertTrue(call.stream().anyMatch(e -> e.type() == CallEventType.ANSWERED), call.toString());
        }
    }

    @Test
    void aliceOnEdgeBCallsBobOnEdgeAAndHangsUp() throws Exception {
        try (NodeUa bob = registered("bob-edge-a", edges.a, "bob");
             NodeUa alice = registered("alice-edge-b", edges.b, "alice")) {
            edges.awaitBindings(2);
            alice.send(new JsonObject().put("cmd", "call").put("target", "sip:bob@" + AccountServiceProcess.DOMAIN));
            bob.await("incoming", T);
            bob.send("answer");
            alice.await("confirmed", T);
            bob.await("confirmed", T);
            assertTransitDialogs(edges.a, 1, "edge A relays bob's dialog for edge B");
            alice.send("hangup");
            JsonObject ended = bob.await("ended", T);
            assertEquals("remote", ended.getString("originator"), "alice's BYE crossed edge B and edge A: " + ended);
            assertTransitDialogs(edges.a, 0, "the BYE's answer ends the relayed dialog on edge A");
        }
    }

    @Test
    void calleeWhoseWebSocketOnTheOtherEdgeDropsIsHungUpTowardTheCallerAfterTheGracePeriod() throws Exception {
        try (KafkaConsumer<String, byte[]> callEvents = consumer(Topics.CALL_EVENTS);
             NodeUa alice = registered("alice-grace-edge-a", edges.a, "alice");
             NodeUa bob = registered("bob-grace-edge-b", edges.b, "bob")) {
            edges.awaitBindings(2);
            alice.send(new JsonObject().put("cmd", "call").put("target", "sip:bob@" + AccountServiceProcess.DOMAIN));
            JsonObject incoming = bob.await("incoming", T);
            bob.send("answer");
            alice.await("confirmed", T);
            bob.await("confirmed", T);
            assertTransitDialogs(edges.b, 1, "edge B relays bob's dialog for edge A");

            long droppedAt = System.nanoTime();
            bob.crash();
            JsonObject ended = alice.await("ended", T);
            long afterMs = (System.nanoTime() - droppedAt) / 1_000_000;
            assertEquals("remote", ended.getString("originator"), "edge B's BYE reached alice through edge A: " + ended);
            assertTrue(afterMs >= EdgePair.GRACE_PERIOD.toMillis() - 500,
                    "the BYE waited for the grace period (" + EdgePair.GRACE_PERIOD + "), came after " + afterMs + " ms");

            List<CallEvent> call = callEvents(callEvents, incoming.getString("callId"));
            assertEquals(1, call.stream().filter(e -> e.type() == CallEventType.ENDED).count(),
                    "the owning edge reported the end once: " + call);
            CallEvent end = call.get(call.size() - 1);
            assertEquals("ws-lost", end.cause(), "edge B's signed cause reached the owning edge: " + end);
            assertEquals(HangupSide.SYSTEM, end.hangupBy(), "the platform ended it, as on the owning edge itself: " + end);
            assertTransitDialogs(edges.b, 0, "the relayed dialog left edge B with the BYE");
            assertTrue(edges.a.awaitMetric("webcall_edge_calls", 0, T), "edge A dropped the call: "
                    + edges.a.metric("webcall_edge_calls") + "\n" + edges.a.logTail(30));
        }
    }

    @Test
    void callCancelledWhileRingingOnTheOtherEdgeLeavesNoRelayedDialog() throws Exception {
        try (NodeUa alice = registered("alice-cancel-edge-a", edges.a, "alice");
             NodeUa bob = registered("bob-cancel-edge-b", edges.b, "bob")) {
            edges.awaitBindings(2);
            alice.send(new JsonObject().put("cmd", "call").put("target", "sip:bob@" + AccountServiceProcess.DOMAIN));
            bob.await("incoming", T);
            alice.await("progress", T);
            assertTransitDialogs(edges.b, 1, "edge B holds the early relayed dialog while bob's phone rings");
            alice.send("hangup");
            JsonObject failed = bob.await("failed", T);
            assertEquals("remote", failed.getString("originator"), "alice's CANCEL reached bob: " + failed);
            assertTransitDialogs(edges.b, 0, "the 487 to the cancelled INVITE removed the relayed dialog");
        }
    }

    @Test
    void calleeReconnectingToTheOtherEdgeWithinTheGracePeriodKeepsTheCall() throws Exception {
        // bob is a hand-written SIP over WebSocket client on edge B, so it can come back on a new connection and speak
        // in the dialog from there, as a reconnecting browser does
        try (NodeUa alice = registered("alice-reconnect-edge-a", edges.a, "alice");
             RawSipClient bob = RawSipClient.webSocket(edges.b.webSocketUrl(), EdgePair.ALLOWED_ORIGIN)) {
            bob.send("REGISTER sip:" + AccountServiceProcess.DOMAIN + " SIP/2.0\r\n"
                    + "Via: SIP/2.0/WSS bobraw.invalid;branch=z9hG4bK" + UUID.randomUUID() + "\r\n"
                    + "Max-Forwards: 70\r\nFrom: <sip:bob@" + AccountServiceProcess.DOMAIN + ">;tag=reg1\r\n"
                    + "To: <sip:bob@" + AccountServiceProcess.DOMAIN + ">\r\nCall-ID: reg-" + UUID.randomUUID() + "\r\n"
                    + "CSeq: 1 REGISTER\r\nContact: <sip:bob@bobraw.invalid;transport=ws>;expires=300\r\n"
                    + "Authorization: Bearer " + account.token("bob") + "\r\nContent-Length: 0\r\n\r\n");
            String registered = bob.receiveFinal(T);
            assertTrue(registered != null && RawSipClient.status(registered) == 200, "bob registered on edge B: " + registered);
            edges.awaitBindings(2);

            alice.send(new JsonObject().put("cmd", "call").put("target", "sip:bob@" + AccountServiceProcess.DOMAIN));
            String invite = awaitRequest(bob, "INVITE");
            answer(bob, invite);
            alice.await("confirmed", T);
            awaitRequest(bob, "ACK");
            assertTransitDialogs(edges.b, 1, "edge B relays bob's dialog for edge A");

            bob.close(); // the WebSocket drops; the grace period starts on edge B
            try (RawSipClient back = RawSipClient.webSocket(edges.b.webSocketUrl(), EdgePair.ALLOWED_ORIGIN)) {
                // the first in-dialog request on the new connection moves the relayed dialog there
                assertEquals(200, RawSipClient.status(inDialog(back, invite, "INFO", 1,
                        "Content-Type: application/dtmf-relay\r\n", "Signal=1\r\nDuration=160\r\n")),
                        "bob's INFO from the new connection reached alice through both edges");
                AssertionError stillUp = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class,
                        () -> alice.await("ended", EdgePair.GRACE_PERIOD.plusSeconds(3)),
                        "the call outlives the grace period: bob came back in time");
                assertTrue(stillUp.getMessage().contains("no 'ended'"), stillUp.getMessage());
                assertTransitDialogs(edges.b, 1, "the relayed dialog stays on edge B");

                assertEquals(200, RawSipClient.status(inDialog(back, invite, "BYE", 2, "", "")),
                        "bob's BYE from the new connection ended the call");
                JsonObject ended = alice.await("ended", T);
                assertEquals("remote", ended.getString("originator"), ended.encode());
                assertTransitDialogs(edges.b, 0, "the BYE's answer removed the relayed dialog");
            }
        }
    }

    @Test
    void transitDialogWhoseOwningEdgeDiesWithoutByeEndsWithByeToTheCalleeWhenItsSessionTimerLapsesAfterTheLastRefresh() throws Exception {
        int port = Sipp.freeUdpPort();
        account.setPbx(AccountServiceProcess.DOMAIN, "sip:127.0.0.1:" + port, "udp", null, null);
        // the PBX sends its INVITE to edge C, which owns the call; bob's connection is on edge B, which relays it
        try (EdgeProcess owner = edges.startAnother("c");
             RawSipClient bob = RawSipClient.webSocket(edges.b.webSocketUrl(), EdgePair.ALLOWED_ORIGIN)) {
            String contact = "<sip:bob@bobraw.invalid;transport=ws>";
            bob.send("REGISTER sip:" + AccountServiceProcess.DOMAIN + " SIP/2.0\r\n"
                    + "Via: SIP/2.0/WSS bobraw.invalid;branch=z9hG4bK" + UUID.randomUUID() + "\r\n"
                    + "Max-Forwards: 70\r\nFrom: <sip:bob@" + AccountServiceProcess.DOMAIN + ">;tag=reg1\r\n"
                    + "To: <sip:bob@" + AccountServiceProcess.DOMAIN + ">\r\nCall-ID: reg-" + UUID.randomUUID() + "\r\n"
                    + "CSeq: 1 REGISTER\r\nContact: " + contact + ";expires=300\r\n"
                    + "Authorization: Bearer " + account.token("bob") + "\r\nContent-Length: 0\r\n\r\n");
            String registered = bob.receiveFinal(T);
            assertTrue(registered != null && RawSipClient.status(registered) == 200, "bob registered on edge B: " + registered);
            edges.awaitBindings(1);
            assertTrue(owner.awaitMetric(EdgePair.BINDINGS, 1, T), "edge C learnt bob's binding: " + owner.metric(EdgePair.BINDINGS));

            try (Sipp pbx = Sipp.uac("pbx-calls-user-with-session-timer-refreshed-once.xml", port, "127.0.0.1:" + owner.sipPort(),
                    "bob", AccountServiceProcess.DOMAIN)) {
                String invite = awaitRequest(bob, "INVITE");
                assertEquals("3;refresher=uac", RawSipClient.header(invite, "Session-Expires"), invite);
                answer(bob, invite, "Require: timer\r\nSession-Expires: 3;refresher=uac\r\n");
                awaitRequest(bob, "ACK");
                assertTransitDialogs(edges.b, 1, "edge B relays bob's dialog for edge C");
                // a session refresh (RFC 4028 section 10) through both edges while edge C lives: edge B's timer starts over
                Thread.sleep(3000);
                assertEquals(200, RawSipClient.status(inDialog(bob, invite, "UPDATE", 1,
                        "Supported: timer\r\nSession-Expires: 3;refresher=uac\r\n", "")), "the PBX answered the refresh");
                long refreshedAt = System.nanoTime();

                owner.kill(); // no BYE from anyone: the PBX stays silent and the owning edge is gone
                String bye = awaitRequest(bob, "BYE");
                long afterMs = (System.nanoTime() - refreshedAt) / 1_000_000;
                // edge B ends it 3 s + 5 s after the last 2xx it saw: 8 s after the refresh (5 s without it)
                assertTrue(afterMs >= 7000, "the BYE came a session interval after the refresh, not after the answer: "
                        + afterMs + " ms after the refresh");
                assertTrue(RawSipClient.header(bye, "From").endsWith("tag=" + RawSipClient.header(invite, "From")
                        .replaceAll(".*;tag=", "")), "the BYE is in the caller's name: " + bye);
                assertTrue(RawSipClient.header(bye, "To").endsWith(";tag=bobtag"), bye);
                assertTrue(bye.startsWith("BYE sip:bob@bobraw.invalid;transport=ws SIP/2.0"), "sent to bob's Contact: " + bye);
                assertTrue(String.valueOf(RawSipClient.header(bye, "Reason")).contains("Session timer expired"), bye);
                StringBuilder byeOk = new StringBuilder("SIP/2.0 200 OK\r\n");
                RawSipClient.headers(bye, "Via").forEach(v -> byeOk.append("Via: ").append(v).append("\r\n"));
                byeOk.append("From: ").append(RawSipClient.header(bye, "From")).append("\r\n")
                        .append("To: ").append(RawSipClient.header(bye, "To")).append("\r\n")
                        .append("Call-ID: ").append(RawSipClient.header(bye, "Call-ID")).append("\r\n")
                        .append("CSeq: ").append(RawSipClient.header(bye, "CSeq")).append("\r\nContent-Length: 0\r\n\r\n");
                bob.send(byeOk.toString());
                assertTransitDialogs(edges.b, 0, "edge B forgot the dialog of the dead edge");
            }
        }
    }

    @Test
    void byeFromACalleeClaimingALostConnectionIsRecordedAsTheCalleesOwnHangup() throws Exception {
        // bob (a hand-written client on edge B) copies what edge B sends after a grace period: the Reason text and the
        // private cause header, but without edge B's signature
        try (KafkaConsumer<String, byte[]> callEvents = consumer(Topics.CALL_EVENTS);
             NodeUa alice = registered("alice-forged-cause-edge-a", edges.a, "alice");
             RawSipClient bob = RawSipClient.webSocket(edges.b.webSocketUrl(), EdgePair.ALLOWED_ORIGIN)) {
            bob.send("REGISTER sip:" + AccountServiceProcess.DOMAIN + " SIP/2.0\r\n"
                    + "Via: SIP/2.0/WSS bobraw.invalid;branch=z9hG4bK" + UUID.randomUUID() + "\r\n"
                    + "Max-Forwards: 70\r\nFrom: <sip:bob@" + AccountServiceProcess.DOMAIN + ">;tag=reg1\r\n"
                    + "To: <sip:bob@" + AccountServiceProcess.DOMAIN + ">\r\nCall-ID: reg-" + UUID.randomUUID() + "\r\n"
                    + "CSeq: 1 REGISTER\r\nContact: <sip:bob@bobraw.invalid;transport=ws>;expires=300\r\n"
                    + "Authorization: Bearer " + account.token("bob") + "\r\nContent-Length: 0\r\n\r\n");
            String registered = bob.receiveFinal(T);
            assertTrue(registered != null && RawSipClient.status(registered) == 200, "bob registered on edge B: " + registered);
            edges.awaitBindings(2);

            alice.send(new JsonObject().put("cmd", "call").put("target", "sip:bob@" + AccountServiceProcess.DOMAIN));
            String invite = awaitRequest(bob, "INVITE");
            answer(bob, invite);
            alice.await("confirmed", T);
            awaitRequest(bob, "ACK");

            assertEquals(200, RawSipClient.status(inDialog(bob, invite, "BYE", 1,
                    "Reason: SIP;cause=200;text=\"Connection lost\"\r\nX-Webcall-Edge-Cause: ws-lost;sig=AAAAAAAAAAAAAAAAAAAAAA\r\n", "")));
            assertEquals("remote", alice.await("ended", T).getString("originator"));
            CallEvent end = callEvents(callEvents, RawSipClient.header(invite, "Call-ID")).stream()
                    .filter(e -> e.type() == CallEventType.ENDED).findFirst().orElseThrow();
            assertEquals("normal", end.cause(), "a cause without an edge's signature is not believed: " + end);
            assertEquals(HangupSide.CALLEE, end.hangupBy(), end.toString());
        }
    }

    /** Answers {@code invite} from the raw callee with a WebRTC answer built from the offer (no media flows). */
    static void answer(RawSipClient callee, String invite) throws Exception {
        answer(callee, invite, "");
    }

    /** The same 200, with {@code extraHeaders} (CRLF-terminated lines). */
    static void answer(RawSipClient callee, String invite, String extraHeaders) throws Exception {
        String offer = invite.substring(invite.indexOf("\r\n\r\n") + 4);
        String answer = offer.replace("a=setup:actpass", "a=setup:active").lines()
                .filter(l -> !l.startsWith("a=candidate") && !l.startsWith("a=end-of-candidates"))
                .reduce("", (a, l) -> a + l + "\r\n");
        StringBuilder ok = new StringBuilder("SIP/2.0 200 OK\r\n");
        RawSipClient.headers(invite, "Via").forEach(v -> ok.append("Via: ").append(v).append("\r\n"));
        RawSipClient.headers(invite, "Record-Route").forEach(v -> ok.append("Record-Route: ").append(v).append("\r\n"));
        ok.append("From: ").append(RawSipClient.header(invite, "From")).append("\r\n")
                .append("To: ").append(RawSipClient.header(invite, "To")).append(";tag=bobtag\r\n")
                .append("Call-ID: ").append(RawSipClient.header(invite, "Call-ID")).append("\r\n")
                .append("CSeq: ").append(RawSipClient.header(invite, "CSeq")).append("\r\n")
                .append("Contact: <sip:bob@bobraw.invalid;transport=ws>\r\n").append(extraHeaders)
                .append("Content-Type: application/sdp\r\nContent-Length: ")
                .append(answer.getBytes(java.nio.charset.StandardCharsets.UTF_8).length).append("\r\n\r\n").append(answer);
        callee.send(ok.toString());
    }

    /** Waits (bounded) for the next request with this method, skipping anything else. */
    static String awaitRequest(RawSipClient c, String method) throws InterruptedException {
        long deadline = System.nanoTime() + T.toNanos();
        while (System.nanoTime() < deadline) {
            String m = c.receive(Duration.ofMillis(200));
            if (m != null && m.startsWith(method + " ")) {
                return m;
            }
        }
        throw new AssertionError("no " + method + " within " + T);
    }

    /** Sends an in-dialog request from the callee of {@code invite} (route set = its Record-Route) and returns the final response. */
    static String inDialog(RawSipClient c, String invite, String method, int cseq, String extraHeaders, String body) throws Exception {
        StringBuilder r = new StringBuilder(method).append(' ').append(RawSipClient.header(invite, "Contact").replaceAll(".*<([^>]*)>.*", "$1"))
                .append(" SIP/2.0\r\nVia: SIP/2.0/WSS bobraw.invalid;branch=z9hG4bK").append(UUID.randomUUID()).append("\r\n")
                .append("Max-Forwards: 70\r\n");
        RawSipClient.headers(invite, "Record-Route").forEach(v -> r.append("Route: ").append(v).append("\r\n"));
        r.append("From: ").append(RawSipClient.header(invite, "To")).append(";tag=bobtag\r\n")
                .append("To: ").append(RawSipClient.header(invite, "From")).append("\r\n")
                .append("Call-ID: ").append(RawSipClient.header(invite, "Call-ID")).append("\r\n")
                .append("CSeq: ").append(cseq).append(' ').append(method).append("\r\n").append(extraHeaders)
                .append("Content-Length: ").append(body.length()).append("\r\n\r\n").append(body);
        c.send(r.toString());
        long deadline = System.nanoTime() + T.toNanos();
        while (System.nanoTime() < deadline) {
            String m = c.receiveFinal(Duration.ofMillis(500));
            if (m != null && m.startsWith("SIP/2.0 ") && (" " + RawSipClient.header(m, "CSeq")).endsWith(" " + method)) {
                return m;
            }
        }
        throw new AssertionError("no final response to " + method + " within " + T);
    }

    static void assertTransitDialogs(EdgeProcess edge, int expected, String why) throws Exception {
        assertTrue(edge.awaitMetric(EdgePair.TRANSIT_DIALOGS, expected, T),
                why + ": " + edge + " has " + edge.metric(EdgePair.TRANSIT_DIALOGS) + " transit dialog(s), expected " + expected);
    }

    @Test
    void pbxSendingToEdgeBReachesAliceRegisteredOnEdgeA() throws Exception {
        int port = Sipp.freeUdpPort();
        account.setPbx(AccountServiceProcess.DOMAIN, "sip:127.0.0.1:" + port, "udp", null, null);
        try (KafkaConsumer<String, byte[]> callEvents = consumer(Topics.CALL_EVENTS);
             NodeUa alice = registered("alice-pbx-edge-a", edges.a, "alice")) {
            edges.awaitBindings(1);
            String callId;
            try (Sipp pbx = Sipp.uac("pbx-calls-user-and-hangs-up.xml", port, "127.0.0.1:" + edges.b.sipPort(), "alice",
                    AccountServiceProcess.DOMAIN)) {
                JsonObject incoming = alice.await("incoming", T);
                callId = incoming.getString("callId");
                assertTrue(incoming.getString("from").contains("+15550100"), incoming.encode());
                alice.send("answer");
                alice.await("confirmed", T);
                JsonObject ended = alice.await("ended", T);
                assertEquals("remote", ended.getString("originator"), "the PBX's BYE crossed edge B and edge A: " + ended);
                assertTrue(pbx.succeeded(30), "PBX got 200 through both edges, its ACK and BYE were routed back: "
                        + pbx.errors() + "\n" + edges.b.logTail(40));
            }
            List<CallEvent> call = callEvents(callEvents, callId);
            assertEquals(CallDirection.INBOUND, call.get(0).direction(), call.toString());
            assertEquals(1, call.stream().filter(e -> e.type() == CallEventType.INITIATED).count(), call.toString());
            assertEquals(HangupSide.CALLER, call.get(call.size() - 1).hangupBy(), call.toString());
        }
    }

    @Test
    void newRequestWithAnEdgeRouteNotSignedByAnEdgeIsRefused() throws Exception {
        try (RawSipClient pbx = RawSipClient.udp("127.0.0.1", edges.b.sipPort())) {
            for (String sig : new String[] {"", ";wcsig=AAAAAAAAAAAAAAAAAAAAAA"}) {
                String callId = "forged-" + UUID.randomUUID();
                pbx.send("INVITE sip:bob@demo.localhost SIP/2.0\r\n"
                        + "Via: SIP/2.0/UDP 127.0.0.1:" + pbx.localPort() + ";branch=z9hG4bK" + callId + ";rport\r\n"
                        + "Route: <sip:127.0.0.1:" + edges.b.sipPort() + ";transport=tcp;lr;wcedge=edge-b;ttok=ws1abcdefgh" + sig + ">\r\n"
                        + "Max-Forwards: 70\r\nFrom: <sip:mallory@attacker.invalid>;tag=1\r\nTo: <sip:bob@demo.localhost>\r\n"
                        + "Call-ID: " + callId + "\r\nCSeq: 1 INVITE\r\nContact: <sip:mallory@127.0.0.1:" + pbx.localPort() + ">\r\n"
                        + "Content-Length: 0\r\n\r\n");
                String r = pbx.receiveFinal(T);
                while (r != null && !callId.equals(RawSipClient.header(r, "Call-ID"))) {
                    r = pbx.receiveFinal(T); // a retransmitted answer to the previous attempt
                }
                assertTrue(r != null && RawSipClient.status(r) == 403,
                        "a route to a user's connection must carry the edges' signature" + sig + ": " + r);
            }
        }
    }

    KafkaConsumer<String, byte[]> consumer(String topic) {
        KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, edges.kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()));
        c.subscribe(List.of(topic));
        return c;
    }

    /** The events of one call, in order, up to and including its {@code ended} event. */
    static List<CallEvent> callEvents(KafkaConsumer<String, byte[]> c, String callId) {
        Predicate<CallEvent> filter = e -> e.callId().equals(callId);
        List<CallEvent> seen = new ArrayList<>();
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                CallEvent e = EventJson.decodeCallEvent(r.value());
                if (filter.test(e)) {
                    seen.add(e);
                }
            }
            if (seen.stream().anyMatch(e -> e.type() == CallEventType.ENDED)) {
                return seen;
            }
        }
        throw new AssertionError("no ended call event; saw " + seen);
    }
}
