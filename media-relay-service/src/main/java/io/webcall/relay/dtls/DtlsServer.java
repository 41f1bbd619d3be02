package io.webcall.relay.dtls;

import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.ClientCertificateType;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsUtils;

import java.io.IOException;
import java.util.Hashtable;
import java.util.Vector;

/**
 * DTLS 1.2 server side of DTLS-SRTP (RFC 5764): ECDHE_ECDSA suites only, a certificate request so the
 * client's certificate can be checked against its SDP fingerprint (RFC 5763 section 5), and the use_srtp
 * extension choosing one of {@link SrtpProfile} in the client's order; what it shares with the client
 * side is in {@link DtlsSrtpPolicy}.
 */
public final class DtlsServer extends DefaultTlsServer {

    private final DtlsSrtpPolicy policy;
    private org.bouncycastle.tls.UseSRTPData chosen;

    public DtlsServer(DtlsIdentity identity, String fingerprintAlgorithm, String fingerprint) {
        super(identity.crypto());
        this.policy = new DtlsSrtpPolicy(identity, fingerprintAlgorithm, fingerprint);
    }

    @Override
    public int getHandshakeTimeoutMillis() {
        return DtlsSrtpPolicy.HANDSHAKE_TIMEOUT_MILLIS;
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
        return DtlsSrtpPolicy.VERSIONS;
    }

    @Override
    protected int[] getSupportedCipherSuites() {
        return DtlsSrtpPolicy.cipherSuites(true);
    }

    @Override
    protected TlsCredentialedSigner getECDSASignerCredentials() {
        return policy.signer(context);
    }

    @Override
    public CertificateRequest getCertificateRequest() {
        Vector<?> algorithms = TlsUtils.getDefaultSupportedSignatureAlgorithms(context);
        return new CertificateRequest(new short[] {ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign},
                algorithms, null);
    }

    @Override
    public void notifyClientCertificate(Certificate clientCertificate) throws IOException {
        policy.verifyPeer(clientCertificate);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public void processClientExtensions(Hashtable clientExtensions) throws IOException {
        super.processClientExtensions(clientExtensions);
        chosen = policy.choose(TlsSRTPUtils.getUseSRTPExtension(clientExtensions));
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public Hashtable getServerExtensions() throws IOException {
        Hashtable extensions = super.getServerExtensions();
        TlsSRTPUtils.addUseSRTPExtension(extensions, chosen);
        return extensions;
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        policy.exportKeys(context, true);
    }

    public SrtpKeys keys() {
        return policy.keys();
    }
}
