package io.webcall.signaling.proxy;

import io.webcall.signaling.sip.SipHeaders;
import io.webcall.signaling.sip.SipUri;

/**
 * The flow tokens the edge writes into its Record-Route URI (RFC 5626 section 5.3 style): {@code ftok} names the
 * connection toward the caller side, {@code ttok} the connection toward the callee side. A request arriving with
 * this Route is sent over the connection of the side it did not come from.
 */
public record RouteTokens(String callerFlow, String calleeFlow) {

    static final String EDGE_PARAM = "wcedge";

    /** The tokens of a Route value written by edge {@code edgeId}, or null when the route is someone else's. */
    static RouteTokens parse(String routeValue, String edgeId, String host, int port) {
        SipUri u = SipUri.parse(SipHeaders.uri(routeValue));
        if (u == null) {
            return null;
        }
        boolean ours = edgeId.equals(u.param(EDGE_PARAM))
                || (u.host().equalsIgnoreCase(host) && u.portOrDefault() == port && u.param(EDGE_PARAM) == null);
        if (!ours) {
            return null;
        }
        return new RouteTokens(u.param("ftok"), u.param("ttok"));
    }

    /** The Record-Route value for a branch. */
    static String recordRoute(String host, int port, String transport, String edgeId, String callerFlow, String calleeFlow) {
        StringBuilder sb = new StringBuilder("<sip:").append(host).append(':').append(port).append(";transport=").append(transport)
                .append(";lr;").append(EDGE_PARAM).append('=').append(edgeId);
        if (callerFlow != null) {
            sb.append(";ftok=").append(callerFlow);
        }
        if (calleeFlow != null) {
            sb.append(";ttok=").append(calleeFlow);
        }
        return sb.append('>').toString();
    }
}
