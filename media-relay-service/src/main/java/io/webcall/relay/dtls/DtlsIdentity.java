package io.webcall.relay.dtls;

import jakarta.enterprise.context.ApplicationScoped;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * The relay's DTLS identity: a self-signed ECDSA P-256 certificate generated at start (RFC 8827 section
 * 6.5: WebRTC endpoints authenticate by fingerprint, not by a CA), and its SHA-256 fingerprint for SDP.
 */
@ApplicationScoped
public class DtlsIdentity {

    private final BcTlsCrypto crypto = new BcTlsCrypto(new SecureRandom());
    private final Certificate certificate;
    private final AsymmetricKeyParameter privateKey;
    private final String fingerprint;

    public DtlsIdentity() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair keyPair = generator.generateKeyPair();
            Instant now = Instant.now();
            X500Name name = new X500Name("CN=webcall-relay");
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name,
                    new BigInteger(64, new SecureRandom()), Date.from(now.minus(Duration.ofDays(1))),
                    Date.from(now.plus(Duration.ofDays(30))), name, keyPair.getPublic());
            byte[] der = builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keyPair.getPrivate()))
                    .getEncoded();
            TlsCertificate tlsCertificate = crypto.createCertificate(der);
            certificate = new Certificate(new TlsCertificate[] {tlsCertificate});
            privateKey = PrivateKeyFactory.createKey(keyPair.getPrivate().getEncoded());
            fingerprint = Fingerprints.sha256(der);
        } catch (GeneralSecurityException | org.bouncycastle.operator.OperatorCreationException
                 | java.io.IOException e) {
            throw new IllegalStateException("cannot create the DTLS certificate", e);
        }
    }

    public BcTlsCrypto crypto() {
        return crypto;
    }

    public Certificate certificate() {
        return certificate;
    }

    public AsymmetricKeyParameter privateKey() {
        return privateKey;
    }

    /** {@code AB:CD:...} uppercase SHA-256 fingerprint of the certificate (RFC 8122 section 5). */
    public String fingerprint() {
        return fingerprint;
    }
}
