package io.webcall.account.token;

import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.lang.JoseException;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;

/** P-256 key pairs for ES256 (RFC 7518 section 3.4) and their JWK form (RFC 7517, RFC 7638 thumbprint). */
final class EcKeys {

    private EcKeys() {
    }

    static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("P-256 key generation is not available", e);
        }
    }

    static ECPublicKey publicKey(byte[] x509) {
        try {
            return (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(x509));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("stored public key is unreadable", e);
        }
    }

    static PrivateKey privateKey(byte[] pkcs8) {
        try {
            return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("stored private key is unreadable", e);
        }
    }

    /** The public JWK with {@code kid}, {@code use: sig} and {@code alg: ES256}. */
    static EllipticCurveJsonWebKey jwk(ECPublicKey key, String kid) {
        EllipticCurveJsonWebKey jwk = new EllipticCurveJsonWebKey(key);
        jwk.setKeyId(kid);
        jwk.setUse("sig");
        jwk.setAlgorithm("ES256");
        return jwk;
    }

    /** RFC 7638 JWK thumbprint (SHA-256, base64url). */
    static String thumbprint(ECPublicKey key) {
        try {
            return JsonWebKey.Factory.newJwk(key).calculateBase64urlEncodedThumbprint("SHA-256");
        } catch (JoseException e) {
            throw new IllegalStateException("JWK thumbprint failed", e);
        }
    }
}
