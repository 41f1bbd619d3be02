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
import org.jose4j.jwt.consumer.JwtContext;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Verifies access tokens (ES256 JWTs) presented with {@code Authorization: Bearer} (RFC 8898 section 2.3)
 * against the account service's JWKS. Keys are cached; an unknown {@code kid} triggers one refresh at most
 * every few seconds, so key rotation works without letting garbage tokens hammer the account service.
 * <p>
 * A token that verified is remembered (by its exact text, bounded in number) until it expires, so a browser that
 * refreshes its registration with the same token costs no signature check. A remembered token is honoured only
 * while the key that signed it is still in the current key set: once a JWKS refresh drops (revokes or rotates
 * out) that key, the token is refused like any token signed by an unknown key.
 */
@ApplicationScoped
public class JwtVerifier {

    private static final Logger LOG = Logger.getLogger(JwtVerifier.class);
    private static final long MIN_REFRESH_NANOS = 5_000_000_000L;

    @Inject
    AccountClient account;
    @Inject
    EdgeConfig config;

    /** The verifier built from one fetched key set, and the key ids in that set. */
    private record Keys(JwtConsumer consumer, Set<String> kids) {
    }

    /** A token that verified: its claims, the key that signed it, and until when it is valid (exp plus skew). */
    private record Verified(Token token, String kid, long validUntilMillis) {
    }

    private volatile Keys keys;
    private volatile long fetchedAt;
    private volatile Future<Keys> loading;
    private final Map<String, Verified> verified = new ConcurrentHashMap<>();

    /** Claims of a verified access token. */
    public record Token(String subject, String tenantId, String domain, String aor, List<String> grants) {
    }

    /** Verifies signature, issuer and expiry; fails with a message fit for an {@code error_description}. */
    public Future<Token> verify(String jwt) {
        return keys(false).compose(k -> {
            Verified v = verified.get(jwt);
            if (v != null) {
                if (System.currentTimeMillis() < v.validUntilMillis() && k.kids().contains(v.kid())) {
                    return Future.succeededFuture(v.token());
                }
                verified.remove(jwt, v);
            }
            try {
                return Future.succeededFuture(check(k, jwt));
            } catch (InvalidJwtException e) {
                if (unknownKey(e) && System.nanoTime() - fetchedAt > MIN_REFRESH_NANOS) {
                    return keys(true).compose(k2 -> {
                        try {
                            return Future.succeededFuture(check(k2, jwt));
                        } catch (InvalidJwtException e2) {
                            return Future.failedFuture(describe(e2));
                        }
                    });
                }
                return Future.failedFuture(describe(e));
            }
        });
    }

    /** Number of remembered verified tokens. */
    public int cachedTokens() {
        return verified.size();
    }

    /** Verifies the signature and claims, and remembers the token when it verified. */
    private Token check(Keys k, String jwt) throws InvalidJwtException {
        JwtContext ctx = k.consumer().process(jwt);
        Token token = toToken(ctx.getJwtClaims());
        String kid = ctx.getJoseObjects().isEmpty() ? null : ctx.getJoseObjects().get(0).getKeyIdHeaderValue();
        try {
            long exp = ctx.getJwtClaims().getExpirationTime().getValueInMillis();
            if (kid != null) {
                remember(jwt, new Verified(token, kid, exp + config.auth().clockSkew().toMillis()));
            }
        } catch (org.jose4j.jwt.MalformedClaimException e) {
            throw new InvalidJwtException("malformed exp", List.of(), ctx);
        }
        return token;
    }

    private void remember(String jwt, Verified v) {
        int max = config.auth().tokenCacheSize();
        if (max <= 0) {
            return;
        }
        if (verified.size() >= max) {
            long now = System.currentTimeMillis();
            verified.values().removeIf(x -> x.validUntilMillis() <= now);
            if (verified.size() >= max) {
                verified.clear();
            }
        }
        verified.put(jwt, v);
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

    private synchronized Future<Keys> keys(boolean refresh) {
        long now = System.nanoTime();
        Keys c = keys;
        if (!refresh && c != null && now - fetchedAt < config.auth().jwksCacheTtl().toNanos()) {
            return Future.succeededFuture(c);
        }
        if (loading != null && !loading.isComplete()) {
            return c != null && !refresh ? Future.succeededFuture(c) : loading;
        }
        loading = account.jwks().map(this::build).onSuccess(built -> {
            keys = built;
            fetchedAt = System.nanoTime();
        }).onFailure(e -> LOG.warnf("Cannot fetch JWKS: %s", e.getMessage()));
        if (c != null && !refresh && !loading.isComplete()) {
            // keep verifying with the previous keys while the refresh runs, unless it is a forced refresh
            return Future.succeededFuture(c);
        }
        return loading.isComplete() && loading.failed() && c != null ? Future.succeededFuture(c) : loading;
    }

    private Keys build(JsonObject jwks) {
        try {
            List<JsonWebKey> keys = new JsonWebKeySet(jwks.encode()).getJsonWebKeys();
            Set<String> kids = new HashSet<>();
            for (JsonWebKey key : keys) {
                if (key.getKeyId() != null) {
                    kids.add(key.getKeyId());
                }
            }
            JwtConsumer consumer = new JwtConsumerBuilder()
                    .setRequireExpirationTime()
                    .setAllowedClockSkewInSeconds((int) config.auth().clockSkew().toSeconds())
                    .setRequireSubject()
                    .setExpectedIssuer(config.auth().issuer())
                    .setSkipDefaultAudienceValidation()
                    .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                            AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256)
                    .setVerificationKeyResolver(new JwksVerificationKeyResolver(keys))
                    .build();
            return new Keys(consumer, Set.copyOf(kids));
        } catch (org.jose4j.lang.JoseException e) {
            throw new IllegalStateException("invalid JWKS: " + e.getMessage(), e);
        }
    }
}
