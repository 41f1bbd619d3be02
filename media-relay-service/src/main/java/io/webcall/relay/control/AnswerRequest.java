package io.webcall.relay.control;

/**
 * Body of {@code POST /v1/sessions/{callId}/answer}.
 *
 * @param sdp     the answer as the answering side wrote it
 * @param from    kind of the answering side: {@code webrtc} or {@code rtp}
 * @param to      kind of the offering side that receives the rewritten answer
 * @param fromTag SIP tag of the party that sent the original offer
 * @param toTag   SIP tag of the answering party
 */
public record AnswerRequest(String sdp, String from, String to, String fromTag, String toTag) {
}
