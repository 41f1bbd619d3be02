package io.webcall.signaling.auth;

import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.webcall.signaling.EdgeConfig;
import io.webcall.signaling.tenant.AccountClient;
import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.keys.EllipticCurves;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The verified-token cache of {@link JwtVerifier}: a refresh with the same token is answered from the cache, an
 * expired token is not, and a token whose signing key left the published key set is refused even though it verified
 * before. The account service keeps rotated keys published until their tokens expire, so removing a key (what an
 * operator does when a key leaks) is played here by the key set this test's JWKS source publishes.
 */
class JwtVerifierCacheTest {

    private EllipticCurveJsonWebKey key;
    private volatile JsonObject published;
    private final AtomicInteger jwksFetches = new AtomicInteger();
    private JwtVerifier verifier;

    @BeforeEach
    void setUp() throws Exception {
        key = EcJwkGenerator.generateJwk(EllipticCurves.P256);
        key.setKeyId("k1");
        published = jwks(key);
        SmallRyeConfig cfg = new SmallRyeConfigBuilder().withMapping(EdgeConfig.class)
                .withConverter(java.time.Duration.class, 100, new io.quarkus.runtime.configuration.DurationConverter())
                .withDefaultValue("webcall.edge.auth.jwks-cache-ttl", "0s") // every verification re-reads the key set
                .withDefaultValue("webcall.edge.auth.clock-skew", "0s")
                .build();
        verifier = new JwtVerifier();
        verifier.config = cfg.getConfigMapping(EdgeConfig.class);
        verifier.account = new AccountClient() {
            @Override
            public Future<JsonObject> jwks() {
                jwksFetches.incrementAndGet();
                return Future.succeededFuture(published);
            }
        };
    }

    private static JsonObject jwks(EllipticCurveJsonWebKey... keys) {
        JsonArray a = new JsonArray();
        for (EllipticCurveJsonWebKey k : keys) {
            a.add(new JsonObject(k.toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY)));
        }
        return new JsonObject().put("keys", a);
    }

    private String token(String user, long expSecondsFromNow) throws Exception {
        JwtClaims c = new JwtClaims();
        c.setIssuer("webcall-account");
        c.setSubject(user);
        c.setClaim("tenant", "t1");
        c.setClaim("domain", "demo.localhost");
        c.setClaim("grants", List.of("outgoing"));
        c.setIssuedAtToNow();
        c.setExpirationTime(org.jose4j.jwt.NumericDate.fromMilliseconds(System.currentTimeMillis() + expSecondsFromNow * 1000));
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(c.toJson());
        jws.setKey(key.getPrivateKey());
        jws.setKeyIdHeaderValue(key.getKeyId());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
        return jws.getCompactSerialization();
    }

    private JwtVerifier.Token verify(String jwt) throws Exception {
        return verifier.verify(jwt).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @Test
    void aRefreshWithTheSameTokenIsServedFromTheCache() throws Exception {
        String jwt = token("alice", 600);
        assertEquals("alice", verify(jwt).subject());
        assertEquals(1, verifier.cachedTokens());
        assertEquals("alice", verify(jwt).subject());
        assertEquals(1, verifier.cachedTokens());
        // a different token string is verified on its own, never confused with the cached one
        String other = token("bob", 600);
        assertEquals("bob", verify(other).subject());
        assertEquals(2, verifier.cachedTokens());
    }

    @Test
    void aTamperedTokenIsNotAcceptedBecauseASimilarOneIsCached() throws Exception {
        String jwt = token("alice", 600);
        verify(jwt);
        String tampered = jwt.substring(0, jwt.length() - 2) + (jwt.endsWith("AA") ? "BB" : "AA");
        Exception e = assertThrows(Exception.class, () -> verify(tampered));
        assertTrue(e.getMessage().contains("bad signature") || e.getMessage().contains("invalid token"), e.getMessage());
    }

    @Test
    void aCachedTokenIsRefusedOnceItsKeyIsNoLongerPublished() throws Exception {
        String jwt = token("alice", 600);
        verify(jwt);
        EllipticCurveJsonWebKey next = EcJwkGenerator.generateJwk(EllipticCurves.P256);
        next.setKeyId("k2");
        published = jwks(next); // k1 withdrawn
        Exception e = assertThrows(Exception.class, () -> verify(jwt));
        assertTrue(e.getMessage().contains("unknown signing key"), e.getMessage());
        assertEquals(0, verifier.cachedTokens());
        assertTrue(jwksFetches.get() >= 2);
    }

    @Test
    void aCachedTokenIsRefusedAfterItExpires() throws Exception {
        String jwt = token("alice", 2);
        verify(jwt);
        Thread.sleep(2100);
        Exception e = assertThrows(Exception.class, () -> verify(jwt));
        assertTrue(e.getMessage().contains("expired"), e.getMessage());
    }
}
