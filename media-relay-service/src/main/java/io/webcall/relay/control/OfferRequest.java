package io.webcall.relay.control;

/**
 * Body of {@code POST /v1/sessions/{callId}/offer}.
 *
 * @param sdp        the offer as the offering side wrote it
 * @param from       kind of the offering side: {@code webrtc} or {@code rtp}
 * @param to         kind of the side that receives the rewritten offer: {@code webrtc}, {@code rtp}, or
 *                   {@code echo} (the relay answers itself and loops media back)
 * @param fromTag    SIP tag of the offering party (tells re-offers of either party apart)
 * @param iceRestart new ICE credentials toward the receiving WebRTC side
 */
public record OfferRequest(String sdp, String from, String to, String fromTag, Boolean iceRestart) {
}
