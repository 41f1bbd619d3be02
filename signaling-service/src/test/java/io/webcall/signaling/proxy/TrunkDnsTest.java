package io.webcall.signaling.proxy;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import io.webcall.events.CallEventType;
import io.webcall.events.HangupSide;
import io.webcall.signaling.testsupport.AccountServiceProcess;
import io.webcall.signaling.testsupport.DnsTrunkEdgeTestResource;
import io.webcall.signaling.testsupport.NodeUa;
import io.webcall.signaling.testsupport.Sipp;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A PBX trunk given by a domain without a port (RFC 3263 section 4.2): the edge looks up the domain's {@code _sip._udp}
 * SRV record in DNS (a dnsmasq of the test's own) and sends the call to the host and port it names, where sipp answers;
 * over TCP a record whose server refuses the connection gives way to the next one (section 4.3).
 */
@QuarkusTest
@QuarkusTestResource(value = DnsTrunkEdgeTestResource.class, restrictToAnnotatedClass = true)
class TrunkDnsTest extends TrunkCallTest {

    @Test
    void aTrunkDomainWithoutAPortIsReachedAtTheHostAndPortOfItsSrvRecord() throws Exception {
        trunk("sip:" + DnsTrunkEdgeTestResource.DOMAIN, "udp", null, null);
        try (Sipp pbx = Sipp.uas("pbx-answers-caller-hangs-up.xml", DnsTrunkEdgeTestResource.sippPort);
             NodeUa alice = registered("alice-srv", "alice")) {
            alice.send(new JsonObject().put("cmd", "call").put("target", "sip:+15550191@" + AccountServiceProcess.DOMAIN));
            JsonObject confirmed = alice.await("confirmed", T);
            assertTrue(confirmed.getString("remoteSdp").contains("a=fingerprint"), confirmed.encode());
            alice.send("hangup");
            assertTrue(pbx.succeeded(20), "the PBX at the SRV record's port got the call and its BYE: " + pbx.errors());
            assertTrue(pbx.messages().contains("INVITE sip:+15550191@" + DnsTrunkEdgeTestResource.DOMAIN + " SIP/2.0"),
                    "the Request-URI keeps the trunk's domain (RFC 3263 only picks where it is sent): " + pbx.messages());
            assertEquals(HangupSide.CALLER, last(CallEventType.ENDED).hangupBy());
        }
    }

    @Test
    void aTcpTrunkWhoseFirstSrvRecordRefusesTheConnectionIsReachedAtTheNextRecord() throws Exception {
        trunk("sip:" + DnsTrunkEdgeTestResource.TCP_DOMAIN, "tcp", null, null);
        try (Sipp pbx = Sipp.uasTcp("pbx-answers-caller-hangs-up.xml", DnsTrunkEdgeTestResource.sippTcpPort);
             NodeUa alice = registered("alice-srv-tcp", "alice")) {
            alice.send(new JsonObject().put("cmd", "call").put("target", "sip:+15550192@" + AccountServiceProcess.DOMAIN));
            // RFC 3263 section 4.3: the priority-10 record's port refuses the connection, the priority-20 one answers
            JsonObject confirmed = alice.await("confirmed", T);
            assertTrue(confirmed.getString("remoteSdp").contains("a=fingerprint"), confirmed.encode());
            alice.send("hangup");
            assertTrue(pbx.succeeded(20), "the PBX at the second record got the call and its BYE: " + pbx.errors());
        }
    }
}
