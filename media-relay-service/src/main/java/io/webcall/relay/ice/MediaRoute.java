package io.webcall.relay.ice;

/**
 * Where the shared WebRTC port's loop hands the non-STUN datagrams (DTLS, SRTP, SRTCP; RFC 7983 section 7)
 * of a remote address that an ICE agent selected. Called on the loop thread; the array is reused after the
 * call returns, so it may be modified (SRTP is unprotected in place) but not kept.
 */
@FunctionalInterface
public interface MediaRoute {
    void onMedia(byte[] buf, int off, int len);
}
