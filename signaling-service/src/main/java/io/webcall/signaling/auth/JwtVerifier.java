package io.webcall.signaling.auth;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.webcall.signaling.EdgeConfig;
import io.webcall.signaling.tenant.AccountClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;

import java.util.List;

/**
 * Verifies access tokens (ES256 JWTs) presented with {@code Authorization: Bearer} (RFC 8898 section 2.3)
 * against the account service's JWKS. Keys are cached; an unknown {@code kid} triggers one refresh at most
 * every few seconds, so key rotation works without letting garbage tokens hammer the account service.
 */
@ApplicationScoped
public class JwtVerifier {

    private static final Logger LOG = Logger.getLogger(JwtVerifier.class);
    private static final long MIN_REFRESH_NANOS = 5_000_000_000L;

    @Inject
    AccountClient account;
    @Inject
    EdgeConfig config;

    private volatile JwtConsumer consumer;
    private volatile long fetchedAt;
    private volatile Future<JwtConsumer> loading;

    /** Claims of a verified access token. */
    public record Token(String subject, String tenantId, String domain, String aor, List<String> grants) {
    }

    /** Verifies signature, issuer and expiry; fails with a message fit for an {@code error_description}. */
    public Future<Token> verify(String jwt) {
        return consumer(false).compose(c -> {
            try {
                return Future.succeededFuture(toToken(c.processToClaims(jwt)));
            } catch (InvalidJwtException e) {
                if (unknownKey(e) && System.nanoTime() - fetchedAt > MIN_REFRESH_NANOS) {
                    return consumer(true).compose(c2 -> {
                        try {
                            return Future.succeededFuture(toToken(c2.processToClaims(jwt)));
                        } catch (InvalidJwtException e2) {
                            return Future.failedFuture(describe(e2));
                        }
                    });
                }
                return Future.failedFuture(describe(e));
            }
        });
    }

    private static boolean unknownKey(InvalidJwtException e) {
        String m = String.valueOf(e.getMessage());
        return m.contains("Unable to find a suitable verification key") || m.contains("kid");
    }

    private static String describe(InvalidJwtException e) {
        if (e.hasExpired()) {
            return "token expired";
        }
        String m = String.valueOf(e.getMessage());
        if (m.contains("Issuer")) {
            return "wrong issuer";
        }
        if (m.contains("signature")) {
            return "bad signature";
        }
        if (m.contains("verification key")) {
            return "unknown signing key";
        }
        return "invalid token";
    }

    private static Token toToken(JwtClaims claims) throws InvalidJwtException {
        try {
            Object grants = claims.getClaimValue("grants");
            List<String> g = grants instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of();
            String sub = claims.getSubject();
            String domain = claims.getStringClaimValue("domain");
            if (sub == null || domain == null) {
                throw new InvalidJwtException("missing sub or domain", List.of(), null);
            }
            return new Token(sub, claims.getStringClaimValue("tenant"), domain, claims.getStringClaimValue("aor"), g);
        } catch (org.jose4j.jwt.MalformedClaimException e) {
            throw new InvalidJwtException("malformed claims", List.of(), null);
        }
    }

    private synchronized Future<JwtConsumer> consumer(boolean refresh) {
        long now = System.nanoTime();
        JwtConsumer c = consumer;
        if (!refresh && c != null && now - fetchedAt < config.auth().jwksCacheTtl().toNanos()) {
            return Future.succeededFuture(c);
        }
        if (loading != null && !loading.isComplete()) {
            return loading;
        }
        loading = account.jwks().map(this::build).onSuccess(built -> {
            consumer = built;
            fetchedAt = System.nanoTime();
        }).onFailure(e -> LOG.warnf("Cannot fetch JWKS: %s", e.getMessage()));
        if (c != null) {
            // keep verifying with the previous keys while the refresh runs, unless it is a forced refresh
            return refresh ? loading : Future.succeededFuture(c);
        }
        return loading;
    }

    private JwtConsumer build(JsonObject jwks) {
        try {
            List<JsonWebKey> keys = new JsonWebKeySet(jwks.encode()).getJsonWebKeys();
            return new JwtConsumerBuilder()
                    .setRequireExpirationTime()
                    .setAllowedClockSkewInSeconds((int) config.auth().clockSkew().toSeconds())
                    .setRequireSubject()
                    .setExpectedIssuer(config.auth().issuer())
                    .setSkipDefaultAudienceValidation()
                    .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                            AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256)
                    .setVerificationKeyResolver(new JwksVerificationKeyResolver(keys))
                    .build();
        } catch (org.jose4j.lang.JoseException e) {
            throw new IllegalStateException("invalid JWKS: " + e.getMessage(), e);
        }
    }
}
