package io.webcall.relay.session;

import java.util.Locale;

/** What kind of endpoint a leg faces. */
public enum LegKind {
    /** A browser: ICE + DTLS-SRTP, UDP/TLS/RTP/SAVPF. */
    WEBRTC,
    /** A PBX or SIP trunk: plain RTP/AVP. */
    RTP;

    public static LegKind parse(String value, String field) {
        if (value == null) {
            throw new RelayException(400, "missing_field", field + " is required (webrtc or rtp)", field);
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "webrtc" -> WEBRTC;
            case "rtp" -> RTP;
            default -> throw new RelayException(400, "invalid_field", field + " must be webrtc or rtp, not '"
                    + value + "'", field);
        };
    }
}
