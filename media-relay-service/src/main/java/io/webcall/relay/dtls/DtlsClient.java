package io.webcall.relay.dtls;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.ExporterLabel;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;

import java.io.IOException;
import java.util.Hashtable;

/**
 * DTLS 1.2 client side of DTLS-SRTP (RFC 5764), used when the peer's SDP says {@code a=setup:passive}
 * (RFC 5763 section 5). The server's certificate is checked against the peer's SDP fingerprint.
 */
public final class DtlsClient extends DefaultTlsClient {

    private final DtlsIdentity identity;
    private final String fingerprintAlgorithm;
    private final String fingerprint;
    private SrtpProfile profile;
    private SrtpKeys keys;

    public DtlsClient(DtlsIdentity identity, String fingerprintAlgorithm, String fingerprint) {
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
            CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
        };
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public Hashtable getClientExtensions() throws IOException {
        Hashtable extensions = super.getClientExtensions();
        TlsSRTPUtils.addUseSRTPExtension(extensions, new UseSRTPData(SrtpProfile.ids(), TlsUtils.EMPTY_BYTES));
        return extensions;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public void processServerExtensions(Hashtable serverExtensions) throws IOException {
        super.processServerExtensions(serverExtensions);
        UseSRTPData chosen = TlsSRTPUtils.getUseSRTPExtension(serverExtensions);
        if (chosen == null || chosen.getProtectionProfiles().length != 1
                || SrtpProfile.byId(chosen.getProtectionProfiles()[0]) == null) {
            throw new TlsFatalAlert(AlertDescription.illegal_parameter, "server chose no usable SRTP profile");
        }
        profile = SrtpProfile.byId(chosen.getProtectionProfiles()[0]);
    }

    @Override
    public TlsAuthentication getAuthentication() {
        return new TlsAuthentication() {
            @Override
            public void notifyServerCertificate(TlsServerCertificate serverCertificate) throws IOException {
                Fingerprints.verify(serverCertificate.getCertificate(), fingerprintAlgorithm, fingerprint);
            }

            @Override
            public TlsCredentials getClientCredentials(CertificateRequest request) {
                return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), identity.crypto(),
                        identity.privateKey(), identity.certificate(),
                        SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
            }
        };
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        byte[] material = context.exportKeyingMaterial(ExporterLabel.dtls_srtp, null, profile.keyingMaterialLength());
        keys = SrtpKeys.fromKeyingMaterial(profile, material, false);
    }

    public SrtpKeys keys() {
        return keys;
    }
}
