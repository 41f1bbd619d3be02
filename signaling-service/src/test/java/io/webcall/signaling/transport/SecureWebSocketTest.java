package io.webcall.signaling.transport;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import io.webcall.signaling.registrar.LocationService;
import io.webcall.signaling.testsupport.NodeUa;
import io.webcall.signaling.testsupport.WssEdgeTestResource;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.security.KeyStore;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SIP over secure WebSocket (RFC 7118 section 5): {@code wss://.../sip} on the TLS port with the configured certificate. */
@QuarkusTest
@QuarkusTestResource(value = WssEdgeTestResource.class, restrictToAnnotatedClass = true)
class SecureWebSocketTest {

    static final Duration T = Duration.ofSeconds(15);

    @TestHTTPResource(value = "/sip", tls = true)
    URL sip;
    @Inject
    LocationService location;

    @Test
    void tlsPortPresentsTheConfiguredCertificate() throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(WssEdgeTestResource.keyStore())) {
            trusted.load(in, WssEdgeTestResource.KEY_STORE_PASSWORD.toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trusted);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, tmf.getTrustManagers(), null);
        HttpClient client = HttpClient.newBuilder().sslContext(tls).connectTimeout(T).build();
        URI health = URI.create("https://127.0.0.1:" + sip.getPort() + "/q/health/live");
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(health).timeout(T).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
    }

    @Test
    void jssipRegistersAndUnregistersOverWss() throws Exception {
        String wss = sip.toString().replace("https://", "wss://");
        assertTrue(wss.startsWith("wss://"), wss);
        try (NodeUa alice = NodeUa.jssip("alice-wss", wss, "alice", WssEdgeTestResource.account().token("alice"), null)) {
            alice.send("register");
            JsonObject reg = alice.await("registered", T);
            assertTrue(reg.getJsonArray("contacts").encode().contains("expires="), reg.encode());
            assertEquals(1, location.lookup("sip:alice@demo.localhost").size(), "binding over wss");
            alice.send("unregister");
            alice.await("unregistered", T);
            assertEquals(0, location.lookup("sip:alice@demo.localhost").size(), "unregistered over wss");
        }
    }
}
