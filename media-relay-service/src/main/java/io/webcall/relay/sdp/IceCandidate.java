package io.webcall.relay.sdp;

import java.util.Optional;

/**
 * An {@code a=candidate} line (RFC 8839 section 5.1). Only UDP candidates of component 1 are kept:
 * the relay uses rtcp-mux.
 */
public record IceCandidate(String foundation, int component, String transport, long priority,
                           String address, int port, String type) {

    public static Optional<IceCandidate> parse(String value) {
        String[] p = value.trim().split("\\s+");
        if (p.length < 8 || !p[6].equals("typ")) {
            return Optional.empty();
        }
        try {
            IceCandidate c = new IceCandidate(p[0], Integer.parseInt(p[1]), p[2].toLowerCase(),
                    Long.parseLong(p[3]), p[4], Integer.parseInt(p[5]), p[7]);
            return c.transport().equals("udp") && c.component() == 1 ? Optional.of(c) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** mDNS names (RFC 8839 / draft-ietf-mmusic-mdns-ice-candidates) are learned as peer-reflexive. */
    public boolean isMdns() {
        return address.endsWith(".local");
    }
}
