package io.webcall.account.token;

import io.webcall.account.config.AccountConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.lang.JoseException;
import org.jose4j.lang.UnresolvableKeyException;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Signs and verifies access tokens: JWS compact serialisation (RFC 7515) with ES256 (RFC 7518
 * section 3.4), {@code kid} header naming the key in the JWKS, {@code typ: JWT}.
 */
@ApplicationScoped
public class AccessTokens {

    private final SigningKeyStore keys;
    private final AccountConfig.Tokens config;
    private final JwtConsumer consumer;

    public AccessTokens(SigningKeyStore keys, AccountConfig config) {
        this.keys = keys;
        this.config = config.tokens();
        this.consumer = new JwtConsumerBuilder()
                .setExpectedIssuer(this.config.issuer())
                .setRequireExpirationTime()
                .setRequireIssuedAt()
                .setRequireSubject()
                .setRequireJwtId()
                .setAllowedClockSkewInSeconds((int) this.config.clockSkew().toSeconds())
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                        AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256)
                .setVerificationKeyResolver((jws, nested) -> {
                    String kid = jws.getKeyIdHeaderValue();
                    if (kid == null) {
                        throw new UnresolvableKeyException("the token has no kid header");
                    }
                    return keys.verificationKey(kid)
                            .orElseThrow(() -> new UnresolvableKeyException("unknown signing key " + kid));
                })
                .build();
    }

    /** Signs a token for the claims with the current signing key. */
    public String sign(AccessTokenClaims claims) {
        LoadedKey key = keys.signingKey();
        JwtClaims jwt = new JwtClaims();
        jwt.setIssuer(config.issuer());
        jwt.setSubject(claims.username());
        jwt.setClaim("tenant", claims.tenantId().toString());
        jwt.setClaim("domain", claims.domain());
        jwt.setClaim("aor", claims.aor());
        jwt.setStringListClaim("grants", claims.grants());
        jwt.setIssuedAt(NumericDate.fromSeconds(claims.issuedAt().getEpochSecond()));
        jwt.setExpirationTime(NumericDate.fromSeconds(claims.expiresAt().getEpochSecond()));
        jwt.setJwtId(claims.jwtId());
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(jwt.toJson());
        jws.setKey(key.privateKey());
        jws.setKeyIdHeaderValue(key.kid());
        jws.setHeader("typ", "JWT");
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("signing the access token failed", e);
        }
    }

    /** The claims of a valid token (signature by a published key, issuer, not expired), else empty. */
    public Optional<AccessTokenClaims> verify(String token) {
        try {
            JwtClaims jwt = consumer.processToClaims(token);
            String tenant = jwt.getStringClaimValue("tenant");
            String domain = jwt.getStringClaimValue("domain");
            String aor = jwt.getStringClaimValue("aor");
            List<String> grants = jwt.getStringListClaimValue("grants");
            if (tenant == null || domain == null || aor == null || grants == null) {
                return Optional.empty();
            }
            return Optional.of(new AccessTokenClaims(jwt.getSubject(), UUID.fromString(tenant), domain, aor, grants,
                    Instant.ofEpochSecond(jwt.getIssuedAt().getValue()),
                    Instant.ofEpochSecond(jwt.getExpirationTime().getValue()), jwt.getJwtId()));
        } catch (InvalidJwtException | MalformedClaimException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
