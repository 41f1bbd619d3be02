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
        ua.send("register");
        ua.await("registered", T);
        return ua;
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
