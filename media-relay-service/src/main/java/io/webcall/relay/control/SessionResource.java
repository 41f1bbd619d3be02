package io.webcall.relay.control;

import io.webcall.relay.session.RelayException;
import io.webcall.relay.session.SessionService;
import io.webcall.relay.session.SessionSnapshot;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Relay control API (HTTP/JSON on 127.0.0.1:8082 by default), used by the signaling edge the way
 * rtpengine's ng protocol is used: one session per Call-ID, offer/answer translate SDP between a WebRTC
 * side (ICE + DTLS-SRTP) and a plain RTP side, or answer in echo mode.
 *
 * <p>Errors are {@code {"error","message","field"}} with status 400 (bad input), 404 (unknown call),
 * 409 (request does not fit the session's state) or 503 (no free ports).
 */
@Path("/v1/sessions/{callId}")
@Produces(MediaType.APPLICATION_JSON)
public class SessionResource {

    private final SessionService sessions;

    public SessionResource(SessionService sessions) {
        this.sessions = sessions;
    }

    /**
     * {@code POST /v1/sessions/{callId}/offer} — takes an offer and returns it rewritten for the other side
     * (for {@code to: "echo"}: the relay's answer for the offerer).
     * Body {@link OfferRequest}; 200 {@link SdpResponse}.
     * A repeated offer on the same call (re-INVITE, UPDATE, hold with sendonly/inactive, resume) keeps
     * ports, ICE credentials and the DTLS association; {@code iceRestart: true} gives the receiving WebRTC
     * side new ICE credentials.
     */
    @POST
    @Path("/offer")
    @Consumes(MediaType.APPLICATION_JSON)
    public SdpResponse offer(@PathParam("callId") String callId, OfferRequest body) {
        requireBody(body);
        return new SdpResponse(sessions.offer(callId, new SessionService.Offer(body.sdp(), body.from(), body.to(),
                body.fromTag(), Boolean.TRUE.equals(body.iceRestart()))));
    }

    /**
     * {@code POST /v1/sessions/{callId}/answer} — takes the answer to the last offer and returns it
     * rewritten for the offerer; media flows from then on. Body {@link AnswerRequest}; 200
     * {@link SdpResponse}; 404 unknown call; 409 no offer waiting.
     */
    @POST
    @Path("/answer")
    @Consumes(MediaType.APPLICATION_JSON)
    public SdpResponse answer(@PathParam("callId") String callId, AnswerRequest body) {
        requireBody(body);
        return new SdpResponse(sessions.answer(callId, new SessionService.Answer(body.sdp(), body.from(), body.to(),
                body.fromTag(), body.toTag())));
    }

    /**
     * {@code DELETE /v1/sessions/{callId}} — frees the session (ports, ICE agents, DTLS) and publishes its
     * final statistics. 204; 404 unknown call.
     */
    @DELETE
    public Response delete(@PathParam("callId") String callId) {
        if (!sessions.delete(callId)) {
            throw new RelayException(404, "not_found", "no session " + callId, null);
        }
        return Response.noContent().build();
    }

    /**
     * {@code GET /v1/sessions/{callId}} — the session's legs and per-direction media figures (packets,
     * bytes, lost, jitterMs, rttMs, mos). 200 {@link SessionSnapshot}; 404 unknown call.
     */
    @GET
    public SessionSnapshot get(@PathParam("callId") String callId) {
        return sessions.snapshot(callId).orElseThrow(() -> new RelayException(404, "not_found", "no session " + callId, null));
    }

    private static void requireBody(Object body) {
        if (body == null) {
            throw new RelayException(400, "invalid_body", "a JSON body is required", null);
        }
    }
}
