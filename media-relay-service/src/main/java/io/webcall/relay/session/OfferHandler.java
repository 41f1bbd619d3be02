package io.webcall.relay.session;

import io.webcall.relay.sdp.Codec;
import io.webcall.relay.sdp.Codecs;
import io.webcall.relay.sdp.SessionDescription;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.util.List;

/**
 * The offer side of the offer/answer exchange (RFC 3264 section 5): a first offer opens the session's legs, a
 * repeated one (re-INVITE, UPDATE, hold, resume) updates the offering leg and keeps ports, ICE credentials and the
 * DTLS association unless an ICE restart is asked for or signalled. The offer is rewritten for the receiving leg,
 * or in echo mode answered by the relay itself.
 */
@ApplicationScoped
public class OfferHandler {

    private final LegFactory legs;
    private final LegSdp legSdp;

    public OfferHandler(LegFactory legs, LegSdp legSdp) {
        this.legs = legs;
        this.legSdp = legSdp;
    }

    /**
     * Applies an offer to {@code session} (held locked by the caller) and returns the SDP for the other side;
     * {@code toKind} is null in echo mode.
     */
    String offer(MediaSession session, boolean created, SessionDescription sdp, LegKind fromKind, LegKind toKind,
                 boolean echo, SessionService.Offer request) {
        return created ? firstOffer(session, sdp, fromKind, toKind, request)
                : reOffer(session, sdp, fromKind, toKind, echo, request);
    }

    private String firstOffer(MediaSession session, SessionDescription sdp, LegKind fromKind, LegKind toKind,
                              SessionService.Offer request) {
        Leg a = legs.newLeg(session, fromKind, request.fromTag(), false);
        session.a(a);
        legSdp.applyRemote(a, sdp, request.iceRestart());
        List<Codec> offered = supportedOrFail(a);
        if (session.echo()) {
            return echoAnswer(session, a, offered);
        }
        Leg b = legs.newLeg(session, toKind, null, true);
        session.b(b);
        session.pending(new MediaSession.PendingOffer(a, b, offered));
        return legSdp.render(b, offered, a.direction(), a.ptime(), true);
    }

    private String reOffer(MediaSession session, SessionDescription sdp, LegKind fromKind, LegKind toKind,
                           boolean echo, SessionService.Offer request) {
        session.touchSignal();
        if (session.echo() != echo) {
            throw new RelayException(409, "conflict", "session was created " + (session.echo() ? "with" : "without")
                    + " echo; to must stay the same", "to");
        }
        Leg offering = offeringLeg(session, request.fromTag());
        if (offering.kind() != fromKind) {
            throw new RelayException(409, "conflict", "the offering leg is " + offering.kind().name().toLowerCase()
                    + ", not " + request.from(), "from");
        }
        legSdp.applyRemote(offering, sdp, request.iceRestart());
        List<Codec> offered = supportedOrFail(offering);
        if (session.echo()) {
            return echoAnswer(session, offering, offered);
        }
        Leg receiving = offering == session.a() ? session.b() : session.a();
        if (receiving.kind() != toKind) {
            throw new RelayException(409, "conflict", "the receiving leg is " + receiving.kind().name().toLowerCase()
                    + ", not " + request.to(), "to");
        }
        if (request.iceRestart() && receiving.endpoint() instanceof WebRtcEndpoint w) {
            try {
                w.prepareRestart();
            } catch (IOException e) {
                throw new RelayException(500, "ice_error", "ICE restart failed: " + e.getMessage(), null);
            }
        }
        session.pending(new MediaSession.PendingOffer(offering, receiving, offered));
        return legSdp.render(receiving, offered, offering.direction(), offering.ptime(), true);
    }

    /** The leg that sent a repeated offer: the one with {@code fromTag}, learning the answerer's tag on its first. */
    private Leg offeringLeg(MediaSession session, String fromTag) {
        Leg a = session.a();
        Leg b = session.b();
        if (fromTag == null || fromTag.equals(a.tag())) {
            return a;
        }
        if (b != null && (b.tag() == null || fromTag.equals(b.tag()))) {
            if (b.tag() == null) {
                b.tag(fromTag);
            }
            return b;
        }
        throw new RelayException(409, "unknown_tag", "fromTag '" + fromTag + "' belongs to neither leg", "fromTag");
    }

    /**
     * The relay's own answer in echo mode (RFC 3264 section 6.1): every offered format the relay passes
     * (Opus, PCMU, PCMA, telephone-event at the clock rate of a kept codec), in the offerer's preference
     * order and numbering; media is looped back with the payload type it came with.
     */
    private String echoAnswer(MediaSession session, Leg leg, List<Codec> offered) {
        if (offered.stream().allMatch(Codec::isTelephoneEvent)) {
            throw new RelayException(400, "no_common_codec", "echo needs an audio codec (Opus, PCMU or PCMA)",
                    "sdp");
        }
        List<Codec> chosen = List.copyOf(offered);
        leg.connect(leg, chosen, chosen);
        session.answered(true);
        session.pending(null);
        return legSdp.render(leg, chosen, leg.direction().answer(), leg.ptime(), false);
    }

    private List<Codec> supportedOrFail(Leg leg) {
        List<Codec> offered = Codecs.supported(leg.codecs());
        if (offered.isEmpty()) {
            throw new RelayException(400, "no_common_codec",
                    "the offer has no codec the relay passes (Opus, PCMU, PCMA, telephone-event)", "sdp");
        }
        return offered;
    }
}
