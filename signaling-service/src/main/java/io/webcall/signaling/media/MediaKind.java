package io.webcall.signaling.media;

/** Kind of media endpoint on one side of a call, as the relay control API names it. */
public enum MediaKind {
    /** A browser: ICE, DTLS-SRTP, RTP/SAVPF. */
    WEBRTC,
    /** A PBX or SIP phone: plain RTP/AVP. */
    RTP,
    /** The relay's own echo service. */
    ECHO;

    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
