package io.webcall.relay.session;

import io.webcall.relay.config.RelayConfig;
import io.webcall.relay.dtls.DtlsIdentity;
import io.webcall.relay.dtls.DtlsRole;
import io.webcall.relay.ice.IceHarvesterHolder;
import io.webcall.relay.rtp.RtpEndpoint;
import io.webcall.relay.sdp.Codec;
import io.webcall.relay.sdp.Codecs;
import io.webcall.relay.sdp.Direction;
import io.webcall.relay.sdp.IceParameters;
import io.webcall.relay.sdp.MediaDescription;
import io.webcall.relay.sdp.SdpParseException;
import io.webcall.relay.sdp.SdpWriter;
import io.webcall.relay.sdp.SessionDescription;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.util.List;

/**
 * The SDP of one leg in both directions: takes the SDP its endpoint sent into the leg (codecs, direction, and
 * ICE credentials and DTLS role, or the RTP address) and writes the relay's SDP toward that endpoint.
 */
@ApplicationScoped
public class LegSdp {

    private final RelayConfig config;
    private final IceHarvesterHolder ice;
    private final DtlsIdentity identity;

    public LegSdp(RelayConfig config, IceHarvesterHolder ice, DtlsIdentity identity) {
        this.config = config;
        this.ice = ice;
        this.identity = identity;
    }

    /** Takes one side's SDP into its leg: codecs, direction, transport addresses or ICE/DTLS parameters. */
    void applyRemote(Leg leg, SessionDescription sdp, boolean iceRestart) {
        MediaDescription audio = sdp.audio();
        WebRtcEndpoint webrtc = leg.endpoint() instanceof WebRtcEndpoint w ? w : null;
        IceParameters ice = webrtc == null ? null : webRtcParameters(sdp, audio);
        // a new certificate needs a new association, which RFC 9429 section 5.11 allows only with an ICE restart (a
        // change in a plain renegotiation would leave both sides with keys the other cannot use); checked before
        // anything is applied, so a refused offer or answer leaves the session as it was
        boolean newCertificate = webrtc != null && webrtc.role() != null
                && !webrtc.isPeerFingerprint(ice.fingerprintAlgorithm(), ice.fingerprint());
        if (newCertificate && !iceRestart && !webrtc.isNewRemoteIce(ice.ufrag(), ice.password())) {
            throw new RelayException(400, "invalid_sdp", "the DTLS fingerprint changed without an ICE restart "
                    + "(new ice-ufrag and ice-pwd); a new certificate is accepted only with one", "sdp");
        }
        leg.codecs(Codecs.of(audio));
        leg.direction(Direction.of(audio));
        leg.ptime(audio.attribute("ptime").orElse(null));
        audio.attribute("mid").ifPresent(leg::mid);
        if (webrtc != null) {
            try {
                webrtc.setRemoteIce(ice.ufrag(), ice.password(), iceRestart);
            } catch (IOException e) {
                throw new RelayException(500, "ice_error", "ICE restart failed: " + e.getMessage(), null);
            }
            // RFC 5763 section 5: the side that says "passive" is the DTLS server; an existing association keeps
            // its role across re-offers
            DtlsRole offered = ice.setup().equals("passive") ? DtlsRole.CLIENT : DtlsRole.SERVER;
            if (newCertificate) {
                webrtc.renewDtls(offered, ice.fingerprintAlgorithm(), ice.fingerprint());
            } else {
                webrtc.startDtls(webrtc.role() != null ? webrtc.role() : offered, ice.fingerprintAlgorithm(), ice.fingerprint());
            }
        } else if (leg.endpoint() instanceof RtpEndpoint r) {
            if (audio.isDtlsSrtp()) {
                throw new RelayException(400, "invalid_sdp", "an rtp side must use RTP/AVP, not "
                        + audio.protocol(), "sdp");
            }
            String address = sdp.audioConnectionAddress();
            if (address == null) {
                throw new RelayException(400, "invalid_sdp", "SDP has no c= line for audio", "sdp");
            }
            int rtcpPort = audio.attribute("rtcp").map(v -> v.trim().split("\\s+")[0]).map(v -> {
                try {
                    return Integer.parseInt(v);
                } catch (NumberFormatException e) {
                    return audio.port() + 1;
                }
            }).orElse(audio.hasAttribute("rtcp-mux") ? audio.port() : audio.port() + 1);
            try {
                r.setSignalledAddress(address, audio.port(), rtcpPort);
            } catch (IllegalArgumentException e) {
                throw new RelayException(400, "invalid_sdp", "bad media address " + address, "sdp");
            }
        }
    }

    /** A WebRTC side's ICE and DTLS parameters: DTLS-SRTP transport, ICE credentials and fingerprint present. */
    private static IceParameters webRtcParameters(SessionDescription sdp, MediaDescription audio) {
        if (!audio.isDtlsSrtp()) {
            throw new RelayException(400, "invalid_sdp", "a webrtc side must use UDP/TLS/RTP/SAVPF, not "
                    + audio.protocol(), "sdp");
        }
        IceParameters p;
        try {
            p = IceParameters.of(sdp);
        } catch (SdpParseException e) {
            throw new RelayException(400, "invalid_sdp", e.getMessage(), "sdp");
        }
        return p;
    }

    /**
     * Writes the relay's SDP toward a leg's endpoint. Offers say {@code a=setup:actpass} (RFC 5763 section 5);
     * answers state the DTLS role the association already has, so a re-INVITE never flips it.
     */
    String render(Leg leg, List<Codec> codecs, Direction direction, String ptime, boolean offer) {
        SdpWriter.Origin origin = new SdpWriter.Origin(leg.sdpSessionId(), leg.nextSdpVersion());
        if (leg.endpoint() instanceof WebRtcEndpoint w) {
            String setup = offer || w.role() == null ? "actpass"
                    : w.role() == DtlsRole.SERVER ? "passive" : "active";
            return SdpWriter.webrtc(origin, new SdpWriter.WebRtcTransport(w.advertisedUfrag(), w.advertisedPassword(),
                    identity.fingerprint(), setup, leg.mid() != null ? leg.mid() : "0", config.advertisedAddress(),
                    ice.port()), codecs, direction, ptime);
        }
        RtpEndpoint r = (RtpEndpoint) leg.endpoint();
        return SdpWriter.rtp(origin, config.advertisedAddress(), r.port(), codecs, direction, ptime);
    }
}
