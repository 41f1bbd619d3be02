package io.webcall.relay.sdp;

import java.util.List;

/**
 * Writes the relay's own SDP for one leg: RTP/AVP toward PBXes, or UDP/TLS/RTP/SAVPF with ICE,
 * DTLS fingerprint, rtcp-mux and a single-stream BUNDLE group toward WebRTC endpoints
 * (RFC 8829 section 5, RFC 8843 section 7, RFC 8839 section 5, RFC 8842).
 */
public final class SdpWriter {

    private static final String CRLF = "\r\n";

    private SdpWriter() {
    }

    /** Origin values of one leg: the session id stays, the version grows with every new SDP (RFC 8866 5.2). */
    public record Origin(long sessionId, long version) {
    }

    /** What a WebRTC-facing description needs beyond the codecs. */
    public record WebRtcTransport(String ufrag, String password, String fingerprintSha256, String setup,
                                  String mid, String address, int port) {
    }

    public static String rtp(Origin origin, String address, int port, List<Codec> codecs, Direction direction,
                             String ptime) {
        StringBuilder sb = header(origin, address);
        sb.append("m=audio ").append(port).append(" RTP/AVP").append(formats(codecs)).append(CRLF);
        sb.append("c=IN ").append(ipVersion(address)).append(' ').append(address).append(CRLF);
        codecLines(sb, codecs);
        if (ptime != null) {
            sb.append("a=ptime:").append(ptime).append(CRLF);
        }
        sb.append("a=rtcp:").append(port + 1).append(CRLF);
        sb.append("a=").append(direction.attribute()).append(CRLF);
        return sb.toString();
    }

    public static String webrtc(Origin origin, WebRtcTransport t, List<Codec> codecs, Direction direction,
                                String ptime) {
        StringBuilder sb = header(origin, t.address());
        sb.append("a=group:BUNDLE ").append(t.mid()).append(CRLF);
        sb.append("a=msid-semantic: WMS").append(CRLF);
        sb.append("m=audio ").append(t.port()).append(" UDP/TLS/RTP/SAVPF").append(formats(codecs)).append(CRLF);
        sb.append("c=IN ").append(ipVersion(t.address())).append(' ').append(t.address()).append(CRLF);
        sb.append("a=rtcp:").append(t.port()).append(' ').append("IN ").append(ipVersion(t.address())).append(' ')
                .append(t.address()).append(CRLF);
        sb.append("a=ice-ufrag:").append(t.ufrag()).append(CRLF);
        sb.append("a=ice-pwd:").append(t.password()).append(CRLF);
        sb.append("a=ice-options:trickle").append(CRLF);
        sb.append("a=fingerprint:sha-256 ").append(t.fingerprintSha256()).append(CRLF);
        sb.append("a=setup:").append(t.setup()).append(CRLF);
        sb.append("a=mid:").append(t.mid()).append(CRLF);
        sb.append("a=").append(direction.attribute()).append(CRLF);
        sb.append("a=rtcp-mux").append(CRLF);
        codecLines(sb, codecs);
        if (ptime != null) {
            sb.append("a=ptime:").append(ptime).append(CRLF);
        }
        sb.append("a=candidate:1 1 udp 2130706431 ").append(t.address()).append(' ').append(t.port())
                .append(" typ host").append(CRLF);
        sb.append("a=end-of-candidates").append(CRLF);
        return sb.toString();
    }

    private static StringBuilder header(Origin origin, String address) {
        StringBuilder sb = new StringBuilder(512);
        sb.append("v=0").append(CRLF);
        sb.append("o=webcall ").append(origin.sessionId()).append(' ').append(origin.version()).append(" IN ")
                .append(ipVersion(address)).append(' ').append(address).append(CRLF);
        sb.append("s=webcall").append(CRLF);
        sb.append("t=0 0").append(CRLF);
        return sb;
    }

    private static String formats(List<Codec> codecs) {
        if (codecs.isEmpty()) {
            throw new SdpParseException("no common codec (the relay passes Opus, PCMU, PCMA, telephone-event)");
        }
        StringBuilder sb = new StringBuilder();
        for (Codec c : codecs) {
            sb.append(' ').append(c.payloadType());
        }
        return sb.toString();
    }

    private static void codecLines(StringBuilder sb, List<Codec> codecs) {
        for (Codec c : codecs) {
            sb.append("a=rtpmap:").append(c.rtpmap()).append(CRLF);
            if (c.fmtp() != null && !c.fmtp().isBlank()) {
                sb.append("a=fmtp:").append(c.payloadType()).append(' ').append(c.fmtp()).append(CRLF);
            }
        }
    }

    private static String ipVersion(String address) {
        return address.contains(":") ? "IP6" : "IP4";
    }
}
