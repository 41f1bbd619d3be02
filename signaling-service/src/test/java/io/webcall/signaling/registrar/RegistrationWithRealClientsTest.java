package io.webcall.signaling.registrar;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import io.webcall.signaling.testsupport.EdgeTestResource;
import io.webcall.signaling.testsupport.AccountServiceProcess;
import io.webcall.signaling.testsupport.NodeUa;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(value = EdgeTestResource.class, restrictToAnnotatedClass = true)
class RegistrationWithRealClientsTest {

    static final Duration T = Duration.ofSeconds(15);

    @TestHTTPResource("/sip")
    URL sip;
    @Inject
    LocationService location;

    String ws() {
        return sip.toString().replace("http://", "ws://");
    }

    AccountServiceProcess account() {
        return EdgeTestResource.account();
    }

    @Test
    void jssipRegistersWithBearerTokenAndClosingTheSocketRemovesTheBinding() throws Exception {
        NodeUa alice = NodeUa.jssip("alice-token", ws(), "alice", account().token("alice"), null);
        try {
            alice.send("register");
            JsonObject reg = alice.await("registered", T);
            assertTrue(reg.getJsonArray("contacts").encode().contains("expires="), reg.encode());
            assertEquals(1, location.lookup("sip:alice@demo.localhost").size());
        } finally {
            alice.crash();
        }
        long deadline = System.currentTimeMillis() + 5000;
        while (!location.lookup("sip:alice@demo.localhost").isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(location.lookup("sip:alice@demo.localhost").isEmpty(), "binding removed when the WebSocket closed");
    }

    @Test
    void jssipRegistersWithDigestPassword() throws Exception {
        try (NodeUa bob = NodeUa.jssip("bob-password", ws(), "bob", null, AccountServiceProcess.PASSWORD)) {
            bob.register(T);
            assertTrue(location.lookup("sip:bob@demo.localhost").stream().anyMatch(b -> b.transport().equals("WS")));
        }
    }

    @Test
    void sipJsRegistersWithTokenAndWithPassword() throws Exception {
        try (NodeUa carol = NodeUa.sipjs("carol-token", ws(), "carol", account().token("carol"), null);
             NodeUa carol2 = NodeUa.sipjs("carol-password", ws(), "carol", null, AccountServiceProcess.PASSWORD)) {
            carol.await("connected", T);
            carol2.await("connected", T);
            carol.register(T);
            carol2.register(T);
            assertEquals(2, location.lookup("sip:carol@demo.localhost").size(), "two devices of one user");
        }
    }

    @Test
    void wrongPasswordIsRefused() throws Exception {
        try (NodeUa bob = NodeUa.jssip("bob-wrong", ws(), "bob", null, "not-the-password")) {
            bob.send("register");
            JsonObject failed = bob.await("registrationFailed", T);
            assertEquals(401, failed.getInteger("code"), failed.encode());
        }
    }

    @Test
    void tokenOfAnotherUserIsRefusedWith403() throws Exception {
        try (NodeUa mallory = NodeUa.jssip("mallory", ws(), "alice", account().token("bob"), null)) {
            mallory.send("register");
            JsonObject failed = mallory.await("registrationFailed", T);
            assertEquals(403, failed.getInteger("code"), failed.encode());
        }
    }

    @Test
    void expiredTokenIsRefusedWith401() throws Exception {
        // the shortest lifetime the account service issues; the test edge allows no clock skew
        String expired = account().token("alice", AccountServiceProcess.DOMAIN, 1);
        Thread.sleep(2_100);
        try (NodeUa alice = NodeUa.jssip("alice-expired", ws(), "alice", expired, null)) {
            alice.send("register");
            JsonObject failed = alice.await("registrationFailed", T);
            assertEquals(401, failed.getInteger("code"), failed.encode());
        }
    }
}
