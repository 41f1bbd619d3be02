package io.webcall.relay.stats;

/** Why the relay dropped a datagram. Each reason is a Prometheus counter label. */
public enum DropReason {
    /** On the shared WebRTC port from an address no session accepted, and neither STUN nor DTLS. */
    GARBAGE,
    /** STUN Binding request whose USERNAME names no live session (RFC 8445 section 7.2.2). */
    STUN_UNKNOWN_UFRAG,
    /** STUN Binding request without USERNAME or MESSAGE-INTEGRITY, or with a wrong one (RFC 8489 section 9.1.3). */
    STUN_BAD_CREDENTIALS,
    /** DTLS from an address no session accepted a connectivity check from (RFC 8842 section 5). */
    DTLS_UNKNOWN_SOURCE,
    /** Not STUN, DTLS, RTP or RTCP (RFC 7983 section 7), or too short. */
    MALFORMED,
    /** SRTP/SRTCP authentication tag did not verify (RFC 3711 section 3.3). */
    SRTP_AUTH,
    /** SRTP/SRTCP packet index already seen or too old (RFC 3711 section 3.3.2). */
    SRTP_REPLAY,
    /** Media arrived before keys exist (DTLS not finished) or after the session failed. */
    NO_KEYS,
    /** The sending side is on hold (a=sendonly/inactive from the receiving side's point of view). */
    HOLD,
    /** DTLS queue full. */
    DTLS_OVERFLOW,
    /** The queue toward the ICE stack (STUN, media before a pair is selected) is full. */
    ICE_OVERFLOW,
    /** Payload type not negotiated on the other leg. */
    UNKNOWN_PAYLOAD,
    /** The other leg cannot send yet (no address, no selected ICE pair). */
    NOT_CONNECTED;

    public String label() {
        return name().toLowerCase();
    }
}
