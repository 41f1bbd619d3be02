package io.webcall.relay.control;

import io.webcall.relay.session.RelayException;
import io.webcall.relay.session.SessionRegistry;
import io.webcall.relay.session.SessionSnapshot;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * The read side of the relay control API: a session's statistics. Offer, answer and delete, the requests of every
 * call, are {@link ControlRoutes}. Errors are {@code {"error","message","field"}} ({@link ErrorMappers}).
 */
@Path("/v1/sessions/{callId}")
@Produces(MediaType.APPLICATION_JSON)
public class SessionResource {

    private final SessionRegistry sessions;

    public SessionResource(SessionRegistry sessions) {
        this.sessions = sessions;
    }

    /**
     * {@code GET /v1/sessions/{callId}} — the session's legs and per-direction media figures (packets,
     * bytes, lost, jitterMs, rttMs, mos). 200 {@link SessionSnapshot}; 404 unknown call.
     */
    @GET
    public SessionSnapshot get(@PathParam("callId") String callId) {
        return sessions.snapshot(callId).orElseThrow(() -> new RelayException(404, "not_found", "no session " + callId, null));
    }
}
