package io.webcall.relay.dtls;

import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsServerCertificate;

import java.io.IOException;
import java.util.Hashtable;

/**
 * DTLS 1.2 client side of DTLS-SRTP (RFC 5764), used when the peer's SDP says {@code a=setup:passive}
 * (RFC 5763 section 5). The server's certificate is checked against the peer's SDP fingerprint; what it
 * shares with the server side is in {@link DtlsSrtpPolicy}.
 */
public final class DtlsClient extends DefaultTlsClient {

    private final DtlsSrtpPolicy policy;

    public DtlsClient(DtlsIdentity identity, String fingerprintAlgorithm, String fingerprint) {
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
        return DtlsSrtpPolicy.cipherSuites(false);
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public Hashtable getClientExtensions() throws IOException {
        Hashtable extensions = super.getClientExtensions();
        TlsSRTPUtils.addUseSRTPExtension(extensions, DtlsSrtpPolicy.offer());
        return extensions;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public void processServerExtensions(Hashtable serverExtensions) throws IOException {
        super.processServerExtensions(serverExtensions);
        policy.accept(TlsSRTPUtils.getUseSRTPExtension(serverExtensions));
    }

    @Override
    public TlsAuthentication getAuthentication() {
        return new TlsAuthentication() {
            @Override
            public void notifyServerCertificate(TlsServerCertificate serverCertificate) throws IOException {
                policy.verifyPeer(serverCertificate.getCertificate());
            }

            @Override
            public TlsCredentials getClientCredentials(CertificateRequest request) {
                return policy.signer(context);
            }
        };
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        policy.exportKeys(context, false);
    }

    public SrtpKeys keys() {
        return policy.keys();
    }
}
