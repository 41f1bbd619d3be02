package io.webcall.signaling.transport;

import io.webcall.signaling.sip.SipMessage;

/**
 * One path for SIP messages to a peer: a WebSocket or TCP connection, or a UDP source address
 * (RFC 5626 section 3 calls this a flow). Connection-oriented flows have a stable id that the edge puts
 * into Record-Route and bindings as a flow token.
 */
public interface Flow {

    /** Unique id of this flow; for connection-oriented flows it is the flow token. */
    String id();

    Transport transport();

    String remoteHost();

    int remotePort();

    /** True for WebSocket and TCP: no retransmissions are needed (RFC 3261 section 17). */
    default boolean reliable() {
        return transport() != Transport.UDP;
    }

    boolean isOpen();

    void send(SipMessage message);

    /** Sends raw bytes (keep-alive pong). */
    void sendRaw(byte[] bytes);

    void close();
}
