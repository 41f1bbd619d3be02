package io.webcall.relay.sdp;

import java.util.ArrayList;
import java.util.List;

/**
 * The remote ICE and DTLS parameters a WebRTC endpoint put into its SDP: ICE credentials and
 * candidates (RFC 8839 section 5), certificate fingerprint (RFC 8122 section 5) and DTLS role
 * (RFC 4145 section 4, RFC 8842).
 */
public record IceParameters(String ufrag, String password, List<IceCandidate> candidates,
                            String fingerprintAlgorithm, String fingerprint, String setup) {

    public static IceParameters of(SessionDescription sdp) {
        MediaDescription audio = sdp.audio();
        String ufrag = sdp.audioAttribute("ice-ufrag")
                .orElseThrow(() -> new SdpParseException("WebRTC SDP lacks a=ice-ufrag"));
        String pwd = sdp.audioAttribute("ice-pwd")
                .orElseThrow(() -> new SdpParseException("WebRTC SDP lacks a=ice-pwd"));
        String fp = sdp.audioAttribute("fingerprint")
                .orElseThrow(() -> new SdpParseException("WebRTC SDP lacks a=fingerprint"));
        String[] fpParts = fp.trim().split("\\s+");
        if (fpParts.length != 2) {
            throw new SdpParseException("bad a=fingerprint: " + fp);
        }
        String setup = sdp.audioAttribute("setup").orElse("actpass").trim().toLowerCase();
        List<IceCandidate> candidates = new ArrayList<>();
        for (String c : audio.attributes("candidate")) {
            IceCandidate.parse(c).ifPresent(candidates::add);
        }
        return new IceParameters(ufrag.trim(), pwd.trim(), candidates, fpParts[0].toLowerCase(),
                fpParts[1].toUpperCase(), setup);
    }
}
