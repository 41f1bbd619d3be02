package io.webcall.relay.dtls;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.TlsFatalAlert;

/** The peer's DTLS certificate does not match the fingerprint in its SDP. */
public class FingerprintMismatchException extends TlsFatalAlert {
    public FingerprintMismatchException(String expected, String actual) {
        super(AlertDescription.bad_certificate, "certificate fingerprint " + actual + " does not match SDP "
                + expected);
    }
}
