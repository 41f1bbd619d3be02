package io.webcall.relay.dtls;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.ExporterLabel;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsContext;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;

import java.io.IOException;

/**
 * What the relay's DTLS client and server have in common (RFC 5763, RFC 5764): DTLS 1.2 only, the cipher
 * suites, the handshake time limit, the peer certificate checked against the SDP {@code a=fingerprint}, the
 * use_srtp profile negotiation and the export of the SRTP keys. One instance per handshake.
 */
final class DtlsSrtpPolicy {

    /** A handshake that has not finished after this long is abandoned. */
    static final int HANDSHAKE_TIMEOUT_MILLIS = 30_000;

    static final ProtocolVersion[] VERSIONS = ProtocolVersion.DTLSv12.only();

    /** Suites the relay can serve with its ECDSA P-256 certificate, strongest first. */
    private static final int[] ECDSA_SUITES = {
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
    };

    /** As a client the relay also accepts a peer with an RSA certificate. */
    private static final int[] RSA_SUITES = {
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,
    };

    private final DtlsIdentity identity;
    private final String fingerprintAlgorithm;
    private final String fingerprint;
    private SrtpProfile profile;
    private SrtpKeys keys;

    DtlsSrtpPolicy(DtlsIdentity identity, String fingerprintAlgorithm, String fingerprint) {
        this.identity = identity;
        this.fingerprintAlgorithm = fingerprintAlgorithm;
        this.fingerprint = fingerprint;
    }

    static int[] cipherSuites(boolean server) {
        if (server) {
            return ECDSA_SUITES.clone();
        }
        int[] all = new int[ECDSA_SUITES.length + RSA_SUITES.length];
        System.arraycopy(ECDSA_SUITES, 0, all, 0, ECDSA_SUITES.length);
        System.arraycopy(RSA_SUITES, 0, all, ECDSA_SUITES.length, RSA_SUITES.length);
        return all;
    }

    /** RFC 5763 section 5: the peer's end-entity certificate must match the fingerprint of its SDP. */
    void verifyPeer(Certificate peer) throws IOException {
        Fingerprints.verify(peer, fingerprintAlgorithm, fingerprint);
    }

    /** The relay's certificate and key, signing with ECDSA/SHA-256. */
    TlsCredentialedSigner signer(TlsContext context) {
        return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), identity.crypto(),
                identity.privateKey(), identity.certificate(),
                SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
    }

    /** The client's use_srtp extension: every profile the relay supports, in its preference order. */
    static UseSRTPData offer() {
        return new UseSRTPData(SrtpProfile.ids(), TlsUtils.EMPTY_BYTES);
    }

    /** Server side (RFC 5764 section 4.1.1): the first profile of the client's list the relay supports. */
    UseSRTPData choose(UseSRTPData offered) throws IOException {
        if (offered == null) {
            throw new TlsFatalAlert(AlertDescription.handshake_failure, "client did not offer use_srtp");
        }
        for (int id : offered.getProtectionProfiles()) {
            SrtpProfile p = SrtpProfile.byId(id);
            if (p != null) {
                profile = p;
                return new UseSRTPData(new int[] {p.id()}, TlsUtils.EMPTY_BYTES);
            }
        }
        throw new TlsFatalAlert(AlertDescription.handshake_failure, "no common SRTP protection profile");
    }

    /** Client side: the server must have chosen exactly one profile the relay offered. */
    void accept(UseSRTPData chosen) throws IOException {
        SrtpProfile p = chosen == null || chosen.getProtectionProfiles().length != 1 ? null
                : SrtpProfile.byId(chosen.getProtectionProfiles()[0]);
        if (p == null) {
            throw new TlsFatalAlert(AlertDescription.illegal_parameter, "server chose no usable SRTP profile");
        }
        profile = p;
    }

    /** RFC 5764 section 4.2: SRTP master keys and salts from the DTLS exporter, split by role. */
    void exportKeys(TlsContext context, boolean server) {
        byte[] material = context.exportKeyingMaterial(ExporterLabel.dtls_srtp, null, profile.keyingMaterialLength());
        keys = SrtpKeys.fromKeyingMaterial(profile, material, server);
    }

    SrtpKeys keys() {
        return keys;
    }
}
