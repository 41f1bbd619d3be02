package io.webcall.relay.control;

/** Response of offer and answer: the rewritten SDP for the other side. */
public record SdpResponse(String sdp) {
}
