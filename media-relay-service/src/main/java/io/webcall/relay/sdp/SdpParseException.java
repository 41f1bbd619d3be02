package io.webcall.relay.sdp;

/** An SDP body that cannot be used: the message names the offending line or field. */
public class SdpParseException extends RuntimeException {
    public SdpParseException(String message) {
        super(message);
    }
}
