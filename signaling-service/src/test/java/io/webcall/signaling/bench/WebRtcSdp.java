package io.webcall.signaling.bench;

/**
 * The load client's browser side of the SDP: an audio offer shaped like a browser's (RFC 8829 JSEP / RFC 8843
 * BUNDLE: UDP/TLS/RTP/SAVPF with opus and PCMU, ICE credentials and a host candidate per RFC 8839, a sha-256 DTLS
 * fingerprint with {@code a=setup:actpass} per RFC 8842, rtcp-mux per RFC 5761), and the check that an answer to it is
 * WebRTC SDP a browser would accept.
 */
final class WebRtcSdp {

    private static final String FINGERPRINT = "sha-256 "
            + "3A:96:6D:57:B2:C2:C7:61:A0:46:3E:1C:97:39:D3:F7:0A:88:A0:B1:EC:03:FB:10:A5:5D:3E:37:AB:DD:02:AA";

    private WebRtcSdp() {
    }

    /**
     * A browser-like offer; {@code n} makes the session id and the ICE credentials differ per call; the host
     * candidate is 127.0.0.1:{@code candidatePort}.
     */
    static String offer(long n, int candidatePort) {
        String id = Long.toString(4_611_731_400_430_051_336L + n);
        String ufrag = "u" + Long.toString(n, 36) + "bch";
        return "v=0\r\n"
                + "o=- " + id + " 2 IN IP4 127.0.0.1\r\n"
                + "s=-\r\n"
                + "t=0 0\r\n"
                + "a=group:BUNDLE 0\r\n"
                + "a=extmap-allow-mixed\r\n"
                + "a=msid-semantic: WMS bench\r\n"
                + "m=audio 9 UDP/TLS/RTP/SAVPF 111 0\r\n"
                + "c=IN IP4 0.0.0.0\r\n"
                + "a=rtcp:9 IN IP4 0.0.0.0\r\n"
                + "a=candidate:2725361398 1 udp 2122260223 127.0.0.1 " + candidatePort + " typ host generation 0 network-id 1\r\n"
                + "a=ice-ufrag:" + ufrag + "\r\n"
                + "a=ice-pwd:" + ("p" + Long.toString(n, 36) + "benchmarkicepassword0123456789").substring(0, 24) + "\r\n"
                + "a=ice-options:trickle\r\n"
                + "a=fingerprint:" + FINGERPRINT + "\r\n"
                + "a=setup:actpass\r\n"
                + "a=mid:0\r\n"
                + "a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level\r\n"
                + "a=sendrecv\r\n"
                + "a=msid:bench audio0\r\n"
                + "a=rtcp-mux\r\n"
                + "a=rtpmap:111 opus/48000/2\r\n"
                + "a=rtcp-fb:111 transport-cc\r\n"
                + "a=fmtp:111 minptime=10;useinbandfec=1\r\n"
                + "a=rtpmap:0 PCMU/8000\r\n"
                + "a=ssrc:" + (1_000_000 + n % 1_000_000) + " cname:bench\r\n";
    }

    /**
     * What makes {@code answer} unusable for the browser that sent {@link #offer}, or null: it must be DTLS-SRTP
     * (UDP/TLS/RTP/SAVPF or RTP/SAVPF) with ICE credentials, a candidate, a fingerprint and an active or passive DTLS
     * role (RFC 8842 section 5.3: the answerer does not answer actpass) and rtcp-mux (RFC 8834 section 5.1.1).
     */
    static String answerProblem(String answer) {
        if (answer == null || answer.isEmpty()) {
            return "has no SDP";
        }
        int m = answer.indexOf("m=audio ");
        if (m < 0) {
            return "has no audio m= line";
        }
        int eol = answer.indexOf('\r', m);
        String mline = answer.substring(m, eol < 0 ? answer.length() : eol);
        if (!mline.contains("RTP/SAVPF ")) {
            return "is not DTLS-SRTP (" + mline + ")";
        }
        if (mline.startsWith("m=audio 0 ")) {
            return "rejects the audio stream (" + mline + ")";
        }
        if (!answer.contains("a=ice-ufrag:") || !answer.contains("a=ice-pwd:")) {
            return "has no ICE credentials";
        }
        if (!answer.contains("a=candidate:")) {
            return "has no ICE candidate";
        }
        if (!answer.contains("a=fingerprint:sha-256 ")) {
            return "has no sha-256 fingerprint";
        }
        if (!answer.contains("a=setup:active") && !answer.contains("a=setup:passive")) {
            return "has no active or passive DTLS role";
        }
        if (!answer.contains("a=rtcp-mux")) {
            return "does not multiplex RTCP (browsers require rtcp-mux)";
        }
        return null;
    }
}
