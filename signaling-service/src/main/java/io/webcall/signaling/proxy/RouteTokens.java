package io.webcall.signaling.proxy;

import io.webcall.signaling.sip.SipHeaders;
import io.webcall.signaling.sip.SipUri;

/**
 * The flow tokens the edge writes into its Record-Route URI (RFC 5626 section 5.3 style): {@code ftok} names the
 * connection toward the caller side, {@code ttok} the connection toward the callee side. A request arriving with
 * this Route is sent over the connection of the side it did not come from.
 */
public record RouteTokens(String callerFlow, String calleeFlow, String signature) {

    static final String EDGE_PARAM = "wcedge";
    /** Route parameter with the HMAC of an edge-to-edge route (see {@link #sign}). */
    static final String SIGNATURE_PARAM = "wcsig";

    /**
     * HMAC-SHA256 over {@code edgeId|flowId} with the secret every edge of a deployment shares (its service-to-service
     * token), so only another edge can send a new request straight to a user's connection (RFC 5626 section 5.2 asks
     * flow tokens to be protected the same way). Base64url, 128 bits.
     */
    static String sign(String secret, String edgeId, String flowId) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] h = mac.doFinal((edgeId + "|" + flowId).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(h, 16));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** Whether this route's signature is the one {@link #sign} gives for its callee flow (constant-time compare). */
    boolean signedBy(String secret, String edgeId) {
        if (secret == null || signature == null || calleeFlow == null) {
            return false;
        }
        return java.security.MessageDigest.isEqual(sign(secret, edgeId, calleeFlow).getBytes(java.nio.charset.StandardCharsets.UTF_8),
                signature.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

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
        return new RouteTokens(u.param("ftok"), u.param("ttok"), u.param(SIGNATURE_PARAM));
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
