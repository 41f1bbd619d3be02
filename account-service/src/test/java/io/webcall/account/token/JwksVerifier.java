package io.webcall.account.token;

import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.HttpsJwks;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.HttpsJwksVerificationKeyResolver;

import java.net.URL;

/**
 * Verifies tokens the way a relying party (the signaling edge) does: it knows only the JWKS URL and
 * fetches the keys over HTTP, independent of the service's own key store.
 */
final class JwksVerifier {

    private final HttpsJwksVerificationKeyResolver resolver;

    JwksVerifier(URL jwksUrl) {
        this.resolver = new HttpsJwksVerificationKeyResolver(new HttpsJwks(jwksUrl.toString()));
    }

    JwtClaims verify(String token) throws InvalidJwtException {
        return new JwtConsumerBuilder()
                .setVerificationKeyResolver(resolver)
                .setExpectedIssuer("webcall-account")
                .setRequireExpirationTime()
                .setRequireIssuedAt()
                .setRequireJwtId()
                .setRequireSubject()
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                        AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256)
                .build()
                .processToClaims(token);
    }
}
