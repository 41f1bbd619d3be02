package io.webcall.signaling.transport;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.webcall.signaling.testsupport.EdgeTestResource;
import io.webcall.signaling.testsupport.RawSipClient;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SIP over WebSocket (RFC 7118): keep-alives, malformed input, limits. */
@QuarkusTest
@QuarkusTestResource(value = EdgeTestResource.class, restrictToAnnotatedClass = true)
class WebSocketTransportTest {

    static final Duration T = Duration.ofSeconds(5);

    @TestHTTPResource("/sip")
    URL sip;

    String ws() {
        return sip.toString().replace("http://", "ws://");
    }

    static String options(String callId, int cseq, String extra) {
        return "OPTIONS sip:demo.localhost SIP/2.0\r\n"
                + "Via: SIP/2.0/WS h7kjh12.invalid;branch=z9hG4bK" + callId + cseq + "\r\n"
                + "Max-Forwards: 70\r\nTo: <sip:demo.localhost>\r\nFrom: <sip:alice@demo.localhost>;tag=" + cseq + "\r\n"
                + "Call-ID: " + callId + "\r\nCSeq: " + cseq + " OPTIONS\r\n" + extra + "Content-Length: 0\r\n\r\n";
    }

    @Test
    void crlfPingGetsCrlfPong() throws Exception {
        try (RawSipClient c = RawSipClient.webSocket(ws())) {
            c.send("\r\n\r\n");
            assertEquals("\r\n", c.receive(T), "RFC 5626 section 4.4.1 pong");
        }
    }

    @Test
    void malformedRequestGets400WithReasonAndTheConnectionStaysUsable() throws Exception {
        try (RawSipClient c = RawSipClient.webSocket(ws())) {
            c.send(options("bad1", 1, "").replace("CSeq: 1 OPTIONS", "CSeq: one OPTIONS"));
            String r = c.receive(T);
            assertNotNull(r);
            assertTrue(r.startsWith("SIP/2.0 400 Malformed CSeq"), r);
            c.send("SIP/2.0 200 OK\r\nVia: broken\r\n\r\n");
            c.send(options("good1", 2, ""));
            String ok = c.receive(T);
            assertNotNull(ok, "the malformed response was dropped and the next request is answered");
            assertTrue(ok.startsWith("SIP/2.0 200"), ok);
            assertFalse(c.isClosed());
        }
    }

    @Test
    void oversizedMessageGets513() throws Exception {
        try (RawSipClient c = RawSipClient.webSocket(ws())) {
            String big = "X-Padding: " + "a".repeat(70_000) + "\r\n";
            c.send(options("big1", 1, big));
            String r = c.receive(T);
            assertNotNull(r);
            assertTrue(r.startsWith("SIP/2.0 513"), r);
        }
    }

    @Test
    void requestFloodIsAnswered503WithRetryAfter() throws Exception {
        try (RawSipClient c = RawSipClient.webSocket(ws())) {
            for (int i = 1; i <= 300; i++) {
                c.send(options("flood", i, ""));
            }
            boolean limited = false;
            for (int i = 0; i < 300; i++) {
                String r = c.receive(T);
                if (r == null) {
                    break;
                }
                if (r.startsWith("SIP/2.0 503")) {
                    limited = true;
                    assertEquals("1", RawSipClient.header(r, "Retry-After"));
                    break;
                }
            }
            assertTrue(limited, "a burst beyond the per-connection rate is refused");
        }
    }

    @Test
    void upgradeWithoutSipSubprotocolIsRefusedWithJsonError() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(sip.toString())).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(426, r.statusCode());
        assertTrue(r.body().contains("\"error\":\"upgrade_required\""), r.body());
        try {
            HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(URI.create(ws()), new java.net.http.WebSocket.Listener() {
            }).get();
            throw new AssertionError("a WebSocket without the sip subprotocol must be refused");
        } catch (java.util.concurrent.ExecutionException expected) {
            assertTrue(expected.getCause() instanceof java.net.http.WebSocketHandshakeException, expected.getCause().toString());
            assertEquals(400, ((java.net.http.WebSocketHandshakeException) expected.getCause()).getResponse().statusCode());
        }
    }
}
