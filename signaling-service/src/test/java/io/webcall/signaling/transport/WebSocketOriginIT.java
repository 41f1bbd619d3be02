package io.webcall.signaling.transport;

import io.webcall.signaling.testsupport.EdgePair;
import io.webcall.signaling.testsupport.RawSipClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Origin allow-list of the WebSocket endpoint ({@code webcall.edge.sip.allowed-origins}, RFC 6455 section 10.2):
 * an edge configured with one allowed page origin upgrades WebSockets from that page only; other origins get
 * HTTP 403 with a JSON error body before any SIP is spoken.
 */
@ExtendWith(EdgePair.Extension.class)
class WebSocketOriginIT {

    static final Duration T = Duration.ofSeconds(20);
    static String url;

    @BeforeAll
    static void edge() {
        url = EdgePair.current().a.webSocketUrl();
    }

    static String options(String callId) {
        return "OPTIONS sip:demo.localhost SIP/2.0\r\n"
                + "Via: SIP/2.0/WS h7kjh12.invalid;branch=z9hG4bK" + callId + "\r\n"
                + "Max-Forwards: 70\r\nTo: <sip:demo.localhost>\r\nFrom: <sip:alice@demo.localhost>;tag=1\r\n"
                + "Call-ID: " + callId + "\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
    }

    @Test
    void pageFromAnAllowedOriginConnectsAndSpeaksSip() throws Exception {
        try (RawSipClient c = RawSipClient.webSocket(url, EdgePair.ALLOWED_ORIGIN)) {
            c.send(options("origin-ok"));
            String r = c.receiveFinal(T);
            assertNotNull(r, "no answer over the accepted WebSocket");
            assertEquals(200, RawSipClient.status(r), r);
        }
    }

    @Test
    void pageFromAnotherOriginIsRefusedWith403() {
        WebSocketHandshakeException refused = handshakeFailure("https://evil.example.test");
        assertEquals(403, refused.getResponse().statusCode());
        String body = String.valueOf(refused.getResponse().body());
        assertTrue(body.contains("origin_not_allowed") && body.contains("evil.example.test"), body);
    }

    @Test
    void clientWithoutOriginIsRefusedWhenAnAllowListIsConfigured() {
        assertEquals(403, handshakeFailure(null).getResponse().statusCode());
    }

    static WebSocketHandshakeException handshakeFailure(String origin) {
        WebSocket.Builder b = HttpClient.newHttpClient().newWebSocketBuilder().subprotocols("sip").connectTimeout(T);
        if (origin != null) {
            b.header("Origin", origin);
        }
        ExecutionException e = assertThrows(ExecutionException.class, () -> {
            WebSocket ws = b.buildAsync(URI.create(url), new WebSocket.Listener() { }).get(T.toSeconds(), TimeUnit.SECONDS);
            ws.abort();
        });
        Throwable cause = e.getCause() instanceof CompletionException ce ? ce.getCause() : e.getCause();
        return assertInstanceOf(WebSocketHandshakeException.class, cause, "handshake refused, not another failure: " + cause);
    }
}
