package io.webcall.relay.control;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.webcall.relay.session.RelayException;
import io.webcall.relay.session.SessionService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.util.function.Function;

/**
 * The per-call requests of the relay control API (HTTP/JSON on 127.0.0.1:8082 by default), used by the signaling
 * edge the way rtpengine's ng protocol is used: one session per Call-ID; offer and answer translate SDP between a
 * WebRTC side (ICE + DTLS-SRTP) and a plain RTP side, or answer in echo mode; delete frees the session.
 *
 * <ul>
 *   <li>{@code POST /v1/sessions/{callId}/offer}, body {@link OfferRequest}: 200 {@link SdpResponse}, the offer
 *   rewritten for the other side (for {@code to: "echo"}: the relay's answer for the offerer). A repeated offer on the
 *   same call (re-INVITE, UPDATE, hold with sendonly/inactive, resume) keeps ports, ICE credentials and the DTLS
 *   association; {@code iceRestart: true} gives the receiving WebRTC side new ICE credentials.</li>
 *   <li>{@code POST /v1/sessions/{callId}/answer}, body {@link AnswerRequest}: 200 {@link SdpResponse}, the answer
 *   rewritten for the offerer; media flows from then on. 404 unknown call, 409 no offer waiting.</li>
 *   <li>{@code DELETE /v1/sessions/{callId}}: frees the session (ports, ICE agents, DTLS) and publishes its final
 *   statistics. 204; 404 unknown call.</li>
 * </ul>
 * Errors are {@code {"error","message","field"}} with status 400 (bad input), 404 (unknown call), 409 (request does
 * not fit the session's state), 415 (a body that is not JSON) or 503 (no free ports).
 *
 * <p>These are plain Vert.x routes handled on the event loop that received the request: the work of a request is a
 * fraction of a millisecond of CPU that never waits (sockets are non-blocking, events are queued for their
 * publisher), so it is not handed to a worker thread and back. {@code GET} (statistics) stays in
 * {@link SessionResource}.
 */
@ApplicationScoped
public class ControlRoutes {

    private static final Logger LOG = Logger.getLogger(ControlRoutes.class);
    private static final String JSON = "application/json";
    /** Largest request body read (an SDP is a few KiB); a larger one gets 413. */
    private static final long MAX_BODY = 1 << 20;

    private final SessionService sessions;
    private final ObjectMapper mapper;

    public ControlRoutes(SessionService sessions, ObjectMapper mapper) {
        this.sessions = sessions;
        this.mapper = mapper;
    }

    void register(@Observes Router router) {
        BodyHandler bodies = BodyHandler.create(false).setBodyLimit(MAX_BODY);
        router.post("/v1/sessions/:callId/*").order(RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT).handler(bodies);
        router.post("/v1/sessions/:callId/offer").order(RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT)
                .handler(ctx -> withBody(ctx, OfferRequest.class, body -> sessions.offer(ctx.pathParam("callId"),
                        new SessionService.Offer(body.sdp(), body.from(), body.to(), body.fromTag(),
                                Boolean.TRUE.equals(body.iceRestart())))));
        router.post("/v1/sessions/:callId/answer").order(RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT)
                .handler(ctx -> withBody(ctx, AnswerRequest.class, body -> sessions.answer(ctx.pathParam("callId"),
                        new SessionService.Answer(body.sdp(), body.from(), body.to(), body.fromTag(), body.toTag()))));
        router.delete("/v1/sessions/:callId").order(RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT).handler(this::delete);
    }

    private void delete(RoutingContext ctx) {
        try {
            String callId = ctx.pathParam("callId");
            if (!sessions.delete(callId)) {
                throw new RelayException(404, "not_found", "no session " + callId, null);
            }
            ctx.response().setStatusCode(204).end();
        } catch (RuntimeException e) {
            fail(ctx.response(), e);
        }
    }

    /** Parses the JSON body as {@code type}, runs {@code action} and answers 200 {@code {"sdp"}}. */
    private <T> void withBody(RoutingContext ctx, Class<T> type, Function<T, String> action) {
        HttpServerResponse response = ctx.response();
        String contentType = ctx.request().getHeader("content-type");
        if (contentType != null && !contentType.regionMatches(true, 0, JSON, 0, JSON.length())) {
            fail(response, new RelayException(415, "http_415", "the body must be application/json, not "
                    + contentType, null));
            return;
        }
        try {
            T body = parse(ctx.body().buffer(), type);
            String sdp = action.apply(body);
            response.setStatusCode(200).putHeader("content-type", JSON)
                    .end(Buffer.buffer(mapper.writeValueAsBytes(new SdpResponse(sdp))));
        } catch (JsonProcessingException | RuntimeException e) {
            fail(response, e);
        }
    }

    private <T> T parse(Buffer buffer, Class<T> type) {
        T body = null;
        if (buffer != null && buffer.length() > 0) {
            try {
                body = mapper.readValue(buffer.getBytes(), type);
            } catch (IOException e) {
                throw new RelayException(400, "invalid_body", "request body is not valid JSON of the expected shape",
                        null);
            }
        }
        if (body == null) {
            throw new RelayException(400, "invalid_body", "a JSON body is required", null);
        }
        return body;
    }

    private void fail(HttpServerResponse response, Exception e) {
        ErrorBody body;
        int status;
        if (e instanceof RelayException r) {
            status = r.status();
            body = ErrorBody.of(r);
        } else {
            LOG.error("control request failed", e);
            status = 500;
            body = ErrorBody.internal();
        }
        try {
            response.setStatusCode(status).putHeader("content-type", JSON).end(Buffer.buffer(mapper.writeValueAsBytes(body)));
        } catch (JsonProcessingException ex) {
            response.setStatusCode(500).end();
        }
    }
}
