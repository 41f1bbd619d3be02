package io.webcall.signaling.proxy;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import io.webcall.events.CallEvent;
import io.webcall.events.CallEventType;
import io.webcall.events.HangupSide;
import io.webcall.signaling.testsupport.AccountServiceProcess;
import io.webcall.signaling.testsupport.Kamailio;
import io.webcall.signaling.testsupport.NodeUa;
import io.webcall.signaling.testsupport.RelayProcess;
import io.webcall.signaling.testsupport.Sipp;
import io.webcall.signaling.testsupport.TestCertificates;
import io.webcall.signaling.testsupport.TlsTrunkEdgeTestResource;
import io.webcall.signaling.transport.SipTransports;
import io.webcall.signaling.transport.Transport;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PBX trunks with transport {@code tls} (RFC 3261 section 26.2): Kamailio with its TLS module stands in for the PBX's
 * TLS front (record-routing, forwarding to a sipp UAS over UDP). The edge verifies the PBX's certificate against its
 * configured trusted certificates; its own TLS listener takes the in-dialog requests Kamailio sends back.
 */
@QuarkusTest
@QuarkusTestResource(value = TlsTrunkEdgeTestResource.class, restrictToAnnotatedClass = true)
class TlsTrunkTest extends TrunkCallTest {

    @Inject
    SipTransports transports;

    @BeforeEach
    void kamailioTlsAndCertificates() {
        Kamailio.assumeTlsAvailable();
        TestCertificates.assumeAvailable();
    }

    void tlsTrunk(int port) {
        trunk("sip:127.0.0.1:" + port, "tls", null, null);
    }

    @Test
    void browserCallsTlsTrunkWithATrustedCertificateAndThePbxByeComesBackOverTls() throws Exception {
        int sippPort = Sipp.freeUdpPort();
        try (Sipp pbx = Sipp.uas("pbx-422-then-answers-and-hangs-up.xml", sippPort);
             Kamailio front = Kamailio.tlsProxyTo(sippPort, TestCertificates.certificate(TlsTrunkEdgeTestResource.TRUSTED),
                     TestCertificates.key(TlsTrunkEdgeTestResource.TRUSTED));
             NodeUa alice = registered("alice-tls", "alice")) {
            tlsTrunk(front.port());
            alice.send(new JsonObject().put("cmd", "call").put("target", "sip:+15550161@" + AccountServiceProcess.DOMAIN)
                    .put("sessionExpires", 90));
            JsonObject confirmed = alice.await("confirmed", T);
            assertTrue(confirmed.getString("remoteSdp").contains("a=fingerprint"), confirmed.encode());
            // the PBX hangs up: its BYE goes through Kamailio, which follows the edge's transport=tls Record-Route
            JsonObject ended = alice.await("ended", T);
            assertEquals("remote", ended.getString("originator"), "the PBX's BYE reached the browser: " + ended);
            assertTrue(pbx.succeeded(20), "the PBX got the INVITE (and its 422 retry) over the TLS hop and a 200 to its BYE: "
                    + pbx.errors());
            String messages = pbx.messages();
            int tlsPort = transports.portFor(Transport.TLS);
            assertTrue(tlsPort != transports.sipPort(), "the TLS listener has its own port");
            assertTrue(messages.contains("<sip:127.0.0.1:" + tlsPort + ";transport=tls;lr;wcedge="),
                    "the edge record-routed the TLS hop with transport=tls and its TLS listener (RFC 3261 section 26.2): " + messages);
            assertTrue(messages.contains("SIP/2.0/TLS 127.0.0.1:" + tlsPort + ";"), "the edge's Via names TLS and its TLS listener: " + messages);
            assertEquals(HangupSide.CALLEE, last(CallEventType.ENDED).hangupBy());
        }
    }

    @Test
    void tlsTrunkPresentingACertificateTheEdgeDoesNotTrustFailsTheCallWith503AndSaysWhy() throws Exception {
        try (Kamailio front = Kamailio.tlsProxyTo(Sipp.freeUdpPort(), TestCertificates.certificate(TlsTrunkEdgeTestResource.UNTRUSTED),
                TestCertificates.key(TlsTrunkEdgeTestResource.UNTRUSTED));
             NodeUa alice = registered("alice-tls-untrusted", "alice")) {
            tlsTrunk(front.port());
            alice.send(new JsonObject().put("cmd", "call").put("target", "sip:+15550162@" + AccountServiceProcess.DOMAIN));
            JsonObject failed = alice.await("failed", T);
            assertEquals(503, failed.getInteger("code"), "the call fails with 503, never over an unverified connection: " + failed);
            String warning = failed.getString("warning");
            assertTrue(warning != null && warning.startsWith("399 ") && warning.contains("TLS connection to 127.0.0.1:" + front.port()),
                    "the 503 says why (RFC 3261 Warning): " + failed);
            CallEvent ended = last(CallEventType.ENDED);
            assertEquals(503, ended.sipCode(), ended.toString());
        }
    }

    @Test
    void tlsTrunkWhoseTrustedCertificateNamesAnotherHostFailsTheCallWith503AndFreesItsRelaySession() throws Exception {
        String relay = RelayProcess.start();
        double createdBefore = relayMetric(relay, "relay_sessions_created_total");
        try (Kamailio front = Kamailio.tlsProxyTo(Sipp.freeUdpPort(),
                TestCertificates.certificate(TlsTrunkEdgeTestResource.OTHER_HOST, TlsTrunkEdgeTestResource.OTHER_HOST_NAME),
                TestCertificates.key(TlsTrunkEdgeTestResource.OTHER_HOST));
             NodeUa alice = registered("alice-tls-other-host", "alice")) {
            tlsTrunk(front.port());
            alice.send(new JsonObject().put("cmd", "call").put("target", "sip:+15550163@" + AccountServiceProcess.DOMAIN));
            JsonObject failed = alice.await("failed", T);
            // RFC 5922 section 7.2: the chain is trusted, but the certificate does not name 127.0.0.1, the trunk's host
            assertEquals(503, failed.getInteger("code"), "the call fails with 503, never over a connection to another host: " + failed);
            String warning = failed.getString("warning");
            assertTrue(warning != null && warning.startsWith("399 ") && warning.contains("TLS connection to 127.0.0.1:" + front.port())
                            && warning.toLowerCase(java.util.Locale.ROOT).contains("subject alternative name"),
                    "the 503 says that the certificate does not name the host (RFC 3261 Warning): " + failed);
            CallEvent ended = last(CallEventType.ENDED);
            assertEquals(503, ended.sipCode(), ended.toString());
            assertTrue(relayMetric(relay, "relay_sessions_created_total") > createdBefore,
                    "the browser's offer had opened a relay session before the TLS connection was tried");
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest session = HttpRequest.newBuilder(URI.create(relay + "/v1/sessions/" + ended.callId())).GET().build();
            long deadline = System.nanoTime() + T.toNanos();
            int status = http.send(session, HttpResponse.BodyHandlers.discarding()).statusCode();
            while (status != 404 && System.nanoTime() < deadline) {
                Thread.sleep(100);
                status = http.send(session, HttpResponse.BodyHandlers.discarding()).statusCode();
            }
            assertEquals(404, status, "the failed call's relay session is freed, not left to the relay's idle timeout");
        }
    }

    /** A counter of the relay's Prometheus metrics ({@code /q/metrics}), 0 when absent. */
    static double relayMetric(String relay, String name) throws Exception {
        String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(relay + "/q/metrics")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return text.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
