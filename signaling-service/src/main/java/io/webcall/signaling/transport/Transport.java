package io.webcall.signaling.transport;

import java.util.Locale;

/** Transports the edge speaks; the names are the Via transport tokens (RFC 3261 section 20.42, RFC 7118). */
public enum Transport {
    UDP, TCP, WS, WSS;

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
