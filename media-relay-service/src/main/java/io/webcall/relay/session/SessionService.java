package io.webcall.relay.session;

import io.webcall.relay.sdp.SdpParseException;
import io.webcall.relay.sdp.SdpParser;
import io.webcall.relay.sdp.SessionDescription;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.MDC;

import java.util.regex.Pattern;

/**
 * The offer, answer and delete requests of the control API (RFC 3264 offer/answer): checks the request, finds or
 * creates the call's session and runs the exchange ({@link OfferHandler}, {@link AnswerHandler}) under the
 * session's lock with the Call-ID in the log context; an offer that fails on a session it created frees it again.
 */
@ApplicationScoped
public class SessionService {

    private static final Pattern CALL_ID = Pattern.compile("[\\x21-\\x7e]{1,256}");

    private final SessionRegistry registry;
    private final OfferHandler offers;
    private final AnswerHandler answers;

    public SessionService(SessionRegistry registry, OfferHandler offers, AnswerHandler answers) {
        this.registry = registry;
        this.offers = offers;
        this.answers = answers;
    }

    /** Request of {@code POST /v1/sessions/{callId}/offer}. */
    public record Offer(String sdp, String from, String to, String fromTag, boolean iceRestart) {
    }

    /** Request of {@code POST /v1/sessions/{callId}/answer}. */
    public record Answer(String sdp, String from, String to, String fromTag, String toTag) {
    }

    public String offer(String callId, Offer request) {
        validateCallId(callId);
        SessionDescription sdp = parse(request.sdp());
        LegKind fromKind = LegKind.parse(request.from(), "from");
        boolean echo = "echo".equalsIgnoreCase(request.to());
        LegKind toKind = echo ? null : LegKind.parse(request.to(), "to");
        MDC.put("callId", callId);
        try {
            registry.rejectIfFailed(callId);
            SessionRegistry.Opened opened = registry.open(callId, echo);
            MediaSession session = opened.session();
            synchronized (session) {
                if (session.closed()) {
                    throw new RelayException(409, "session_closed", "session " + callId + " was deleted", null);
                }
                try {
                    return offers.offer(session, opened.created(), sdp, fromKind, toKind, echo, request);
                } catch (RuntimeException e) {
                    if (opened.created()) {
                        registry.remove(callId, "offer failed");
                    }
                    throw e;
                }
            }
        } finally {
            MDC.remove("callId");
        }
    }

    public String answer(String callId, Answer request) {
        validateCallId(callId);
        SessionDescription sdp = parse(request.sdp());
        LegKind fromKind = LegKind.parse(request.from(), "from");
        MediaSession session = registry.find(callId).orElse(null);
        if (session == null) {
            registry.rejectIfFailed(callId);
            throw new RelayException(404, "not_found", "no session " + callId, null);
        }
        MDC.put("callId", callId);
        try {
            synchronized (session) {
                session.touchSignal();
                return answers.answer(session, sdp, fromKind, request);
            }
        } finally {
            MDC.remove("callId");
        }
    }

    /** Frees the call's session, or forgets its failure record; false if the relay knows neither. */
    public boolean delete(String callId) {
        validateCallId(callId);
        return registry.delete(callId);
    }

    private static SessionDescription parse(String sdp) {
        try {
            SessionDescription parsed = SdpParser.parse(sdp);
            parsed.audio();
            return parsed;
        } catch (SdpParseException e) {
            throw new RelayException(400, "invalid_sdp", e.getMessage(), "sdp");
        }
    }

    private static void validateCallId(String callId) {
        if (callId == null || !CALL_ID.matcher(callId).matches()) {
            throw new RelayException(400, "invalid_call_id", "callId must be 1-256 visible ASCII characters",
                    "callId");
        }
    }
}
