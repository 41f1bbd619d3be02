package io.webcall.signaling.transport;

import io.webcall.signaling.sip.SipMessage;

/** Receives every valid SIP message and every closed flow; always called on the edge's core event loop. */
public interface SipHandler {

    void onMessage(SipMessage message, Flow flow);

    void onFlowClosed(Flow flow);
}
