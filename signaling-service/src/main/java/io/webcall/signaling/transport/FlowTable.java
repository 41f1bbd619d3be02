package io.webcall.signaling.transport;

import io.webcall.signaling.sip.SipResponses;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The open connection-oriented flows (WebSocket, TCP, TLS) by flow token (RFC 5626 section 5.2), which the token
 * names unguessably, and the TCP and TLS ones also by remote address, so that a connection toward a peer is reused.
 */
final class FlowTable {

    private final Map<String, Flow> flows = new ConcurrentHashMap<>();
    private final Map<String, Flow> tcpByAddress = new ConcurrentHashMap<>();
    private final AtomicLong flowCounter = new AtomicLong();

    /** A new flow token: the prefix naming the transport, a sequence number and random characters. */
    String newId(String prefix) {
        return prefix + Long.toString(flowCounter.incrementAndGet(), 36) + SipResponses.token(8);
    }

    void add(String id, Flow flow) {
        flows.put(id, flow);
    }

    void remove(String id) {
        flows.remove(id);
    }

    Flow get(String id) {
        return flows.get(id);
    }

    Collection<Flow> all() {
        return flows.values();
    }

    int size() {
        return flows.size();
    }

    /** The TCP or TLS connection to or from {@code key} ({@code host:port}, {@code tls:host:port}), or null. */
    Flow byAddress(String key) {
        return tcpByAddress.get(key);
    }

    void addAddress(String key, Flow flow) {
        tcpByAddress.put(key, flow);
    }

    void removeAddress(String key, Flow flow) {
        tcpByAddress.remove(key, flow);
    }
}
