package io.webcall.relay.session;

/**
 * One side of the relay toward an endpoint (a browser over ICE/DTLS-SRTP, or a PBX over plain RTP).
 * Send methods take plain RTP/RTCP; the endpoint protects it if its transport needs that. The buffer may
 * be modified.
 */
public interface MediaEndpoint {

    /** Sends one RTP packet; false when it was dropped (not connected, no keys). */
    boolean sendRtp(byte[] buf, int off, int len);

    /** Sends one RTCP compound packet; false when it was dropped. */
    boolean sendRtcp(byte[] buf, int off, int len);

    /** Where received plain RTP/RTCP goes. */
    void setListener(PacketListener listener);

    /** Human-readable transport state for the stats API. */
    String state();

    void close();
}
