package io.webcall.signaling.auth;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.webcall.signaling.testsupport.EdgeTestResource;
import io.webcall.signaling.testsupport.AccountServiceProcess;
import io.webcall.signaling.testsupport.RawSipClient;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.time.Duration;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RFC 7616 digest on REGISTER: MD5 and SHA-256 challenges, nonce replay refused. */
@QuarkusTest
@QuarkusTestResource(value = EdgeTestResource.class, restrictToAnnotatedClass = true)
class DigestAuthenticationTest {

    static final Duration T = Duration.ofSeconds(5);

    @TestHTTPResource("/sip")
    URL sip;

    String register(String callId, int cseq, String authorization) {
        return "REGISTER sip:demo.localhost SIP/2.0\r\n"
                + "Via: SIP/2.0/WS df7jal23ls0d.invalid;branch=z9hG4bK" + UUID.randomUUID().toString().substring(0, 8) + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "To: <sip:bob@demo.localhost>\r\n"
                + "From: <sip:bob@demo.localhost>;tag=5f2ba\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: " + cseq + " REGISTER\r\n"
                + "Contact: <sip:bob@df7jal23ls0d.invalid;transport=ws>;+sip.instance=\"<urn:uuid:" + callId + ">\";reg-id=1\r\n"
                + "Expires: 300\r\n"
                + (authorization == null ? "" : "Authorization: " + authorization + "\r\n")
                + "Content-Length: 0\r\n\r\n";
    }

    static String answer(String challenge, String algorithm, String nc) {
        return RawSipClient.digestAuthorization(challenge, algorithm, "bob", AccountServiceProcess.PASSWORD, "REGISTER", "sip:demo.localhost", nc);
    }

    String challenge(RawSipClient c, String callId, String algorithm) throws Exception {
        c.send(register(callId, 1, null));
        String r = c.receiveFinal(T);
        assertNotNull(r);
        assertEquals(401, RawSipClient.status(r), r);
        return RawSipClient.headers(r, "WWW-Authenticate").stream().filter(h -> h.contains("algorithm=" + algorithm))
                .findFirst().orElseThrow(() -> new AssertionError("no " + algorithm + " challenge in " + r));
    }

    @Test
    void challengeOffersMd5Sha256AndBearer() throws Exception {
        try (RawSipClient c = RawSipClient.webSocket(sip.toString().replace("http", "ws"))) {
            c.send(register("offer-" + UUID.randomUUID(), 1, null));
            String r = c.receiveFinal(T);
            var challenges = RawSipClient.headers(r, "WWW-Authenticate");
            assertTrue(challenges.stream().anyMatch(h -> h.contains("algorithm=MD5")), r);
            assertTrue(challenges.stream().anyMatch(h -> h.contains("algorithm=SHA-256")), r);
            assertTrue(challenges.stream().anyMatch(h -> h.startsWith("Bearer")), r);
        }
    }

    @Test
    void sha256DigestRegisters() throws Exception {
        String callId = "sha-" + UUID.randomUUID();
        try (RawSipClient c = RawSipClient.webSocket(sip.toString().replace("http", "ws"))) {
            String ch = challenge(c, callId, "SHA-256");
            c.send(register(callId, 2, answer(ch, "SHA-256", "00000001")));
            String ok = c.receiveFinal(T);
            assertEquals(200, RawSipClient.status(ok), ok);
            assertTrue(RawSipClient.header(ok, "Contact").contains("expires="), ok);
        }
    }

    @Test
    void md5DigestRegistersAndAReplayedNonceCountIsRefused() throws Exception {
        String callId = "md5-" + UUID.randomUUID();
        try (RawSipClient c = RawSipClient.webSocket(sip.toString().replace("http", "ws"))) {
            String ch = challenge(c, callId, "MD5");
            String auth = answer(ch, "MD5", "00000001");
            c.send(register(callId, 2, auth));
            String ok = c.receiveFinal(T);
            assertEquals(200, RawSipClient.status(ok), ok);
            c.send(register(callId, 3, auth));
            String replay = c.receiveFinal(T);
            assertEquals(401, RawSipClient.status(replay), "same nonce count again is a replay: " + replay);
            c.send(register(callId, 4, answer(ch, "MD5", "00000002")));
            String next = c.receiveFinal(T);
            assertEquals(200, RawSipClient.status(next), "next nonce count is fine: " + next);
        }
    }
}
