package io.webcall.signaling.proxy;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import io.webcall.events.CallEvent;
import io.webcall.events.CallEventType;
import io.webcall.events.HangupSide;
import io.webcall.signaling.events.CallEvents;
import io.webcall.signaling.testsupport.RecordedCallEvents;
import io.webcall.signaling.testsupport.EdgeTestResource;
import io.webcall.signaling.testsupport.AccountServiceProcess;
import io.webcall.signaling.testsupport.NodeUa;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Browser-to-browser calls through the edge with real JsSIP and SIP.js user agents (SDP passed through). */
@QuarkusTest
@QuarkusTestResource(value = EdgeTestResource.class, restrictToAnnotatedClass = true)
class CallsBetweenUsersTest {

    static final Duration T = Duration.ofSeconds(20);
    static final RecordedCallEvents EVENTS = new RecordedCallEvents();

    @TestHTTPResource("/sip")
    URL sip;
    @Inject
    CallEvents callEvents;

    @BeforeEach
    void listen() {
        EVENTS.attachAndClear(callEvents);
    }

    String ws() {
        return sip.toString().replace("http://", "ws://");
    }

    String token(String user) {
        return EdgeTestResource.account().token(user);
    }

    NodeUa registered(NodeUa ua) throws InterruptedException {
        return ua.register(T);
    }

    void call(NodeUa from, String user) {
        from.send(new JsonObject().put("cmd", "call").put("target", "sip:" + user + "@" + AccountServiceProcess.DOMAIN));
    }

    List<CallEventType> types() {
        return EVENTS.types();
    }

    CallEvent last(CallEventType type) throws InterruptedException {
        return EVENTS.last(type);
    }

    @Test
    void jssipCallsSipJsUserAndCallerHangsUp() throws Exception {
        try (NodeUa alice = registered(NodeUa.jssip("alice", ws(), "alice", token("alice"), null));
             NodeUa bob = registered(NodeUa.sipjs("bob", ws(), "bob", null, AccountServiceProcess.PASSWORD))) {
            call(alice, "bob");
            bob.await("incoming", T);
            bob.send("answer");
            alice.await("confirmed", T);
            bob.await("confirmed", T);
            alice.send("hangup");
            bob.await("ended", T);
            CallEvent ended = last(CallEventType.ENDED);
            assertEquals(HangupSide.CALLER, ended.hangupBy());
            assertEquals(List.of(CallEventType.INITIATED, CallEventType.ANSWERED, CallEventType.ENDED),
                    types().stream().filter(t -> t != CallEventType.RINGING).toList());
            assertTrue(EVENTS.all().stream().allMatch(e -> e.seq() == EVENTS.all().indexOf(e) + 1), "per-call sequence 1, 2, 3...");
            assertEquals("sip:bob@demo.localhost", ended.to());
        }
    }

    @Test
    void sipJsCallsJssipUserWhoRingsAnswersAndHangsUp() throws Exception {
        try (NodeUa carol = registered(NodeUa.sipjs("carol", ws(), "carol", token("carol"), null));
             NodeUa alice = registered(NodeUa.jssip("alice2", ws(), "alice", null, AccountServiceProcess.PASSWORD))) {
            call(carol, "alice");
            alice.await("incoming", T);
            JsonObject progress = carol.await("progress", T);
            assertEquals(180, progress.getInteger("code"));
            alice.send("answer");
            carol.await("confirmed", T);
            alice.await("confirmed", T);
            alice.send("hangup");
            carol.await("ended", T);
            assertEquals(HangupSide.CALLEE, last(CallEventType.ENDED).hangupBy());
            assertEquals(180, last(CallEventType.RINGING).sipCode());
        }
    }

    @Test
    void forkingRingsEveryDeviceFirstAnswerWinsAndTheOthersAreCancelled() throws Exception {
        try (NodeUa alice = registered(NodeUa.jssip("alice-f", ws(), "alice", token("alice"), null));
             NodeUa bob1 = registered(NodeUa.jssip("bob-1", ws(), "bob", token("bob"), null));
             NodeUa bob2 = registered(NodeUa.jssip("bob-2", ws(), "bob", null, AccountServiceProcess.PASSWORD))) {
            call(alice, "bob");
            bob1.await("incoming", T);
            bob2.await("incoming", T);
            bob2.send("answer");
            alice.await("confirmed", T);
            JsonObject cancelled = bob1.await("failed", T);
            assertEquals("Canceled", cancelled.getString("cause"), cancelled.encode());
            alice.send("hangup");
            bob2.await("ended", T);
        }
    }

    @Test
    void callerCancelsWhileRinging() throws Exception {
        try (NodeUa alice = registered(NodeUa.jssip("alice-c", ws(), "alice", token("alice"), null));
             NodeUa bob = registered(NodeUa.jssip("bob-c", ws(), "bob", token("bob"), null))) {
            call(alice, "bob");
            bob.await("incoming", T);
            alice.await("progress", T);
            alice.send("hangup");
            JsonObject atBob = bob.await("failed", T);
            assertEquals("Canceled", atBob.getString("cause"), atBob.encode());
            JsonObject atAlice = alice.await("failed", T);
            assertEquals("Canceled", atAlice.getString("cause"), atAlice.encode());
            CallEvent ended = last(CallEventType.ENDED);
            assertEquals(487, ended.sipCode());
            assertEquals(HangupSide.CALLER, ended.hangupBy());
        }
    }

    @Test
    void calleeBusyRejectsAndCallerSeesTheCode() throws Exception {
        try (NodeUa alice = registered(NodeUa.jssip("alice-b", ws(), "alice", token("alice"), null));
             NodeUa bob = registered(NodeUa.jssip("bob-b", ws(), "bob", token("bob"), null))) {
            call(alice, "bob");
            bob.await("incoming", T);
            bob.send(new JsonObject().put("cmd", "reject").put("code", 486));
            JsonObject failed = alice.await("failed", T);
            assertEquals(486, failed.getInteger("code"), failed.encode());
            assertEquals(486, last(CallEventType.ENDED).sipCode());
        }
    }

    @Test
    void reInviteIsProxiedWithinTheCall() throws Exception {
        try (NodeUa alice = registered(NodeUa.jssip("alice-r", ws(), "alice", token("alice"), null));
             NodeUa bob = registered(NodeUa.jssip("bob-r", ws(), "bob", token("bob"), null))) {
            call(alice, "bob");
            bob.await("incoming", T);
            bob.send("answer");
            alice.await("confirmed", T);
            bob.await("confirmed", T);
            alice.send("reinvite");
            bob.await("reinvite", T);
            alice.await("reinvited", T);
            bob.send("hangup");
            alice.await("ended", T);
        }
    }

    @Test
    void callToUserWithoutDevicesAndNoTrunkIsTemporarilyUnavailable() throws Exception {
        try (NodeUa alice = registered(NodeUa.jssip("alice-u", ws(), "alice", token("alice"), null))) {
            call(alice, "carol");
            JsonObject failed = alice.await("failed", T);
            assertEquals(480, failed.getInteger("code"), failed.encode());
        }
    }

    @Test
    void browserThatDisappearsMidCallIsHungUpAfterTheGracePeriod() throws Exception {
        try (NodeUa alice = registered(NodeUa.jssip("alice-g", ws(), "alice", token("alice"), null));
             NodeUa bob = registered(NodeUa.jssip("bob-g", ws(), "bob", token("bob"), null))) {
            call(alice, "bob");
            bob.await("incoming", T);
            bob.send("answer");
            alice.await("confirmed", T);
            bob.await("confirmed", T);
            long crashedAt = System.currentTimeMillis();
            alice.crash();
            JsonObject ended = bob.await("ended", T);
            long after = System.currentTimeMillis() - crashedAt;
            assertEquals("remote", ended.getString("originator"), ended.encode());
            assertTrue(after >= 1500, "BYE came only after the 2 s grace period, was " + after + " ms");
            CallEvent e = last(CallEventType.ENDED);
            assertEquals(HangupSide.SYSTEM, e.hangupBy());
            assertEquals("ws-lost", e.cause());
        }
    }
}
