package io.webcall.account.token;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.webcall.account.AccountApi;
import io.webcall.account.AccountApi.TestTenant;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwx.JsonWebStructure;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static io.webcall.account.AccountApi.admin;
import static io.webcall.account.AccountApi.as;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class TokenResourceTest {

    @TestHTTPResource("/.well-known/jwks.json")
    URL jwksUrl;

    @Test
    void issuedTokenVerifiesAgainstTheJwksWithTheContractClaims() throws Exception {
        TestTenant t = AccountApi.tenantWithUsers("tokens");
        JsonPath issued = JsonPath.from(as(t.apiKey()).body(Map.of("username", "alice", "ttlSeconds", 600, "grants", List.of("outgoing")))
                .post("/v1/tokens").then().statusCode(200)
                .header("Cache-Control", "no-store")
                .body("identity", equalTo("sip:alice@" + t.domain()))
                .extract().asString());
        String token = issued.getString("token");

        JsonWebStructure jws = JsonWebStructure.fromCompactSerialization(token);
        assertEquals("ES256", jws.getAlgorithmHeaderValue());
        assertEquals("JWT", jws.getHeader("typ"));
        assertTrue(jws.getKeyIdHeaderValue() != null && !jws.getKeyIdHeaderValue().isEmpty());

        JwtClaims claims = new JwksVerifier(jwksUrl).verify(token);
        assertEquals("webcall-account", claims.getIssuer());
        assertEquals("alice", claims.getSubject());
        assertEquals(t.id(), claims.getStringClaimValue("tenant"));
        assertEquals(t.domain(), claims.getStringClaimValue("domain"));
        assertEquals("sip:alice@" + t.domain(), claims.getStringClaimValue("aor"));
        assertEquals(List.of("outgoing"), claims.getStringListClaimValue("grants"));
        assertEquals(600, claims.getExpirationTime().getValue() - claims.getIssuedAt().getValue());
        assertEquals(Instant.parse(issued.getString("expiresAt")).getEpochSecond(), claims.getExpirationTime().getValue());
        assertFalse(claims.getJwtId().isEmpty());
    }

    @Test
    void defaultLifetimeIsOneHourAndGrantsDefaultToBoth() throws Exception {
        TestTenant t = AccountApi.tenantWithUsers("defaults");
        String token = as(t.apiKey()).body(Map.of("username", "bob")).post("/v1/tokens").then().statusCode(200).extract().path("token");
        JwtClaims claims = new JwksVerifier(jwksUrl).verify(token);
        assertEquals(3600, claims.getExpirationTime().getValue() - claims.getIssuedAt().getValue());
        assertEquals(List.of("outgoing", "incoming"), claims.getStringListClaimValue("grants"));
        String longest = as(t.apiKey()).body(Map.of("username", "bob", "ttlSeconds", 86400)).post("/v1/tokens")
                .then().statusCode(200).extract().path("token");
        JwtClaims day = new JwksVerifier(jwksUrl).verify(longest);
        assertEquals(86400, day.getExpirationTime().getValue() - day.getIssuedAt().getValue());
    }

    @Test
    void lifetimeAndGrantsOutsideTheRulesAre400() {
        TestTenant t = AccountApi.tenantWithUsers("ttl");
        for (Object ttl : List.of(86401, 0, -5)) {
            as(t.apiKey()).body(Map.of("username", "alice", "ttlSeconds", ttl)).post("/v1/tokens").then().statusCode(400)
                    .body("error", equalTo("invalid_field")).body("field", equalTo("ttlSeconds"));
        }
        as(t.apiKey()).body("{\"username\":\"alice\",\"ttlSeconds\":\"3600\"}").post("/v1/tokens").then().statusCode(400)
                .body("field", equalTo("ttlSeconds"));
        as(t.apiKey()).body("{\"username\":\"alice\",\"ttlSeconds\":60.5}").post("/v1/tokens").then().statusCode(400)
                .body("field", equalTo("ttlSeconds"));
        as(t.apiKey()).body(Map.of("username", "alice", "grants", List.of("admin"))).post("/v1/tokens").then().statusCode(400)
                .body("field", equalTo("grants"));
        as(t.apiKey()).body(Map.of("username", "alice", "grants", List.of())).post("/v1/tokens").then().statusCode(400)
                .body("field", equalTo("grants"));
        as(t.apiKey()).body("{\"username\":\"alice\",\"grants\":\"outgoing\"}").post("/v1/tokens").then().statusCode(400)
                .body("field", equalTo("grants"));
        as(t.apiKey()).body(Map.of("ttlSeconds", 60)).post("/v1/tokens").then().statusCode(400).body("field", equalTo("username"));
    }

    @Test
    void unknownUserIs404DisabledUserAndSuspendedTenantAre409() {
        TestTenant t = AccountApi.tenantWithUsers("states");
        as(t.apiKey()).body(Map.of("username", "nobody")).post("/v1/tokens").then().statusCode(404)
                .body("error", equalTo("not_found")).body("field", equalTo("username"));
        admin().body(Map.of("enabled", false)).patch("/v1/tenants/" + t.id() + "/users/bob").then().statusCode(200);
        as(t.apiKey()).body(Map.of("username", "bob")).post("/v1/tokens").then().statusCode(409).body("field", equalTo("username"));
        admin().body(Map.of("status", "suspended")).patch("/v1/tenants/" + t.id()).then().statusCode(200);
        as(t.apiKey()).body(Map.of("username", "alice")).post("/v1/tokens").then().statusCode(409).body("error", equalTo("conflict"));
    }

    @Test
    void tokensNeedATenantKeyAndNeverCrossTenants() throws Exception {
        TestTenant a = AccountApi.tenantWithUsers("tok-a");
        TestTenant b = AccountApi.tenantWithUsers("tok-b");
        AccountApi.createUser(b.id(), "zed", "secret-pw");

        RestAssured.given().contentType("application/json").body(Map.of("username", "alice")).post("/v1/tokens")
                .then().statusCode(401).body("error", equalTo("unauthorized"));
        as("wk_unknown").body(Map.of("username", "alice")).post("/v1/tokens").then().statusCode(401);
        admin().body(Map.of("username", "alice")).post("/v1/tokens").then().statusCode(403).body("error", equalTo("forbidden"));
        as(a.apiKey()).body(Map.of("username", "zed")).post("/v1/tokens").then().statusCode(404);

        String token = as(a.apiKey()).body(Map.of("username", "alice")).post("/v1/tokens").then().statusCode(200)
                .body("identity", equalTo("sip:alice@" + a.domain())).extract().path("token");
        JwtClaims claims = new JwksVerifier(jwksUrl).verify(token);
        assertEquals(a.id(), claims.getStringClaimValue("tenant"));
        assertEquals(a.domain(), claims.getStringClaimValue("domain"));
    }

    @Test
    void afterRotationOldTokensStillVerifyAndNewTokensUseTheNewKey() throws Exception {
        TestTenant t = AccountApi.tenantWithUsers("rotate");
        String before = as(t.apiKey()).body(Map.of("username", "alice", "ttlSeconds", 86400)).post("/v1/tokens")
                .then().statusCode(200).extract().path("token");
        String oldKid = JsonWebStructure.fromCompactSerialization(before).getKeyIdHeaderValue();

        as(t.apiKey()).post("/v1/admin/signing-keys/rotate").then().statusCode(403);
        RestAssured.given().post("/v1/admin/signing-keys/rotate").then().statusCode(401);
        String newKid = admin().post("/v1/admin/signing-keys/rotate").then().statusCode(200).extract().path("kid");
        assertNotEquals(oldKid, newKid);

        String after = issue(t, "alice");
        assertEquals(newKid, JsonWebStructure.fromCompactSerialization(after).getKeyIdHeaderValue());

        RestAssured.given().get("/.well-known/jwks.json").then().statusCode(200)
                .body("keys.kid", hasItem(oldKid)).body("keys.kid", hasItem(newKid))
                .body("keys.find { it.kid == '" + newKid + "' }.kty", equalTo("EC"))
                .body("keys.find { it.kid == '" + newKid + "' }.crv", equalTo("P-256"))
                .body("keys.find { it.kid == '" + newKid + "' }.alg", equalTo("ES256"))
                .body("keys.find { it.kid == '" + newKid + "' }.d", equalTo(null));

        JwksVerifier fresh = new JwksVerifier(jwksUrl);
        assertEquals("alice", fresh.verify(before).getSubject());
        assertEquals("alice", fresh.verify(after).getSubject());

        // the retired key stays published at least until the longest-lived token it signed expires
        Instant publishUntil = QuarkusTransaction.requiringNew().call(() -> SigningKey.<SigningKey>findById(oldKid).publishUntil);
        long beforeExpiry = fresh.verify(before).getExpirationTime().getValue();
        assertTrue(publishUntil.getEpochSecond() >= beforeExpiry, publishUntil + " vs exp " + beforeExpiry);
    }

    @Test
    void retiredKeyLeavesTheJwksOnceItsTokensHaveExpired() throws Exception {
        TestTenant t = AccountApi.tenantWithUsers("expire");
        String token = issue(t, "alice");
        String kid = JsonWebStructure.fromCompactSerialization(token).getKeyIdHeaderValue();
        admin().post("/v1/admin/signing-keys/rotate").then().statusCode(200);
        QuarkusTransaction.requiringNew().run(() ->
                SigningKey.update("publishUntil = ?1 where kid = ?2", Instant.now().minusSeconds(1), kid));

        RestAssured.given().get("/.well-known/jwks.json").then().statusCode(200).body("keys.kid", not(hasItem(kid)));
        assertThrows(InvalidJwtException.class, () -> new JwksVerifier(jwksUrl).verify(token));
        RestAssured.given().header("Authorization", "Bearer " + token).get("/v1/client-config").then().statusCode(401);
    }

    @Test
    void signingKeyOlderThanTheMaximumAgeIsReplacedOnTheNextIssuance() throws Exception {
        TestTenant t = AccountApi.tenantWithUsers("age");
        String first = issue(t, "alice");
        String kid = JsonWebStructure.fromCompactSerialization(first).getKeyIdHeaderValue();
        QuarkusTransaction.requiringNew().run(() ->
                SigningKey.update("createdAt = ?1 where kid = ?2", Instant.now().minus(Duration.ofDays(31)), kid));

        String second = issue(t, "alice");
        String newKid = JsonWebStructure.fromCompactSerialization(second).getKeyIdHeaderValue();
        assertNotEquals(kid, newKid);
        JwksVerifier verifier = new JwksVerifier(jwksUrl);
        verifier.verify(first);
        verifier.verify(second);
    }

    @Test
    void privateKeysAreStoredEncryptedAndBoundToTheirKid() {
        List<SigningKey> stored = QuarkusTransaction.requiringNew().call(() -> SigningKey.<SigningKey>listAll());
        assertFalse(stored.isEmpty());
        for (SigningKey key : stored) {
            assertTrue(key.privateKeyEnc.startsWith("v1:"), key.privateKeyEnc);
            byte[] sealed = Base64.getDecoder().decode(key.privateKeyEnc.substring(3));
            byte[] pkcs8 = cipher.decrypt(key.privateKeyEnc, "signing-key:" + key.kid);
            assertEquals("EC", EcKeys.privateKey(pkcs8).getAlgorithm());
            assertEquals(-1, indexOf(sealed, java.util.Arrays.copyOfRange(pkcs8, pkcs8.length - 32, pkcs8.length)),
                    "the private key bytes must not appear in the stored value");
            assertThrows(IllegalStateException.class, () -> cipher.decrypt(key.privateKeyEnc, "signing-key:other"));
        }
    }

    @jakarta.inject.Inject
    io.webcall.account.crypto.SecretCipher cipher;

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static String issue(TestTenant t, String username) {
        return as(t.apiKey()).body(Map.of("username", username)).post("/v1/tokens").then().statusCode(200).extract().path("token");
    }
}
