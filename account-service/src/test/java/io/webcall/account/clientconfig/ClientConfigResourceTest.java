package io.webcall.account.clientconfig;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.webcall.account.AccountApi;
import io.webcall.account.AccountApi.TestTenant;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import io.webcall.account.token.AccessTokenClaims;
import io.webcall.account.token.AccessTokens;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static io.webcall.account.AccountApi.as;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class ClientConfigResourceTest {

    /** {@code %test.webcall.client.turn-secret}. */
    private static final String TURN_SECRET = "test-turn-secret";

    @Inject
    AccessTokens accessTokens;

    @Test
    void returnsIdentityEdgeUrlsAndTurnRestApiCredentials() throws Exception {
        TestTenant t = AccountApi.tenantWithUsers("client");
        String token = as(t.apiKey()).body(Map.of("username", "alice")).post("/v1/tokens").then().statusCode(200).extract().path("token");

        long before = Instant.now().getEpochSecond();
        JsonPath config = JsonPath.from(RestAssured.given().header("Authorization", "Bearer " + token)
                .get("/v1/client-config").then().statusCode(200)
                .header("Cache-Control", "no-store")
                .body("identity", equalTo("sip:alice@" + t.domain()))
                .body("domain", equalTo(t.domain()))
                .body("edge.websocketUrls", equalTo(List.of("ws://127.0.0.1:8080/sip", "wss://127.0.0.1:8443/sip")))
                .body("turnCredentialTtl", equalTo(3600))
                .extract().asString());
        long after = Instant.now().getEpochSecond();

        assertEquals(List.of("stun:127.0.0.1:3478"), config.getList("iceServers[0].urls"));
        assertNull(config.get("iceServers[0].username"));
        assertEquals(List.of("turn:127.0.0.1:3478?transport=udp", "turns:127.0.0.1:5349?transport=tcp"),
                config.getList("iceServers[1].urls"));
        String username = config.getString("iceServers[1].username");
        String credential = config.getString("iceServers[1].credential");

        String[] parts = username.split(":", 2);
        long expiry = Long.parseLong(parts[0]);
        assertTrue(expiry >= before + 3600 && expiry <= after + 3600, "expiry " + expiry + " is now + ttl");
        assertEquals("alice@" + t.domain(), parts[1]);

        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(TURN_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        String expected = Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
        assertEquals(expected, credential);
    }

    @Test
    void missingInvalidForgedOrExpiredTokensAre401() throws Exception {
        TestTenant t = AccountApi.tenantWithUsers("client-401");
        RestAssured.given().get("/v1/client-config").then().statusCode(401).body("error", equalTo("unauthorized"));
        RestAssured.given().header("Authorization", "Bearer not.a.jwt").get("/v1/client-config").then().statusCode(401)
                .body("error", equalTo("unauthorized"));
        // an API key is not an access token
        RestAssured.given().header("Authorization", "Bearer " + t.apiKey()).get("/v1/client-config").then().statusCode(401);

        String good = as(t.apiKey()).body(Map.of("username", "alice")).post("/v1/tokens").then().extract().path("token");
        String kid = org.jose4j.jwx.JsonWebStructure.fromCompactSerialization(good).getKeyIdHeaderValue();

        // same kid and claims, signed by a key that is not ours
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair foreign = generator.generateKeyPair();
        RestAssured.given().header("Authorization", "Bearer " + sign(foreign, kid, t, 3600)).get("/v1/client-config")
                .then().statusCode(401);

        // tampered payload
        String[] parts = good.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8).replace("alice", "bob");
        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        RestAssured.given().header("Authorization", "Bearer " + tampered).get("/v1/client-config").then().statusCode(401);

        // signed by our key, but expired beyond the allowed clock skew
        String expired = accessTokens.sign(new AccessTokenClaims("alice", java.util.UUID.fromString(t.id()), t.domain(),
                "sip:alice@" + t.domain(), List.of("outgoing"), Instant.now().minusSeconds(600), Instant.now().minusSeconds(120),
                "expired-jti"));
        RestAssured.given().header("Authorization", "Bearer " + expired).get("/v1/client-config").then().statusCode(401)
                .body("message", equalTo("invalid or expired access token"));

        // alg none
        String none = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8))
                + "." + parts[1] + ".";
        RestAssured.given().header("Authorization", "Bearer " + none).get("/v1/client-config").then().statusCode(401);
    }

    @Test
    void disabledUsersSuspendedTenantsAndDeletedUsersGetNoConfig() {
        TestTenant t = AccountApi.tenantWithUsers("client-state");
        String alice = as(t.apiKey()).body(Map.of("username", "alice")).post("/v1/tokens").then().extract().path("token");
        String bob = as(t.apiKey()).body(Map.of("username", "bob")).post("/v1/tokens").then().extract().path("token");

        AccountApi.admin().body(Map.of("enabled", false)).patch("/v1/tenants/" + t.id() + "/users/alice").then().statusCode(200);
        RestAssured.given().header("Authorization", "Bearer " + alice).get("/v1/client-config").then().statusCode(403)
                .body("error", equalTo("forbidden"));
        RestAssured.given().header("Authorization", "Bearer " + bob).get("/v1/client-config").then().statusCode(200);

        AccountApi.admin().delete("/v1/tenants/" + t.id() + "/users/bob").then().statusCode(204);
        RestAssured.given().header("Authorization", "Bearer " + bob).get("/v1/client-config").then().statusCode(401);

        AccountApi.admin().body(Map.of("enabled", true)).patch("/v1/tenants/" + t.id() + "/users/alice").then().statusCode(200);
        AccountApi.admin().body(Map.of("status", "suspended")).patch("/v1/tenants/" + t.id()).then().statusCode(200);
        RestAssured.given().header("Authorization", "Bearer " + alice).get("/v1/client-config").then().statusCode(403);
        AccountApi.admin().body(Map.of("status", "active")).patch("/v1/tenants/" + t.id()).then().statusCode(200);
        RestAssured.given().header("Authorization", "Bearer " + alice).get("/v1/client-config").then().statusCode(200);

        AccountApi.admin().delete("/v1/tenants/" + t.id()).then().statusCode(204);
        RestAssured.given().header("Authorization", "Bearer " + alice).get("/v1/client-config").then().statusCode(401);
    }

    private static String sign(KeyPair keys, String kid, TestTenant t, long ttl) throws Exception {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer("webcall-account");
        claims.setSubject("alice");
        claims.setClaim("tenant", t.id());
        claims.setClaim("domain", t.domain());
        claims.setClaim("aor", "sip:alice@" + t.domain());
        claims.setStringListClaim("grants", "outgoing", "incoming");
        claims.setIssuedAtToNow();
        claims.setExpirationTime(NumericDate.fromSeconds(Instant.now().getEpochSecond() + ttl));
        claims.setGeneratedJwtId();
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(keys.getPrivate());
        jws.setKeyIdHeaderValue(kid);
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
        return jws.getCompactSerialization();
    }
}
