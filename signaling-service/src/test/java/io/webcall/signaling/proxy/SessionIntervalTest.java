package io.webcall.signaling.proxy;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import io.webcall.events.CallEvent;
import io.webcall.events.CallEventType;
import io.webcall.signaling.dialog.Dialog;
import io.webcall.signaling.dialog.DialogStore;
import io.webcall.signaling.events.CallEvents;
import io.webcall.signaling.testsupport.AccountServiceProcess;
import io.webcall.signaling.testsupport.AnchoredEdgeTestResource;
import io.webcall.signaling.testsupport.EdgeTestResource;
import io.webcall.signaling.testsupport.NodeUa;
import io.webcall.signaling.testsupport.RawSipClient;
import io.webcall.signaling.testsupport.RelayProcess;
import io.webcall.signaling.testsupport.Sipp;
import io.webcall.signaling.tenant.AccountClient;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RFC 4028 sections 5 and 6 with the edge's default Min-SE of 90 s. */
@QuarkusTest
@QuarkusTestResource(value = AnchoredEdgeTestResource.class, restrictToAnnotatedClass = true)
class SessionIntervalTest {

    static final Duration T = Duration.ofSeconds(20);

    @TestHTTPResource("/sip")
    URL sip;
    @Inject
    CallEvents callEvents;
    @Inject
    DialogStore dialogs;
    @Inject
    AccountClient accountClient;

    String ws() {
        return sip.toString().replace("http://", "ws://");
    }

    String invite(String callId, int sessionExpires) {
        return "INVITE sip:+15550100@" + AccountServiceProcess.DOMAIN + " SIP/2.0\r\n"
                + "Via: SIP/2.0/WSS abc.invalid;branch=z9hG4bK" + callId + "\r\n"
                + "Max-Forwards: 70\r\nFrom: <sip:alice@" + AccountServiceProcess.DOMAIN + ">;tag=a1\r\n"
                + "To: <sip:+15550100@" + AccountServiceProcess.DOMAIN + ">\r\nCall-ID: " + callId + "\r\nCSeq: 1 INVITE\r\n"
                + "Contact: <sip:alice@abc.invalid;transport=ws>\r\nSupported: timer\r\n"
                + "Session-Expires: " + sessionExpires + "\r\nContent-Length: 0\r\n\r\n";
    }

    @Test
    void inviteWithSessionExpiresBelowMinSeGets422WithTheEdgesMinSe() throws Exception {
        try (RawSipClient ua = RawSipClient.webSocket(ws())) {
            String callId = "se-small-" + UUID.randomUUID();
            ua.send(invite(callId, 30));
            String r = ua.receiveFinal(T);
            assertNotNull(r, "no answer to the INVITE");
            assertEquals(422, RawSipClient.status(r), r);
            assertEquals("90", RawSipClient.header(r, "Min-SE").trim(), r);

            String accepted = "se-ok-" + UUID.randomUUID();
            ua.send(invite(accepted, 90));
            String r2 = ua.receiveFinal(T);
            assertNotNull(r2, "no answer to the INVITE with Session-Expires 90");
            assertNotEquals(422, RawSipClient.status(r2), "90 s is the minimum, not below it: " + r2);
        }
    }

    @Test
    void answerWithSessionIntervalBelowMinSeIsNotTrustedForTheEdgesExpiryTimer() throws Exception {
        RelayProcess.assumeAvailable();
        Sipp.assumeAvailable();
        List<CallEvent> events = new CopyOnWriteArrayList<>();
        callEvents.addListener(events::add);
        int port = Sipp.freeUdpPort();
        EdgeTestResource.account().setPbx(AccountServiceProcess.DOMAIN, "sip:127.0.0.1:" + port, "udp", null, null);
        accountClient.invalidate();
        try (Sipp pbx = Sipp.uas("pbx-session-interval-below-min-se.xml", port);
             NodeUa alice = NodeUa.jssip("alice-min-se", ws(), "alice", EdgeTestResource.account().token("alice"), null)) {
            alice.register(T);
            alice.send(new JsonObject().put("cmd", "call").put("target", "sip:+15550156@" + AccountServiceProcess.DOMAIN));
            alice.await("confirmed", T);
            CallEvent answered = events.stream().filter(e -> e.type() == CallEventType.ANSWERED).findFirst().orElseThrow();
            Dialog d = dialogs.get(answered.callId());
            assertNotNull(d, "dialog of " + answered.callId());
            assertEquals(90, d.sessionExpires, "the 2 s interval of the PBX's 2xx is raised to the edge's Min-SE");
            // a timer trusting the 2 s interval would have ended the call after 4 s
            Thread.sleep(6000);
            assertTrue(events.stream().noneMatch(e -> e.type() == CallEventType.ENDED), "call ended early: " + events);
            assertEquals(Dialog.State.CONFIRMED, d.state);
            alice.send("hangup");
            alice.await("ended", T);
            assertTrue(pbx.succeeded(20), "the browser's BYE reached the PBX: " + pbx.errors());
        } finally {
            EdgeTestResource.account().setPbx(AccountServiceProcess.DOMAIN, null, null, null, null);
            accountClient.invalidate();
        }
    }
}
