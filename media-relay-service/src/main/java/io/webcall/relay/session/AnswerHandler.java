package io.webcall.relay.session;

import io.webcall.relay.sdp.Codec;
import io.webcall.relay.sdp.Codecs;
import io.webcall.relay.sdp.SessionDescription;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;

/**
 * The answer side of the offer/answer exchange (RFC 3264 section 6.1): takes the answer of the leg an offer went
 * to, keeps the formats both sides have, connects the two legs with their payload type numbers mapped (each side
 * receives the numbers it wrote) and rewrites the answer for the offerer.
 */
@ApplicationScoped
public class AnswerHandler {

    private final LegSdp legSdp;

    public AnswerHandler(LegSdp legSdp) {
        this.legSdp = legSdp;
    }

    /** Applies an answer to {@code session} (held locked by the caller) and returns the SDP for the offerer. */
    String answer(MediaSession session, SessionDescription sdp, LegKind fromKind, SessionService.Answer request) {
        MediaSession.PendingOffer pending = session.pending();
        if (pending == null) {
            throw new RelayException(409, "no_offer", "session " + session.callId() + " has no offer waiting for an "
                    + "answer", null);
        }
        Leg answering = pending.receiving();
        Leg offering = pending.offering();
        if (answering.kind() != fromKind) {
            throw new RelayException(409, "conflict", "the answering leg is "
                    + answering.kind().name().toLowerCase() + ", not " + request.from(), "from");
        }
        if (answering.tag() == null) {
            answering.tag(request.toTag());
        }
        legSdp.applyRemote(answering, sdp, false);
        List<Codec> answeredCodecs = Codecs.supported(answering.codecs());
        List<Codec> forOfferer = new ArrayList<>();
        List<Codec> forAnswerer = new ArrayList<>();
        for (Codec answered : answeredCodecs) {
            for (Codec offered : pending.offered()) {
                if (offered.key().equals(answered.key())
                        && forOfferer.stream().noneMatch(c -> c.payloadType() == offered.payloadType())) {
                    forOfferer.add(answered.withPayloadType(offered.payloadType()));
                    forAnswerer.add(answered);
                    break;
                }
            }
        }
        if (forOfferer.isEmpty()) {
            throw new RelayException(400, "no_common_codec", "the answer has no codec of the offer", "sdp");
        }
        offering.connect(answering, forOfferer, forAnswerer);
        answering.connect(offering, forAnswerer, forOfferer);
        session.pending(null);
        session.answered(true);
        return legSdp.render(offering, forOfferer, answering.direction(), answering.ptime(), false);
    }
}
