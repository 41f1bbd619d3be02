package io.webcall.relay.dtls;

import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.ClientCertificateType;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;

import java.io.IOException;
import java.util.Hashtable;
import java.util.Vector;

/**
 * DTLS 1.2 server side of DTLS-SRTP (RFC 5764): ECDHE_ECDSA suites only, a certificate request so the
 * client's certificate can be checked against its SDP fingerprint (RFC 5763 section 5), and the
 * use_srtp extension choosing one of {@link SrtpProfile} in the client's order.
 */
public final class DtlsServer extends DefaultTlsServer {

    private final DtlsIdentity identity;
    private final String fingerprintAlgorithm;
    private final String fingerprint;
    private SrtpProfile profile;
    private SrtpKeys keys;

    public DtlsServer(DtlsIdentity identity, String fingerprintAlgorithm, String fingerprint) {
        super(identity.crypto());
        this.identity = identity;
        this.fingerprintAlgorithm = fingerprintAlgorithm;
        this.fingerprint = fingerprint;
    }

    /** A handshake that has not finished after this long is abandoned. */
    @Override
    public int getHandshakeTimeoutMillis() {
        return 30_000;
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
        return ProtocolVersion.DTLSv12.only();
    }

    @Override
    protected int[] getSupportedCipherSuites() {
        return new int[] {
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
            CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
        };
    }

    @Override
    protected TlsCredentialedSigner getECDSASignerCredentials() {
        return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), identity.crypto(),
                identity.privateKey(), identity.certificate(),
                SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
    }

    @Override
    public CertificateRequest getCertificateRequest() {
        Vector<?> algorithms = TlsUtils.getDefaultSupportedSignatureAlgorithms(context);
        return new CertificateRequest(new short[] {ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign},
                algorithms, null);
    }

    @Override
    public void notifyClientCertificate(org.bouncycastle.tls.Certificate clientCertificate) throws IOException {
        Fingerprints.verify(clientCertificate, fingerprintAlgorithm, fingerprint);
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public void processClientExtensions(Hashtable clientExtensions) throws IOException {
        super.processClientExtensions(clientExtensions);
        UseSRTPData offered = TlsSRTPUtils.getUseSRTPExtension(clientExtensions);
        if (offered == null) {
            throw new TlsFatalAlert(AlertDescription.handshake_failure, "client did not offer use_srtp");
        }
        for (int id : offered.getProtectionProfiles()) {
            SrtpProfile p = SrtpProfile.byId(id);
            if (p != null) {
                profile = p;
                return;
            }
        }
        throw new TlsFatalAlert(AlertDescription.handshake_failure, "no common SRTP protection profile");
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public Hashtable getServerExtensions() throws IOException {
        Hashtable extensions = super.getServerExtensions();
        TlsSRTPUtils.addUseSRTPExtension(extensions, new UseSRTPData(new int[] {profile.id()}, TlsUtils.EMPTY_BYTES));
        return extensions;
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        byte[] material = context.exportKeyingMaterial(
                org.bouncycastle.tls.ExporterLabel.dtls_srtp, null, profile.keyingMaterialLength());
        keys = SrtpKeys.fromKeyingMaterial(profile, material, true);
    }

    public SrtpKeys keys() {
        return keys;
    }
}
