package io.webcall.relay.session;

/** Receives plain (already unprotected) RTP and RTCP from an endpoint. */
public interface PacketListener {
    void onRtp(byte[] buf, int off, int len);

    void onRtcp(byte[] buf, int off, int len);

    /** The endpoint's transport failed for good (e.g. DTLS fingerprint mismatch). */
    default void onFailure(String reason) {
    }
}
