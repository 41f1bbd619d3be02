package io.webcall.signaling.transport;

import java.util.Locale;

/** Transports the edge speaks; the names are the Via transport tokens (RFC 3261 section 20.42, RFC 7118). */
public enum Transport {
    UDP, TCP, WS, WSS, TLS;

    /**
     * The transport to reach a next hop named by a SIP URI (RFC 3263 section 4.1 without DNS): its {@code transport}
     * parameter, TLS for a {@code sips:} URI, UDP otherwise.
     *
     * @param uriTransport the URI's transport as {@code SipUri.transport()} gives it (lower case, "tls" for sips)
     */
    public static Transport forUri(String uriTransport) {
        if ("tls".equals(uriTransport)) {
            return TLS;
        }
        return "tcp".equals(uriTransport) ? TCP : UDP;
    }

    public String viaToken() {
        return name();
    }

    public String uriParam() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean isWebSocket() {
        return this == WS || this == WSS;
    }
}
