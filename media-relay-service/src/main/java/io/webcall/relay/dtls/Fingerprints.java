package io.webcall.relay.dtls;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.TlsFatalAlert;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/** Certificate fingerprints as SDP carries them (RFC 8122 section 5). */
public final class Fingerprints {

    private Fingerprints() {
    }

    public static String sha256(byte[] der) {
        return of("SHA-256", der);
    }

    static String of(String algorithm, byte[] der) {
        try {
            byte[] digest = MessageDigest.getInstance(algorithm).digest(der);
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalArgumentException("unsupported fingerprint hash " + algorithm, e);
        }
    }

    /**
     * Checks the peer's end-entity certificate against the {@code a=fingerprint} it signalled
     * (RFC 8122 section 5, RFC 5763 section 5). A mismatch is a fatal {@code bad_certificate} alert.
     */
    public static void verify(Certificate peer, String algorithm, String expected) throws IOException {
        if (peer == null || peer.isEmpty()) {
            throw new TlsFatalAlert(AlertDescription.handshake_failure, "peer sent no certificate");
        }
        String javaName = switch (algorithm.toLowerCase(Locale.ROOT)) {
            case "sha-1" -> "SHA-1";
            case "sha-224" -> "SHA-224";
            case "sha-256" -> "SHA-256";
            case "sha-384" -> "SHA-384";
            case "sha-512" -> "SHA-512";
            default -> throw new TlsFatalAlert(AlertDescription.bad_certificate,
                    "unsupported fingerprint hash " + algorithm);
        };
        String actual = of(javaName, peer.getCertificateAt(0).getEncoded());
        if (!actual.equalsIgnoreCase(expected)) {
            throw new FingerprintMismatchException(expected, actual);
        }
    }
}
